"""Which registrants are owed an email: a confirmation, and a reminder the day before.

This is the seam for ``reminders send`` (docs/email.md): it lists what is
due, each with a stable ``dedupe_key``; the mailer sends each notice once,
recording the key so that a second run sends nothing. Only active people,
only sessions that are not cancelled and have not started.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from awareness.models import LiveSession, Person, Registration

#: A reminder goes out when the session starts within this long.
REMINDER_AHEAD = timedelta(days=1)

CONFIRMATION = "session_confirmation"
REMINDER = "session_reminder"


@dataclass(frozen=True)
class Notice:
    """One email owed to one registrant about one session."""

    kind: str  # CONFIRMATION or REMINDER
    #: Stable: the same notice has the same key on every run. A reminder's key
    #: includes the start, so a session moved to another day is reminded again.
    dedupe_key: str
    session_id: int
    person_id: int
    email: str
    name: str
    language: str | None
    title: str
    starts_at: datetime  # naive UTC
    ends_at: datetime
    location: str


def confirmations(session: Session, now: datetime) -> Iterator[Notice]:
    """A confirmation for every registration to a session still to come."""
    yield from _notices(session, CONFIRMATION, LiveSession.starts_at > now)


def reminders(
    session: Session, now: datetime, ahead: timedelta = REMINDER_AHEAD
) -> Iterator[Notice]:
    """A reminder for every registrant of a session starting within ``ahead`` of ``now``."""
    yield from _notices(
        session, REMINDER, LiveSession.starts_at > now, LiveSession.starts_at <= now + ahead
    )


def _notices(session: Session, kind: str, *conditions: ColumnElement[bool]) -> Iterator[Notice]:
    query = (
        select(
            LiveSession.id,
            Person.id,
            Person.email,
            Person.name,
            Person.language,
            LiveSession.title,
            LiveSession.starts_at,
            LiveSession.ends_at,
            LiveSession.location,
        )
        .join(Registration, Registration.session_id == LiveSession.id)
        .join(Person, Person.id == Registration.person_id)
        .where(LiveSession.cancelled_at.is_(None), Person.active, *conditions)
        .order_by(LiveSession.starts_at, LiveSession.id, Person.id)
    )
    for session_id, person_id, email, name, language, title, starts, ends, where in session.execute(
        query.execution_options(yield_per=1000)
    ):
        key = f"{kind}:{session_id}:{person_id}"
        if kind == REMINDER:
            key += f":{starts:%Y%m%dT%H%M}"
        yield Notice(
            kind, key, session_id, person_id, email, name, language, title, starts, ends, where
        )
