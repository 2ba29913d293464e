"""Coverage of departments against modules: the cells of the heat map, its tree and its roll-up.

One ``GROUP BY department, module, layer`` over the assignment summary gives
:class:`~awareness.reporting.figures.Figures` for every cell; everything an
overview shows (totals, layers, modules, departments with their roll-up) is a
sum of those cells, so one scan answers a whole page. Departments roll up here
only (:meth:`Breakdown.tree`), for pages, CSV downloads and the API alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Department
from awareness.people.directory import ancestors, depth, parent_of
from awareness.reporting.figures import Figures, Filters, figure_columns, figures_of

#: A cell of the coverage grid: (department id, module id, layer id).
CellKey = tuple[int | None, int, str | None]
CELL_COLUMNS = (Assignment.department_id, Assignment.module_id, Assignment.layer_id)

Key = TypeVar("Key")


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    path: str
    name: str


@dataclass
class Node:
    """A department of the tree with its figures rolled up from everything below it."""

    id: int
    path: str
    name: str
    depth: int
    figures: Figures = field(default_factory=Figures)
    modules: dict[int, Figures] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        """This department, then every department below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Breakdown:
    """The figures of every (department, module, layer) cell in a scope after filters."""

    as_of: datetime
    cells: dict[CellKey, Figures]

    def total(self) -> Figures:
        return sum(self.cells.values(), Figures())

    def by_layer(self) -> dict[str | None, Figures]:
        return _sum_by(self.cells, lambda key: key[2])

    def by_module(self) -> dict[int, Figures]:
        return _sum_by(self.cells, lambda key: key[1])

    def by_department(self) -> dict[int | None, Figures]:
        """Each department's own figures, without those below it."""
        return _sum_by(self.cells, lambda key: key[0])

    def tree(self, departments: Iterable[DepartmentInfo]) -> list[Node]:
        """The department tree (roots first) with figures rolled up, per module too.

        ``departments`` are those to show; a department whose parent is not
        among them is a root, so a manager's tree starts at theirs.
        """
        nodes = {
            d.path: Node(d.id, d.path, d.name, depth(d.path))
            for d in sorted(departments, key=lambda d: d.path)
        }
        by_id = {node.id: node for node in nodes.values()}
        for (department_id, module_id, _layer), figures in self.cells.items():
            node = by_id.get(department_id) if department_id is not None else None
            if node is None:
                continue
            for path in ancestors(node.path):
                target = nodes.get(path)
                if target is not None:
                    target.figures += figures
                    target.modules[module_id] = target.modules.get(module_id, Figures()) + figures
        roots: list[Node] = []
        for path, node in nodes.items():
            parent = nodes.get(parent_of(path))
            (parent.children if parent is not None else roots).append(node)
        return roots


def _sum_by(grid: dict[CellKey, Figures], part: Callable[[CellKey], Key]) -> dict[Key, Figures]:
    result: dict[Key, Figures] = {}
    for key, figures in grid.items():
        result[part(key)] = result.get(part(key), Figures()) + figures
    return result


def cells(session: Session, filters: Filters, now: datetime) -> dict[CellKey, Figures]:
    """Figures per (department, module, layer): one GROUP BY in the covering index's order.

    Each assignment falls in exactly one cell, so every grouping and total is
    a sum of cells. Summing a few thousand cells beats grouping the table again
    by another column, which on SQLite cannot use the covering index.
    """
    query = filters.apply(select(*CELL_COLUMNS, *figure_columns(now)).group_by(*CELL_COLUMNS))
    return {(row[0], row[1], row[2]): figures_of(row[3:]) for row in session.execute(query)}


def breakdown(session: Session, filters: Filters, now: datetime) -> Breakdown:
    """Figures per (department, module, layer) in one aggregate query."""
    return Breakdown(now, cells(session, filters, now))


def departments_in(session: Session, department_ids: frozenset[int] | None) -> list[DepartmentInfo]:
    """Departments in a scope, by path; None is every department."""
    query = select(Department.id, Department.path, Department.name).order_by(Department.path)
    return [
        DepartmentInfo(*row)
        for row in session.execute(query)
        if department_ids is None or row.id in department_ids
    ]
