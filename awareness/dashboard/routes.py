"""The dashboard's pages: the overview, a department and a module (``/dashboard/...``).

Every page starts from the caller's scope (``@scoped``: HR and admins the whole
organisation, a manager their departments, anyone else 403), narrows it with
the filters in the query string, and asks :mod:`awareness.reporting` for the
figures. Links carry the filters along. The CSV downloads are in :mod:`.downloads`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, abort, render_template
from flask_babel import format_date, format_decimal, format_percent
from flask_login import current_user

from awareness.dashboard import charts
from awareness.dashboard.forms import FilterForm
from awareness.extensions import db
from awareness.models import Module
from awareness.models.types import utcnow
from awareness.progress import catalogue
from awareness.reporting import breakdown, coverage, insights, roster, trend
from awareness.reporting.scope import Scope, has_scope
from awareness.reporting.selection import Selection
from awareness.web.scoped import check_page, page_number, scoped, selection

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")

PER_PAGE = 50
#: How a missing figure reads (an en dash).
NONE = "\u2013"


# -- template helpers ------------------------------------------------------


@bp.app_template_filter("dash_percent")
def percent(value: float | None) -> str:
    """A ratio as a percentage in the person's locale (``0.375`` is ``38%`` in English)."""
    return NONE if value is None else format_percent(value)


@bp.app_template_filter("dash_band")
def band(value: float | None) -> str:
    """The colour class of a coverage ratio: ``cov-0`` .. ``cov-10``, or ``cov-none``."""
    return "cov-none" if value is None else f"cov-{int(value * 10)}"


@bp.app_template_filter("dash_month")
def month(value: str, pattern: str = "MMM y") -> str:
    """``2026-01`` as the person's locale writes a month (``Jan 2026`` in English)."""
    year, number = value.split("-")
    return format_date(date(int(year), int(number), 1), pattern)


@bp.app_template_filter("dash_score")
def score(value: float | None) -> str:
    return NONE if value is None else format_decimal(value)


@bp.app_context_processor
def dashboard_link() -> dict[str, Any]:
    """``sees_dashboard()``: whether the signed-in person has figures to see (the nav asks)."""

    def sees_dashboard() -> bool:
        return current_user.is_authenticated and has_scope(current_user)

    return {"sees_dashboard": sees_dashboard}


# -- pages -----------------------------------------------------------------


@bp.get("/")
@scoped
def overview(scope: Scope) -> str:
    chosen = selection(scope)
    now = utcnow()
    cells = breakdown.breakdown(db.session, chosen.filters, now)
    points = trend.trend(db.session, chosen.filters, now, current=cells.total())
    return render_template(
        "dashboard/overview.html",
        **_figures(chosen, cells),
        tree=cells.tree(chosen.departments_in_filters()),
        points=points,
        chart=charts.line_chart(points),
    )


@bp.get("/departments/<path:path>")
@scoped
def department(scope: Scope, path: str) -> str:
    chosen = selection(scope, department=path)
    cells = breakdown.breakdown(db.session, chosen.filters, utcnow())
    tree = cells.tree(chosen.departments_in_filters())
    page = roster.roster(
        db.session, chosen.filters, cells.as_of, status=chosen.status, page=page_number(),
        per_page=PER_PAGE,
    )  # fmt: skip
    check_page(page.page, page.pages)
    everyone = roster.count(db.session, chosen.filters, cells.as_of) if chosen.status else 0
    return render_template(
        "dashboard/department.html",
        **_figures(chosen, cells, narrowed=(page.total, everyone)),
        node=tree[0] if tree else None,
        roster=page,
        parents=chosen.parents(path),
    )


@bp.get("/modules/<slug>")
@scoped
def module(scope: Scope, slug: str) -> str:
    chosen, item = module_selection(scope, slug)
    cells = breakdown.breakdown(db.session, chosen.filters, utcnow())
    return render_template(
        "dashboard/module.html",
        s=chosen,
        form=FilterForm.showing(chosen),
        narrowed=_narrowed(chosen, cells.as_of),
        now=cells.as_of,
        item=item,
        total=cells.total(),
        by_department=coverage.by_department(db.session, cells, chosen.filters),
        by_layer=coverage.layer_rows(chosen.layers, cells, chosen.layer),
        bands=insights.score_bands(db.session, chosen.filters),
        questions=insights.question_insights(db.session, item, chosen.filters),
    )


def module_selection(scope: Scope, slug: str) -> tuple[Selection, Module]:
    """The request's filters on the module ``slug``, and the module (404 when it is not live)."""
    chosen = selection(scope, module=slug)
    item = catalogue.live_module(db.session, slug)
    if item is None:  # retired since the filters were read
        abort(404)
    return chosen, item


def _figures(
    chosen: Selection, cells: breakdown.Breakdown, narrowed: tuple[int, int] | None = None
) -> dict[str, Any]:
    """What the overview and a department page both show: the headline, layers and modules.

    A manager sees only the layers their people are in: the organisation's
    others would be rows of nothing.
    """
    by_module = cells.by_module()
    by_layer = coverage.layer_rows(chosen.layers, cells, chosen.layer)
    if not chosen.scope.whole_organisation:
        by_layer = [row for row in by_layer if row.figures.assigned or row.key == chosen.layer]
    return {
        "s": chosen,
        "form": FilterForm.showing(chosen),
        "narrowed": narrowed or _narrowed(chosen, cells.as_of),
        "now": cells.as_of,
        "total": cells.total(),
        "people": roster.people_count(db.session, chosen.filters),
        "by_layer": by_layer,
        "by_module": by_module,
        "modules": [m for m in chosen.modules if m.id in by_module],
    }


def _narrowed(chosen: Selection, now: datetime) -> tuple[int, int] | None:
    """With a status filter: how many people have an assignment with that status, of how many."""
    if chosen.status is None:
        return None
    return (
        roster.count(db.session, chosen.filters, now, status=chosen.status),
        roster.count(db.session, chosen.filters, now),
    )
