"""The audit log as CSV: filtered, read in batches, safe to open in a spreadsheet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from awareness.models import AuditEvent
from awareness.reporting import export

HEADER = ["at", "actor", "action", "target", "details", "ip"]
BATCH = 1000
#: What the page and the CSV read of an entry.
COLUMNS = (
    AuditEvent.id,
    AuditEvent.at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.target,
    AuditEvent.details,
    AuditEvent.ip,
)


@dataclass(frozen=True)
class AuditFilters:
    """Which entries to read; days are UTC and both ends are included.

    ``person`` (an email, in lower case) keeps the entries they made or that
    name them as the target.
    """

    since: date | None = None
    until: date | None = None
    actions: tuple[str, ...] = ()
    person: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions = []
        if self.since is not None:
            conditions.append(AuditEvent.at >= datetime.combine(self.since, time()))
        if self.until is not None:
            end = datetime.combine(self.until + timedelta(days=1), time())
            conditions.append(AuditEvent.at < end)
        if self.actions:
            conditions.append(AuditEvent.action.in_(self.actions))
        if self.person:
            conditions.append(
                or_(AuditEvent.actor == self.person, AuditEvent.target == self.person)
            )
        return conditions


def rows(
    session: Session, filters: AuditFilters, *, batch: int = BATCH
) -> Iterator[tuple[object, ...]]:
    """The matching entries, oldest first, as CSV rows.

    Entries are read ``batch`` at a time after the last id seen, each batch in
    a transaction of its own (the session's is ended after each), so a long
    export never holds a lock or the whole table.
    """
    last_id = 0
    while True:
        events = session.execute(
            select(*COLUMNS)
            .where(AuditEvent.id > last_id, *filters.conditions())
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        session.rollback()
        for event in events:
            yield (
                event.at.isoformat(timespec="seconds") + "Z",
                event.actor,
                event.action,
                event.target,
                json.dumps(event.details, separators=(",", ":"), ensure_ascii=False),
                event.ip,
            )
        if len(events) < batch:
            return
        last_id = events[-1].id


def lines(session: Session, filters: AuditFilters, *, batch: int = BATCH) -> Iterator[str]:
    """The CSV text, header first, with formula-like cells made inert."""
    return export.lines(HEADER, rows(session, filters, batch=batch), batch=batch)
