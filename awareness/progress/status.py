"""An assignment's status (docs/metrics.md) as SQL expressions, and the order of urgency."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, or_

from awareness.models import Assignment

#: Every status, in the order pages and exports list them.
STATUSES = ("completed", "expired", "overdue", "in_progress", "not_started")
#: Statuses from the most urgent to the least: the order a person's training is listed in.
URGENCY = ("expired", "overdue", "in_progress", "not_started", "completed")


def is_completed(now: datetime) -> ColumnElement[bool]:
    """A pass at the current major that has not expired."""
    return and_(
        Assignment.last_passed_at.is_not(None),
        or_(Assignment.expires_at.is_(None), Assignment.expires_at >= now),
    )


def is_expired(now: datetime) -> ColumnElement[bool]:
    return Assignment.expires_at < now


def is_past_due(now: datetime) -> ColumnElement[bool]:
    return Assignment.due_on < now.date()


def status_of(now: datetime) -> ColumnElement[str]:
    """The status of an assignment as a SQL expression."""
    return case(
        (is_completed(now), "completed"),
        (is_expired(now), "expired"),
        (is_past_due(now), "overdue"),
        (Assignment.attempts > 0, "in_progress"),
        else_="not_started",
    )


def due_of(status: str, due_on: date | None, expires_at: datetime | None) -> date | None:
    """The day a module is (or was) due; for a completion, the day it must be renewed."""
    if status in ("completed", "expired"):
        return expires_at.date() if expires_at else None
    return due_on
