"""Coverage of departments against modules: the heat map, its tree and its roll-up.

One ``GROUP BY department, module, layer`` over the assignment summary gives
:class:`~awareness.metrics.Figures` for every cell; everything an overview
shows (totals, layers, modules, departments with their roll-up) is a sum of
those cells, so one scan answers the whole page with the figures of
:mod:`awareness.metrics`, exactly. Single groupings go to :func:`metrics.coverage`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness import metrics
from awareness.metrics import Figures, Filters
from awareness.models import Department, Layer, Module


@dataclass(frozen=True)
class ModuleInfo:
    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class LayerInfo:
    id: str
    title: str


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

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Breakdown:
    """The figures of every (department, module, layer) cell in a scope after filters."""

    as_of: datetime
    cells: dict[metrics.Cell, Figures]

    def total(self) -> Figures:
        return sum(self.cells.values(), Figures())

    def by_layer(self) -> dict[str | None, Figures]:
        return metrics.sum_by(self.cells, 2)

    def by_module(self) -> dict[int, Figures]:
        return metrics.sum_by(self.cells, 1)

    def tree(self, departments: Iterable[Department | tuple]) -> list[Node]:
        """The department tree (roots first) with figures rolled up, per module too.

        ``departments`` are the rows to show (id, path, name); a department whose
        parent is not among them is a root, so a manager's tree starts at theirs.
        """
        nodes = {
            d.path: Node(d.id, d.path, d.name, d.path.count("/"))
            for d in sorted(departments, key=lambda d: d.path)
        }
        by_id = {node.id: node for node in nodes.values()}
        for (department_id, module_id, _layer), figures in self.cells.items():
            node = by_id.get(department_id)
            if node is None:
                continue
            for path in metrics.ancestors(node.path):
                target = nodes.get(path)
                if target is not None:
                    target.figures += figures
                    target.modules[module_id] = target.modules.get(module_id, Figures()) + figures
        roots = []
        for path, node in nodes.items():
            parent = nodes.get(path.rpartition("/")[0])
            (parent.children if parent is not None else roots).append(node)
        return roots


def breakdown(session: Session, filters: Filters, now: datetime) -> Breakdown:
    """Figures per (department, module, layer) in one aggregate query."""
    return Breakdown(now, metrics.cells(session, filters, now))


def departments_in(session: Session, department_ids: frozenset[int] | None) -> list[Department]:
    """Departments (id, path, name) in a scope, by path; None is every department."""
    query = select(Department.id, Department.path, Department.name).order_by(Department.path)
    rows = session.execute(query).all()
    if department_ids is not None:
        rows = [row for row in rows if row.id in department_ids]
    return rows


def assigned_modules(session: Session) -> list[ModuleInfo]:
    """Every module that can be assigned (live and required), in catalogue order."""
    query = (
        select(Module.id, Module.slug, Module.title)
        .where(~Module.retired, Module.required)
        .order_by(Module.position.is_(None), Module.position, Module.title)
    )
    return [ModuleInfo(*row) for row in session.execute(query)]


def layers(session: Session) -> list[LayerInfo]:
    query = select(Layer.id, Layer.title).order_by(Layer.position, Layer.id)
    return [LayerInfo(*row) for row in session.execute(query)]
