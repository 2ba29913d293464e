"""Coverage figures exactly as CONTRACT section 3 defines them, computed in SQL.

Every figure comes from one aggregate over the ``assignment`` summary table
(see :mod:`awareness.assignments`). Pages, CSV exports and the API all call
this module, so the numbers agree everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Department, Layer, Module
from awareness.models.types import utcnow

STATUSES = ("completed", "expired", "overdue", "in_progress", "not_started")
GROUPINGS = ("department", "layer", "module")


@dataclass(frozen=True)
class Figures:
    """Counts for a group of assignments; ratios are derived."""

    assigned: int = 0
    completed: int = 0
    overdue: int = 0
    scored: int = 0  # assignments with an attempt at the current major
    score_total: int = 0  # the sum of their best scores

    @property
    def coverage(self) -> float | None:
        return None if not self.assigned else round(self.completed / self.assigned, 4)

    @property
    def avg_score(self) -> float | None:
        return None if not self.scored else round(self.score_total / self.scored, 1)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.assigned + other.assigned,
            self.completed + other.completed,
            self.overdue + other.overdue,
            self.scored + other.scored,
            self.score_total + other.score_total,
        )

    def as_dict(self) -> dict[str, int | float | None]:
        return {
            "assigned": self.assigned,
            "completed": self.completed,
            "overdue": self.overdue,
            "coverage": self.coverage,
            "avg_score": self.avg_score,
        }


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    figures: Figures

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, **self.figures.as_dict()}


@dataclass(frozen=True)
class Report:
    by: str
    as_of: datetime
    rows: list[Row]
    total: Figures


@dataclass(frozen=True)
class Filters:
    """What to count. ``department_ids`` None means the whole organisation."""

    department_ids: frozenset[int] | None = None
    layer_id: str | None = None
    module_id: int | None = None

    def apply(self, query):
        if self.department_ids is not None:
            query = query.where(Assignment.department_id.in_(self.department_ids))
        if self.layer_id is not None:
            query = query.where(Assignment.layer_id == self.layer_id)
        if self.module_id is not None:
            query = query.where(Assignment.module_id == self.module_id)
        return query


# -- SQL building blocks ---------------------------------------------------


def is_completed(now: datetime) -> ColumnElement[bool]:
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


def figure_columns(now: datetime) -> list[ColumnElement]:
    """Aggregate columns that make a :class:`Figures`, in its field order."""
    overdue = case((is_completed(now), 0), (or_(is_expired(now), is_past_due(now)), 1), else_=0)
    return [
        func.count().label("assigned"),
        func.coalesce(func.sum(case((is_completed(now), 1), else_=0)), 0).label("completed"),
        func.coalesce(func.sum(overdue), 0).label("overdue"),
        func.count(Assignment.best_score).label("scored"),
        func.coalesce(func.sum(Assignment.best_score), 0).label("score_total"),
    ]


def _figures(values: Iterable) -> Figures:
    return Figures(*(int(value) for value in values))


# -- reports ---------------------------------------------------------------


def totals(session: Session, filters: Filters = Filters(), now: datetime | None = None) -> Figures:
    """Figures over every assignment that passes the filters, each counted once."""
    now = now or utcnow()
    query = filters.apply(select(*figure_columns(now)).select_from(Assignment))
    return _figures(session.execute(query).one())


#: A cell of the coverage grid: (department id, module id, layer id).
Cell = tuple[int | None, int, str | None]
CELL_COLUMNS = (Assignment.department_id, Assignment.module_id, Assignment.layer_id)


def cells(session: Session, filters: Filters, now: datetime) -> dict[Cell, Figures]:
    """Figures per (department, module, layer): one GROUP BY in the covering index's order.

    Each assignment falls in exactly one cell, so every grouping and total is
    a sum of cells. Summing a few thousand cells beats grouping the table again
    by another column, which on SQLite cannot use the covering index.
    """
    query = filters.apply(select(*CELL_COLUMNS, *figure_columns(now)).group_by(*CELL_COLUMNS))
    return {(row[0], row[1], row[2]): _figures(row[3:]) for row in session.execute(query)}


def sum_by(grid: dict[Cell, Figures], part: int) -> dict:
    """Cells summed by one part of their key: 0 department, 1 module, 2 layer."""
    result: dict = {}
    for key, figures in grid.items():
        result[key[part]] = result.get(key[part], Figures()) + figures
    return result


def coverage(
    session: Session, by: str, filters: Filters = Filters(), now: datetime | None = None
) -> Report:
    """Coverage rows grouped ``by`` department, layer or module, and their total.

    One scan (see :func:`cells`); department rows roll up, so they overlap,
    but the total counts each assignment once.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    now = now or utcnow()
    grid = cells(session, filters, now)
    own = sum_by(grid, CELL_PART[by])
    rows = {"department": _by_department, "layer": _by_layer, "module": _by_module}[by](
        session, own, filters
    )
    return Report(by, now, rows, sum(grid.values(), Figures()))


