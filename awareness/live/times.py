"""Times: the database keeps naive UTC; people read and write the organisation's local time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    """The organisation's time zone (``AWARENESS_TIMEZONE``)."""
    return ZoneInfo(current_app.config.get("TIMEZONE", "UTC"))


def to_utc(local: datetime, where: ZoneInfo) -> datetime:
    """A wall-clock time in ``where`` as naive UTC; ValueError for a time the clocks skip."""
    aware = local.replace(tzinfo=where)
    utc = aware.astimezone(UTC)
    if utc.astimezone(where).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError("that time does not exist there (the clocks change)")
    return utc.replace(tzinfo=None)


def to_local(utc: datetime, where: ZoneInfo) -> datetime:
    """Naive UTC as a naive wall-clock time in ``where``."""
    return utc.replace(tzinfo=UTC).astimezone(where).replace(tzinfo=None)


def parse_iso(text: str, where: ZoneInfo) -> datetime:
    """ISO-8601 as naive UTC: with an offset (or ``Z``) as given, without one in ``where``."""
    parsed = datetime.fromisoformat(text.strip())
    if parsed.tzinfo is None:
        return to_utc(parsed, where)
    return parsed.astimezone(UTC).replace(tzinfo=None)


def iso(utc: datetime | None) -> str | None:
    """Naive UTC as ISO-8601 with a ``Z``, to the second."""
    return None if utc is None else utc.isoformat(timespec="seconds") + "Z"
