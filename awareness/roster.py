"""People and their status per module, the most overdue first."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from awareness import metrics
from awareness.metrics import Figures, Filters
from awareness.models import Assignment, Department, Person


@dataclass(frozen=True)
class Cell:
    status: str
    best_score: int | None
    due: date | None


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    email: str
    department: str | None
    layer_id: str | None
    figures: Figures
    modules: dict[int, Cell]


@dataclass(frozen=True)
class Roster:
    people: list[PersonRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _people_query(filters: Filters, now: datetime, status: str | None):
    """One row per person with their figures, most overdue first, then by name."""
    figures = metrics.figure_columns(now)
    query = (
        select(
            Assignment.person_id,
            Person.name,
            Person.email,
            Department.path,
            Person.layer_id,
            *figures,
        )
        .join(Person, Person.id == Assignment.person_id)
        .outerjoin(Department, Department.id == Assignment.department_id)
        .group_by(Assignment.person_id, Person.name, Person.email, Department.path, Person.layer_id)
    )
    if status is not None:
        query = query.having(func.sum(case((metrics.status_of(now) == status, 1), else_=0)) > 0)
    return filters.apply(query)


def _ordered(query):
    columns = query.selected_columns
    return query.order_by(columns.overdue.desc(), columns.name, Assignment.person_id)


def roster(
    session: Session,
    filters: Filters,
    now: datetime,
    *,
    status: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Roster:
    """One page of people in the filters, each with their status per module."""
    query = _people_query(filters, now, status)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(
        _ordered(query).limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    return Roster(_with_modules(session, rows, filters, now), int(total or 0), page, per_page)


def every_person(
    session: Session, filters: Filters, now: datetime, *, status: str | None = None
) -> Iterator[PersonRow]:
    """Every person in the filters in the roster's order, fetched in batches."""
    query = _ordered(_people_query(filters, now, status))
    batch: list = []
    for row in session.execute(query.execution_options(yield_per=1000)):
        batch.append(row)
        if len(batch) == 1000:
            yield from _with_modules(session, batch, filters, now)
            batch = []
    if batch:
        yield from _with_modules(session, batch, filters, now)


def _with_modules(session: Session, rows, filters: Filters, now: datetime) -> list[PersonRow]:
    if not rows:
        return []
    ids = [row[0] for row in rows]
    cells: dict[int, dict[int, Cell]] = {person_id: {} for person_id in ids}
    status = metrics.status_of(now)
    query = Filters(layer_id=filters.layer_id, module_id=filters.module_id).apply(
        select(
            Assignment.person_id,
            Assignment.module_id,
            status,
            Assignment.best_score,
            Assignment.due_on,
            Assignment.expires_at,
        ).where(Assignment.person_id.in_(ids))
    )
    for person_id, module_id, state, best, due_on, expires_at in session.execute(query):
        cells[person_id][module_id] = Cell(state, best, metrics.due_of(state, due_on, expires_at))
    return [
        PersonRow(
            id=row[0],
            name=row[1],
            email=row[2],
            department=row[3],
            layer_id=row[4],
            figures=Figures(*(int(value) for value in row[5:])),
            modules=cells[row[0]],
        )
        for row in rows
    ]
