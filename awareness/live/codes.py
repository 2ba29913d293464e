"""Attendance codes: short, easy to read aloud, accepted only around the session's time."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

#: No 0/O, 1/I/L: nothing that reads two ways on a slide.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
#: A code is accepted from this long before the start...
OPENS_BEFORE = timedelta(minutes=15)
#: ... to this long after the end.
CLOSES_AFTER = timedelta(hours=1)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(entered: str) -> str:
    """What someone typed, as a code: upper case, without spaces or dashes."""
    return "".join(ch for ch in entered.upper() if ch not in " -\t")[:32]


def matches(code: str, entered: str) -> bool:
    """Whether ``entered`` is ``code``, compared in constant time."""
    return secrets.compare_digest(code.encode(), normalise(entered).encode())


def window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """When a code is accepted: from just before the start to a while after the end."""
    return starts_at - OPENS_BEFORE, ends_at + CLOSES_AFTER
