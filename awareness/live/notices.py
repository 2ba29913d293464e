"""The emails a live session's registrants are owed, as ``email_message`` rows.

- a **confirmation** when they register (written with the registration);
- a **reminder** the day before, written by ``reminders send``
  (:func:`reminders_due`): to those who registered before that day began;
- a **change** notice when its time or place changes, and a **cancellation**
  notice when it is cancelled (written with the change).

Each row has a ``dedupe_key`` naming the session and the person (and, for a
reminder, the start; for a change, the session's ``sequence``), so the same
notice is written, and sent, at most once however many runs or requests
race. Rows are written ``pending``; the mailer (:mod:`awareness.reminders.sessions`)
sends them after the request commits, or on the next ``reminders send``, and
first cancels those no longer wanted (:func:`wanted`). Which rows to write
is decided here, in plain SQL; nothing here renders or sends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from awareness.live.times import to_local, to_utc
from awareness.models import EmailMessage, LiveSession, Person, Registration
from awareness.models.types import rows_affected

CONFIRMATION = "session_confirmation"
REMINDER = "session_reminder"
CHANGE = "session_change"
CANCELLATION = "session_cancelled"
KINDS = (CONFIRMATION, REMINDER, CHANGE, CANCELLATION)
#: The fields whose change registrants are told of.
NOTIFIED_CHANGES = ("starts_at", "ends_at", "location")
UNSENT = ("pending", "failed")
#: Rows per statement.
CHUNK = 1000

#: Turns a person's stored language (or None) into the one to write to them in.
LanguageOf = Callable[[str | None], str]


@dataclass(frozen=True)
class Due:
    """A registrant who is owed a reminder of a session."""

    session_id: int
    person_id: int
    email: str
    language: str | None
    starts_at: datetime


def key(kind: str, session_id: int, person_id: int, suffix: str = "") -> str:
    """The notice's ``dedupe_key``: the same notice has the same key on every run."""
    return f"{kind}:{session_id}:{person_id}" + (f":{suffix}" if suffix else "")


def reminder_key(session_id: int, person_id: int, starts_at: datetime) -> str:
    """A reminder's key includes the start: a session moved to another time is reminded again."""
    return key(REMINDER, session_id, person_id, f"{starts_at:%Y%m%dT%H%M}")


def confirm(
    session: Session, live: LiveSession, person: Person, now: datetime, language_of: LanguageOf
) -> list[int]:
    """Write the confirmation of ``person``'s place at ``live``; its id, or none when one
    was written before (a place given back and taken again is confirmed once)."""
    row = _row(CONFIRMATION, live, person.id, person.email, language_of(person.language), now)
    return _insert(session, [row])


def tell_registrants(
    session: Session,
    live: LiveSession,
    kind: str,
    now: datetime,
    language_of: LanguageOf,
    changes: dict[str, list[Any]] | None = None,
) -> list[int]:
    """Write a change (``CHANGE``) or cancellation (``CANCELLATION``) notice for each active
    registrant of ``live``; their ids. Unsent notices about the session that this one
    makes stale (an earlier change, a reminder) are cancelled first."""
    if kind not in (CHANGE, CANCELLATION):
        raise ValueError(f"not a notice to every registrant: {kind!r}")
    stale = (CHANGE, REMINDER, CONFIRMATION) if kind == CANCELLATION else (CHANGE,)
    suffix = str(live.sequence) if kind == CHANGE else ""
    _cancel_unsent(session, live.id, None, stale, but=f"%:{suffix}" if suffix else None)
    details = {"changes": changes} if changes else {}
    registrants = session.execute(
        select(Person.id, Person.email, Person.language)
        .join(Registration, Registration.person_id == Person.id)
        .where(Registration.session_id == live.id, Person.active)
        .order_by(Person.id)
        .execution_options(yield_per=CHUNK)
    )
    ids: list[int] = []
    rows: list[dict[str, Any]] = []
    for person_id, email, language in registrants:
        row = _row(kind, live, person_id, email, language_of(language), now, suffix, **details)
        rows.append(row)
        if len(rows) >= CHUNK:
            ids += _insert(session, rows)
            rows = []
    return ids + _insert(session, rows)


