"""Recurring messages to a person (reminders, digests): when the next one is due.

Each message is an ``email_message`` row. A person's next message is due when
their latest one (not counting cancelled ones) was sent at least ``every``
days ago, by the calendar (a run at 08:00 a week after one at 08:01 still
counts a week). An unsent latest one is retried instead, with what it lists
brought up to date. The new row's ``dedupe_key`` names the row it follows,
so two runs planning the same message at once write one row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from awareness.mail.outbox import MAX_ATTEMPTS, UNSENT, rowcount
from awareness.models import EmailMessage


@dataclass(frozen=True)
class Latest:
    id: int
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class Planned:
    """A message one person should get now: what it lists is in ``details``."""

    person_id: int
    to_address: str
    language: str
    details: dict[str, Any]


def latest(session: Session, kind: str, person_ids: Collection[int]) -> dict[int, Latest]:
    """Each person's latest message of ``kind`` that was not cancelled."""
    if not person_ids:
        return {}
    newest = (
        select(func.max(EmailMessage.id))
        .where(
            EmailMessage.kind == kind,
            EmailMessage.person_id.in_(person_ids),
            EmailMessage.status != "cancelled",
        )
        .group_by(EmailMessage.person_id)
    )
    rows = session.execute(
        select(
            EmailMessage.person_id,
            EmailMessage.id,
            EmailMessage.status,
            EmailMessage.attempts,
            EmailMessage.created_at,
            EmailMessage.sent_at,
        ).where(EmailMessage.id.in_(newest))
    )
    return {row[0]: Latest(*row[1:]) for row in rows if row[0] is not None}


def decide(previous: Latest | None, today: date, every: int) -> str | None:
    """``new``, ``retry`` (the unsent latest one) or None (nothing due yet)."""
    if previous is None:
        return "new"
    if previous.status == "sent":
        assert previous.sent_at is not None
        return "new" if previous.sent_at.date() <= today - timedelta(days=every) else None
    if previous.status in UNSENT:
        if previous.attempts < MAX_ATTEMPTS:
            return "retry"
        return "new" if previous.created_at.date() <= today - timedelta(days=every) else None
    return None  # being sent by another run


def dedupe_key(kind: str, person_id: int, previous: Latest | None) -> str:
    return f"{kind}:{person_id}:after:{previous.id if previous else 0}"


def write(
    session: Session,
    kind: str,
    plans: Sequence[tuple[Planned, Latest | None, str]],
    now: datetime,
) -> dict[int, int]:
    """Write the new rows and refresh the retried ones; message id for each person.

    ``plans`` holds (plan, the person's latest message, decision). A row
    another run wrote first is left as it is and claimed by nobody twice (see
    :func:`awareness.mail.outbox.claim`).
    """
    new = [
        {
            "kind": kind,
            "person_id": plan.person_id,
            "to_address": plan.to_address,
            "language": plan.language,
            "subject": "",
            "dedupe_key": dedupe_key(kind, plan.person_id, previous),
            "details": plan.details,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for plan, previous, decision in plans
        if decision == "new"
    ]
    ids: dict[int, int] = {}
    if new:
        insert = (
            postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        session.execute(insert(EmailMessage).on_conflict_do_nothing(), new)
        keys = [row["dedupe_key"] for row in new]
        found = session.execute(
            select(EmailMessage.person_id, EmailMessage.id).where(EmailMessage.dedupe_key.in_(keys))
        )
        ids.update({person: message for person, message in found if person is not None})
    for plan, previous, decision in plans:
        if decision == "retry" and previous is not None:
            session.execute(
                update(EmailMessage)
                .where(EmailMessage.id == previous.id, EmailMessage.status.in_(UNSENT))
                .values(details=plan.details, to_address=plan.to_address, language=plan.language)
                .execution_options(synchronize_session=False)
            )
            ids[plan.person_id] = previous.id
    return ids


def cancel_unneeded(session: Session, kind: str, still_wanted: ColumnElement[bool]) -> int:
    """Cancel unsent messages of ``kind`` whose person no longer needs one (``still_wanted``
    is a condition on ``EmailMessage.person_id``); how many."""
    return rowcount(
        session.execute(
            update(EmailMessage)
            .where(EmailMessage.kind == kind, EmailMessage.status.in_(UNSENT), ~still_wanted)
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        )
    )
