"""Figures for a group of assignments, the filters that choose the group, and their columns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, case, func, or_

from awareness.models import Assignment
from awareness.progress.status import is_completed, is_expired, is_past_due

#: The columns of a query that :meth:`Filters.apply` narrows.
Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class Figures:
    """Counts for a group of assignments; ratios are derived (docs/metrics.md)."""

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


def figures_of(values: Iterable[Any]) -> Figures:
    """The Figures of a row of :func:`figure_columns`."""
    return Figures(*(int(value) for value in values))


@dataclass(frozen=True)
class Row:
    """One row of a coverage report: a department, layer or module and its figures."""

    key: str
    label: str
    figures: Figures

    def as_dict(self) -> dict[str, str | int | float | None]:
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

    def apply(self, query: Select[*Columns]) -> Select[*Columns]:
        """``query`` (over ``assignment``) narrowed to these filters."""
        if self.department_ids is not None:
            query = query.where(Assignment.department_id.in_(self.department_ids))
        if self.layer_id is not None:
            query = query.where(Assignment.layer_id == self.layer_id)
        if self.module_id is not None:
            query = query.where(Assignment.module_id == self.module_id)
        return query


#: No filters: the whole organisation.
EVERYTHING = Filters()


def figure_columns(now: datetime) -> list[ColumnElement[Any]]:
    """Aggregate columns that make a :class:`Figures`, in its field order."""
    overdue = case((is_completed(now), 0), (or_(is_expired(now), is_past_due(now)), 1), else_=0)
    return [
        func.count().label("assigned"),
        func.coalesce(func.sum(case((is_completed(now), 1), else_=0)), 0).label("completed"),
        func.coalesce(func.sum(overdue), 0).label("overdue"),
        func.count(Assignment.best_score).label("scored"),
        func.coalesce(func.sum(Assignment.best_score), 0).label("score_total"),
    ]
