"""The audit log a page at a time, newest first, with the filters of :mod:`.export`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from awareness.audit.export import COLUMNS, AuditFilters
from awareness.models import AuditEvent

PER_PAGE = 50


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    ip: str | None

    @property
    def from_command_line(self) -> bool:
        return self.actor.startswith("cli:")


@dataclass(frozen=True)
class AuditPage:
    entries: list[Entry]
    page: int
    pages: int  # at least 1: an empty log has its page 1
    total: int


def audit_page(
    session: Session, filters: AuditFilters, page: int = 1, *, per_page: int = PER_PAGE
) -> AuditPage:
    """Page ``page`` (from 1) of the matching entries, newest first, and how many there are.

    A page past the last has no entries (the caller says so); the count and
    the page each read the indexes on ``at``, ``action``, ``actor`` and ``target``.
    """
    conditions = filters.conditions()
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions)) or 0
    rows = session.execute(
        select(*COLUMNS)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    entries = [Entry(*row) for row in rows]
    return AuditPage(entries, page, max(1, math.ceil(total / per_page)), total)