def changed_for_registrants(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The changes registrants are told of (time and place), from ``planning.update``'s."""
    return {field: values for field, values in changes.items() if field in NOTIFIED_CHANGES}


def withdraw(session: Session, live: LiveSession, person: Person) -> int:
    """Cancel the unsent notices to ``person`` about ``live`` (they gave their place back)."""
    return _cancel_unsent(session, live.id, person.id, KINDS)


def reminders_due(session: Session, now: datetime, zone: ZoneInfo) -> Iterator[Due]:
    """The registrants owed a reminder now: their session starts tomorrow or sooner (in the
    organisation's time zone ``zone``), has not started, is not cancelled, and they
    registered before the day before it began (a later registrant has just had the
    confirmation). Whether one was written already is the mailer's to check."""
    today = to_local(now, zone).date()
    horizon = to_utc(datetime.combine(today + timedelta(days=2), time()), zone)
    query = (
        select(
            LiveSession.id,
            Person.id,
            Person.email,
            Person.language,
            LiveSession.starts_at,
            Registration.registered_at,
        )
        .join(Registration, Registration.session_id == LiveSession.id)
        .join(Person, Person.id == Registration.person_id)
        .where(
            LiveSession.cancelled_at.is_(None),
            LiveSession.starts_at > now,
            LiveSession.starts_at < horizon,
            Person.active,
        )
        .order_by(LiveSession.starts_at, LiveSession.id, Person.id)
        .execution_options(yield_per=CHUNK)
    )
    for session_id, person_id, email, language, starts_at, registered_at in session.execute(query):
        if registered_at < day_before(starts_at, zone):
            yield Due(session_id, person_id, email, language, starts_at)


def day_before(starts_at: datetime, zone: ZoneInfo) -> datetime:
    """When the day before the session begins, in ``zone``, as naive UTC."""
    local = to_local(starts_at, zone).date() - timedelta(days=1)
    return _midnight(local, zone)


def _midnight(day: Any, zone: ZoneInfo) -> datetime:
    try:
        return to_utc(datetime.combine(day, time()), zone)
    except ValueError:  # clocks that skip midnight: the day began an hour later
        return to_utc(datetime.combine(day, time(1)), zone)


def write_reminders(
    session: Session, due: Iterable[Due], now: datetime, language_of: LanguageOf
) -> list[int]:
    """Write the reminders not written before; their ids."""
    ids: list[int] = []
    rows: list[dict[str, Any]] = []
    for entry in due:
        rows.append(_reminder_row(entry, now, language_of))
        if len(rows) >= CHUNK:
            ids += _insert(session, rows)
            rows = []
    return ids + _insert(session, rows)


def count_new_reminders(session: Session, due: Iterable[Due]) -> int:
    """How many of ``due`` have no reminder written yet (for a dry run)."""
    total, keys = 0, []
    for entry in due:
        keys.append(reminder_key(entry.session_id, entry.person_id, entry.starts_at))
        if len(keys) >= CHUNK:
            total += _unwritten(session, keys)
            keys = []
    return total + _unwritten(session, keys)


def _unwritten(session: Session, keys: list[str]) -> int:
    if not keys:
        return 0
    written = session.scalars(
        select(EmailMessage.dedupe_key).where(EmailMessage.dedupe_key.in_(keys))
    )
    return len(set(keys) - set(written))


def wanted(message_kind: str, live: LiveSession | None, registered: bool, now: datetime) -> bool:
    """Whether an unsent notice is still worth sending: its session has not started, the
    person still holds their place, and it is not cancelled (unless that is the news)."""
    if live is None or live.starts_at <= now or not registered:
        return False
    if message_kind == CANCELLATION:
        return live.cancelled
    return not live.cancelled


def _reminder_row(entry: Due, now: datetime, language_of: LanguageOf) -> dict[str, Any]:
    return {
        "kind": REMINDER,
        "person_id": entry.person_id,
        "to_address": entry.email,
        "language": language_of(entry.language),
        "subject": "",
        "dedupe_key": reminder_key(entry.session_id, entry.person_id, entry.starts_at),
        "details": {"session_id": entry.session_id, "starts_at": entry.starts_at.isoformat()},
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


def _row(
    kind: str,
    live: LiveSession,
    person_id: int,
    email: str,
    language: str,
    now: datetime,
    suffix: str = "",
    **details: Any,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "person_id": person_id,
        "to_address": email,
        "language": language,
        "subject": "",
        "dedupe_key": key(kind, live.id, person_id, suffix),
        "details": {"session_id": live.id, "starts_at": live.starts_at.isoformat(), **details},
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


def _insert(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows whose key is new; the ids of those inserted."""
    if not rows:
        return []
    dialect = (
        postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    )
    statement = dialect(EmailMessage).on_conflict_do_nothing().returning(EmailMessage.id)
    return list(session.scalars(statement, rows))


def _cancel_unsent(
    session: Session,
    session_id: int,
    person_id: int | None,
    kinds: Iterable[str],
    but: str | None = None,
) -> int:
    """Cancel unsent notices of ``kinds`` about one session (to one person, when given),
    except those whose key is like ``but``."""
    person = str(person_id) if person_id is not None else "%"
    keys = [
        EmailMessage.dedupe_key.like(f"{kind}:{session_id}:{person}")
        | EmailMessage.dedupe_key.like(f"{kind}:{session_id}:{person}:%")
        for kind in kinds
    ]
    query = update(EmailMessage).where(
        EmailMessage.kind.in_(list(kinds)), EmailMessage.status.in_(UNSENT), or_(*keys)
    )
    if but is not None:
        query = query.where(~EmailMessage.dedupe_key.like(but))
    return rows_affected(
        session.execute(
            query.values(status="cancelled").execution_options(synchronize_session=False)
        )
    )
