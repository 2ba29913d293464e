"""People and their status per module, the most overdue first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Department, Person
from awareness.progress.status import due_of, status_of
from awareness.reporting.figures import Figures, Filters, figure_columns, figures_of


@dataclass(frozen=True)
class ModuleStatus:
    """Where one person stands with one module."""

    status: str
    best_score: int | None
    due: date | None


@dataclass(frozen=True)
class RosterEntry:
    """A person with their figures and their status per module (by module id)."""

    id: int
    name: str
    email: str
    department: str | None
    layer_id: str | None
    figures: Figures
    modules: dict[int, ModuleStatus]


@dataclass(frozen=True)
class Roster:
    people: list[RosterEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _people_query(filters: Filters, now: datetime, status: str | None) -> Select[Any]:
    """One row per person with their figures, most overdue first, then by name."""
    figures = figure_columns(now)
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
        query = query.having(func.sum(case((status_of(now) == status, 1), else_=0)) > 0)
    return filters.apply(query)


def _ordered(query: Select[Any]) -> Select[Any]:
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
    total = count(session, filters, now, status=status)
    rows = session.execute(
        _ordered(query).limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    return Roster(_with_modules(session, rows, filters, now), total, page, per_page)


def count(session: Session, filters: Filters, now: datetime, *, status: str | None = None) -> int:
    """How many people in the filters have an assignment (one with ``status``, when given)."""
    query = _people_query(filters, now, status)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def every_person(
    session: Session, filters: Filters, now: datetime, *, status: str | None = None
) -> Iterator[RosterEntry]:
    """Every person in the filters in the roster's order, fetched in batches."""
    query = _ordered(_people_query(filters, now, status))
    batch: list[Row[*tuple[Any, ...]]] = []
    for row in session.execute(query.execution_options(yield_per=1000)):
        batch.append(row)
        if len(batch) == 1000:
            yield from _with_modules(session, batch, filters, now)
            batch = []
    if batch:
        yield from _with_modules(session, batch, filters, now)


def _with_modules(
    session: Session, rows: Sequence[Row[*tuple[Any, ...]]], filters: Filters, now: datetime
) -> list[RosterEntry]:
    if not rows:
        return []
    ids = [row[0] for row in rows]
    cells: dict[int, dict[int, ModuleStatus]] = {person_id: {} for person_id in ids}
    status = status_of(now)
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
        cells[person_id][module_id] = ModuleStatus(state, best, due_of(state, due_on, expires_at))
    return [
        RosterEntry(
            id=row[0],
            name=row[1],
            email=row[2],
            department=row[3],
            layer_id=row[4],
            figures=figures_of(row[5:]),
            modules=cells[row[0]],
        )
        for row in rows
    ]


def people_count(session: Session, filters: Filters) -> int:
    """Active people in the filters (those assigned the module, when one is chosen)."""
    if filters.module_id is not None:
        assigned = filters.apply(select(func.count(func.distinct(Assignment.person_id))))
        return int(session.scalar(assigned) or 0)
    query = select(func.count()).select_from(Person).where(Person.active)
    if filters.department_ids is not None:
        query = query.where(Person.department_id.in_(filters.department_ids))
    if filters.layer_id is not None:
        query = query.where(Person.layer_id == filters.layer_id)
    return int(session.scalar(query) or 0)