CELL_PART = {"department": 0, "module": 1, "layer": 2}


def _by_department(session: Session, own: dict, filters: Filters) -> list[Row]:
    departments = session.execute(select(Department.id, Department.path, Department.name)).all()
    if filters.department_ids is not None:
        departments = [d for d in departments if d.id in filters.department_ids]
    by_path = {d.path: Figures() for d in departments}
    for department in departments:
        figures = own.get(department.id)
        if figures is None:
            continue
        for ancestor in ancestors(department.path):
            if ancestor in by_path:
                by_path[ancestor] += figures
    return [Row(d.path, d.name, by_path[d.path]) for d in sorted(departments, key=lambda d: d.path)]


def _by_layer(session: Session, own: dict, filters: Filters) -> list[Row]:
    layers = session.execute(select(Layer.id, Layer.title).order_by(Layer.position, Layer.id))
    return [
        Row(layer.id, layer.title, own.get(layer.id, Figures()))
        for layer in layers
        if filters.layer_id in (None, layer.id)
    ]


def _by_module(session: Session, own: dict, filters: Filters) -> list[Row]:
    modules = session.execute(
        select(Module.id, Module.slug, Module.title)
        .where(Module.id.in_(own))
        .order_by(Module.position.is_(None), Module.position, Module.title)
    )
    return [Row(module.slug, module.title, own[module.id]) for module in modules]


def ancestors(path: str) -> list[str]:
    """``A/B/C`` -> ``[A, A/B, A/B/C]``: the department and every department above it."""
    parts = path.split("/")
    return ["/".join(parts[: index + 1]) for index in range(len(parts))]


# -- one person's training -------------------------------------------------


@dataclass(frozen=True)
class PersonModule:
    module: Module
    status: str
    due: date | None
    best_score: int | None
    completed_at: datetime | None
    attempts: int


#: Statuses from the most urgent to the least: the order a person's training is listed in.
URGENCY = ("expired", "overdue", "in_progress", "not_started", "completed")


def due_of(status: str, due_on: date | None, expires_at: datetime | None) -> date | None:
    """The day a module is (or was) due; for a completion, the day it must be renewed."""
    if status in ("completed", "expired"):
        return expires_at.date() if expires_at else None
    return due_on


def person_assignments(
    session: Session, person_id: int, now: datetime | None = None
) -> list[PersonModule]:
    """Every module assigned to one person, with its status, the most urgent first."""
    rank = {status: index for index, status in enumerate(URGENCY)}
    return sorted(
        _person_modules(session, now, Assignment.person_id == person_id),
        key=lambda item: (
            rank[item.status],
            item.due or date.max,
            item.module.position or 0,
            item.module.title,
        ),
    )


def person_assignment(
    session: Session, person_id: int, module_id: int, now: datetime | None = None
) -> PersonModule | None:
    """One module's assignment to one person with its status, or None if it is not assigned."""
    found = _person_modules(
        session, now, Assignment.person_id == person_id, Assignment.module_id == module_id
    )
    return found[0] if found else None


def _person_modules(
    session: Session, now: datetime | None, *conditions: ColumnElement[bool]
) -> list[PersonModule]:
    now = now or utcnow()
    query = (
        select(Assignment, Module, status_of(now))
        .join(Module, Module.id == Assignment.module_id)
        .where(*conditions)
    )
    return [
        PersonModule(
            module=module,
            status=status,
            due=due_of(status, assignment.due_on, assignment.expires_at),
            best_score=assignment.best_score,
            completed_at=assignment.last_passed_at if status == "completed" else None,
            attempts=assignment.attempts,
        )
        for assignment, module, status in session.execute(query)
    ]


def department_ids_under(session: Session, paths: Collection[str]) -> frozenset[int]:
    """The ids of these departments and every department below them.

    Paths compare exactly, case and all, on every database: LIKE would ignore
    case on SQLite, so ``Finance`` would take in ``finance/payroll``.
    """
    if not paths:
        return frozenset()
    conditions = [is_under(path) for path in paths]
    return frozenset(session.scalars(select(Department.id).where(or_(*conditions))))


def is_under(path: str) -> ColumnElement[bool]:
    """The department ``path`` or one below it, by exact comparison (no LIKE patterns)."""
    prefix = path + "/"
    return or_(
        Department.path == path,
        func.substr(Department.path, 1, len(prefix)) == prefix,
    )
