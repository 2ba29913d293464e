"""Coverage figures exactly as docs/metrics.md defines them: totals, and rows by a grouping.

One scan of the assignment summary answers each report (see
:mod:`awareness.reporting.breakdown`); department rows roll up, so they
overlap, but a total counts each assignment once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.models import Assignment
from awareness.models.types import utcnow
from awareness.progress import catalogue
from awareness.progress.catalogue import LayerInfo
from awareness.reporting.breakdown import Breakdown, breakdown, departments_in
from awareness.reporting.figures import (
    EVERYTHING,
    Figures,
    Filters,
    Report,
    Row,
    figure_columns,
    figures_of,
)

#: What a coverage report may be grouped by.
GROUPINGS = ("department", "layer", "module")


def totals(session: Session, filters: Filters = EVERYTHING, now: datetime | None = None) -> Figures:
    """Figures over every assignment that passes the filters, each counted once."""
    now = now or utcnow()
    query = filters.apply(select(*figure_columns(now)).select_from(Assignment))
    return figures_of(session.execute(query).one())


def coverage(
    session: Session, by: str, filters: Filters = EVERYTHING, now: datetime | None = None
) -> Report:
    """Coverage rows grouped ``by`` department, layer or module, and their total."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    grid = breakdown(session, filters, now or utcnow())
    rows = _ROWS[by](session, grid, filters)
    return Report(by, grid.as_of, rows, grid.total())


def by_department(session: Session, grid: Breakdown, filters: Filters) -> list[Row]:
    """A row per department in the filters, by path, each rolled up with those below it."""
    roots = grid.tree(departments_in(session, filters.department_ids))
    nodes = sorted((node for root in roots for node in root.walk()), key=lambda node: node.path)
    return [Row(node.path, node.name, node.figures) for node in nodes]


def by_layer(session: Session, grid: Breakdown, filters: Filters) -> list[Row]:
    """A row per layer in the filters, in the order of ``org.yml``."""
    return layer_rows(catalogue.layers(session), grid, filters.layer_id)


def layer_rows(layers: list[LayerInfo], grid: Breakdown, layer_id: str | None) -> list[Row]:
    """A row per layer of ``layers`` (only ``layer_id``, when given), in that order."""
    own = grid.by_layer()
    return [
        Row(layer.id, layer.title, own.get(layer.id, Figures()))
        for layer in layers
        if layer_id in (None, layer.id)
    ]


def by_module(session: Session, grid: Breakdown, filters: Filters) -> list[Row]:
    """A row per module with assignments in the filters, in catalogue order."""
    own = grid.by_module()
    return [
        Row(module.slug, module.title, own[module.id])
        for module in catalogue.assigned_modules(session)
        if module.id in own
    ]


_ROWS: dict[str, Callable[[Session, Breakdown, Filters], list[Row]]] = {
    "department": by_department,
    "layer": by_layer,
    "module": by_module,
}
