"""CSV downloads: streamed line by line, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Department, Module, Person
from awareness.progress.status import status_of
from awareness.reporting.figures import Filters

#: A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ASSIGNMENT_HEADER = [
    "email", "name", "department", "layer", "module", "status", "assigned_on", "due_on",
    "attempts", "best_score", "last_passed_at", "expires_at",
]  # fmt: skip


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value: object) -> object:
    """A value as it should read in the file: ratios as numbers, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return neutralise(value)


def lines(
    header: Iterable[str], rows: Iterable[Iterable[object]], *, batch: int = 500
) -> Iterator[str]:
    """CSV text for a header and rows, a few hundred rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    for count, row in enumerate(rows, 1):
        writer.writerow([cell(value) for value in row])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def assignment_rows(
    session: Session, filters: Filters, now: datetime, *, status: str | None = None
) -> Iterator[tuple[object, ...]]:
    """Every assignment in the filters with its status, read with a server-side cursor."""
    state = status_of(now)
    query = filters.apply(
        select(
            Person.email,
            Person.name,
            Department.path,
            Assignment.layer_id,
            Module.slug,
            state,
            Assignment.assigned_on,
            Assignment.due_on,
            Assignment.attempts,
            Assignment.best_score,
            Assignment.last_passed_at,
            Assignment.expires_at,
        )
        .select_from(Assignment)
        .join(Person, Person.id == Assignment.person_id)
        .join(Module, Module.id == Assignment.module_id)
        .outerjoin(Department, Department.id == Assignment.department_id)
        .order_by(Assignment.person_id, Assignment.module_id)
    )
    if status is not None:
        query = query.where(state == status)
    for row in session.execute(query.execution_options(yield_per=2000)):
        yield tuple(row)
