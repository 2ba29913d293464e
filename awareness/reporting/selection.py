"""The one reader of the filters in a request: department, layer, module, status and page.

Dashboard pages, CSV downloads and the JSON API all read their arguments
here, so a value means the same everywhere and a bad one gets the same answer
(docs/http.md, docs/api.md):

- 400 for a value that names nothing (an unknown layer, module, status or
  department, a page that is not a whole number in range, a grouping that is
  none of :data:`~awareness.reporting.coverage.GROUPINGS`);
- 403 for a department outside a manager's scope, the same whether or not it
  exists, so a manager learns nothing about the rest of the organisation;
- 404 when the URL's path, not its query, names what does not exist, and for a
  page past the last of a list (:func:`page_in_range`): every paged list answers so.

An empty value is no filter, as an HTML form's "All" sends it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from awareness.people.directory import ancestors
from awareness.progress import catalogue
from awareness.progress.catalogue import LayerInfo, ModuleInfo
from awareness.progress.status import STATUSES
from awareness.reporting.breakdown import DepartmentInfo, departments_in
from awareness.reporting.coverage import GROUPINGS
from awareness.reporting.figures import Filters
from awareness.reporting.scope import Scope

MAX_PAGE = 1_000_000
DIGITS = re.compile(r"[0-9]{1,7}")


class SelectionError(Exception):
    """A filter that cannot be used; ``status`` is the HTTP status it answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Selection:
    """The caller's scope narrowed by the filters in the request, and what could be chosen."""

    scope: Scope
    layers: list[LayerInfo]
    departments: list[DepartmentInfo]  # every department in the scope, by path
    modules: list[ModuleInfo]  # every module that can be assigned, in catalogue order
    layer: str | None
    department: str | None
    module: ModuleInfo | None
    status: str | None
    filters: Filters

    def args(self, **override: str | None) -> dict[str, str]:
        """The filters as query arguments, for links that keep them."""
        values = {
            "layer": self.layer,
            "department": self.department,
            "module": self.module.slug if self.module else None,
            "status": self.status,
        }
        values.update(override)
        return {key: value for key, value in values.items() if value}

    def departments_in_filters(self) -> list[DepartmentInfo]:
        """The departments the filters take in: the chosen one and those below it, or all."""
        ids = self.filters.department_ids
        return [d for d in self.departments if ids is None or d.id in ids]

    def parents(self, path: str) -> list[DepartmentInfo]:
        """The departments above ``path`` that are in the scope, from the top."""
        above = set(ancestors(path)[:-1])
        return [d for d in self.departments if d.path in above]


def select(
    session: Session,
    scope: Scope,
    args: Mapping[str, str],
    *,
    department: str | None = None,
    module: str | None = None,
) -> Selection:
    """Read the filters in ``args`` within ``scope``, or raise :class:`SelectionError`.

    ``department`` and ``module`` come from the URL's path (``/departments/<path>``,
    ``/modules/<slug>``) and take the place of the query's: one that does not
    exist is a 404 rather than a 400.
    """
    departments = departments_in(session, scope.department_ids)
    layers = catalogue.layers(session)
    modules = catalogue.assigned_modules(session)

    path = department if department is not None else args.get("department") or None
    narrowed = _department(session, scope, path, in_path=department is not None)
    slug = module if module is not None else args.get("module") or None
    chosen = next((m for m in modules if m.slug == slug), None)
    if slug is not None and chosen is None:
        if module is not None:
            raise SelectionError(404, _("There is no module %(slug)s.", slug=slug))
        raise SelectionError(400, _("There is no module %(slug)s to report on.", slug=slug))
    layer = args.get("layer") or None
    if layer is not None and layer not in {item.id for item in layers}:
        raise SelectionError(400, _("There is no layer %(layer)s.", layer=layer))
    status = args.get("status") or None
    if status is not None and status not in STATUSES:
        raise SelectionError(
            400,
            _(
                "There is no status %(status)s: it is one of %(statuses)s.",
                status=status,
                statuses=", ".join(STATUSES),
            ),
        )
    return Selection(
        scope=scope,
        layers=layers,
        departments=departments,
        modules=modules,
        layer=layer,
        department=path,
        module=chosen,
        status=status,
        filters=scope.filters(
            department_ids=narrowed, layer_id=layer, module_id=chosen.id if chosen else None
        ),
    )


def _department(
    session: Session, scope: Scope, path: str | None, *, in_path: bool
) -> frozenset[int] | None:
    """The ids of department ``path`` and those below it (None: no department chosen)."""
    if path is None:
        return None
    ids = scope.department(session, path)
    if ids is not None:
        return ids
    if not scope.whole_organisation:  # the same whether the department exists or not
        raise SelectionError(403, _("department %(path)s is outside your scope", path=path))
    if in_path:
        raise SelectionError(404, _("There is no department %(path)s.", path=path))
    raise SelectionError(400, _("There is no department %(path)s.", path=path))


def page_number(args: Mapping[str, str], name: str = "page") -> int:
    """The page number in ``args`` (1 when absent), or a 400 SelectionError saying what is wrong."""
    value = args.get(name, "1")
    if not DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
        raise SelectionError(
            400,
            _(
                "The page number must be a whole number from 1 to %(last)s.",
                last=format_number(MAX_PAGE),
            ),
        )
    return int(value)


def page_in_range(page: int, pages: int) -> None:
    """A 404 SelectionError for a page past the last of ``pages`` (a list always has page 1).

    Every paged list answers so, rather than showing an empty page or another one.
    """
    last = max(pages, 1)
    if page > last:
        raise SelectionError(
            404,
            ngettext(
                "There is no page %(page)s: the list has %(pages)s page.",
                "There is no page %(page)s: the list has %(pages)s pages.",
                last,
                page=format_number(page),
                pages=format_number(last),
            ),
        )


def grouping(args: Mapping[str, str], default: str | None = None) -> str:
    """What a coverage report is grouped by (``by``), or a 400 SelectionError."""
    by = args.get("by", default or "")
    if by not in GROUPINGS:
        raise SelectionError(
            400, _("“by” must be one of: %(choices)s", choices=", ".join(GROUPINGS))
        )
    return by
