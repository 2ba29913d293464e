"""Dashboard pages and their CSV downloads: ``/dashboard/...``.

Every page and download starts from the caller's scope (HR and admins: the
whole organisation; a manager: their departments; anyone else: 403), narrows
it with the filters in the query string, and asks the domain modules for
figures. Links carry the filters along.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select

from awareness import breakdown, csvexport, insights, metrics, roster, trend
from awareness.dashboard import charts
from awareness.dashboard.forms import FilterForm
from awareness.extensions import db
from awareness.inputs import page_number
from awareness.metrics import Filters
from awareness.models import Assignment, Module, Person
from awareness.models.types import utcnow
from awareness.scope import Scope, has_scope, scope_of

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")

PER_PAGE = 50
#: How a missing figure reads (an en dash).
NONE = "\u2013"


# -- filters ---------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The caller's scope narrowed by the filters in the query string."""

    scope: Scope
    form: FilterForm
    layers: list[breakdown.LayerInfo]
    departments: list  # rows (id, path, name) in scope
    modules: list[breakdown.ModuleInfo]
    layer: str | None
    department: str | None
    module: breakdown.ModuleInfo | None
    status: str | None
    filters: Filters

    def args(self, **override) -> dict[str, str]:
        """The filters as query arguments, for links that keep them."""
        values = {
            "layer": self.layer,
            "department": self.department,
            "module": self.module.slug if self.module else None,
            "status": self.status,
        }
        values.update(override)
        return {key: value for key, value in values.items() if value}

    def layer_title(self, layer_id: str | None) -> str:
        return next((layer.title for layer in self.layers if layer.id == layer_id), layer_id or "")


def select_filters(*, department: str | None = None, module: str | None = None) -> Selection:
    """Parse and check the filters: 403 outside the caller's scope, 400 for nonsense."""
    scope = scope_of(db.session, current_user)
    if scope is None:
        abort(403)
    session = db.session
    departments = breakdown.departments_in(session, scope.department_ids)
    layers = breakdown.layers(session)
    modules = breakdown.assigned_modules(session)

    form = FilterForm(formdata=request.args)
    form.set_choices(layers, [d.path for d in departments], modules)
    if department is not None:
        form.department.data = department
    if module is not None:
        form.module.data = module

    path = form.department.data or None
    narrowed = None if path is None else scope.department(session, path)
    if path is not None and narrowed is None:
        if not scope.whole_organisation:
            abort(403)  # the same whether the department exists or not
        if department is not None:
            abort(404)
        abort(400, description=_("There is no department %(path)s.", path=path))
    slug = form.module.data or None
    chosen = next((m for m in modules if m.slug == slug), None)
    if slug is not None and chosen is None:
        if module is not None:
            abort(404)
        abort(400, description=_("There is no module %(slug)s to report on.", slug=slug))
    if not form.validate():
        problems = (
            _("%(field)s: %(problems)s", field=form[name].label.text, problems=" ".join(errors))
            for name, errors in form.errors.items()
        )
        abort(400, description="; ".join(problems))

    narrower: dict = {
        "layer_id": form.layer.data or None,
        "module_id": chosen.id if chosen else None,
    }
    if narrowed is not None:
        narrower["department_ids"] = narrowed
    return Selection(
        scope=scope,
        form=form,
        layers=layers,
        departments=departments,
        modules=modules,
        layer=form.layer.data or None,
        department=path,
        module=chosen,
        status=form.status.data or None,
        filters=scope.filters(**narrower),
    )


def people_count(filters: Filters) -> int:
    """Active people in the filters (those assigned the module, when one is chosen)."""
    if filters.module_id is not None:
        query = filters.apply(select(func.count(func.distinct(Assignment.person_id))))
        return int(db.session.scalar(query) or 0)
    query = select(func.count()).select_from(Person).where(Person.active)
    if filters.department_ids is not None:
        query = query.where(Person.department_id.in_(filters.department_ids))
    if filters.layer_id is not None:
        query = query.where(Person.layer_id == filters.layer_id)
    return int(db.session.scalar(query) or 0)


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
def month(value: str) -> str:
    """``2026-01`` as the person's locale writes a month (``Jan 2026`` in English)."""
    year, number = value.split("-")
    return format_date(date(int(year), int(number), 1), "MMM y")


@bp.app_template_filter("dash_score")
def score(value: float | None) -> str:
    return NONE if value is None else format_decimal(value)


@bp.app_context_processor
def dashboard_link() -> dict:
    """``sees_dashboard()``: whether the signed-in person has figures to see (the nav asks)."""

    def sees_dashboard() -> bool:
        return current_user.is_authenticated and has_scope(current_user)

    return {"sees_dashboard": sees_dashboard}


# -- pages -----------------------------------------------------------------


@bp.get("/")
@login_required
def overview():
    selection = select_filters()
    now = utcnow()
    cells = breakdown.breakdown(db.session, selection.filters, now)
    by_module = cells.by_module()
    modules = [m for m in selection.modules if m.id in by_module]
    total = cells.total()
    points = trend.trend(db.session, selection.filters, now, current=total)
    return render_template(
        "dashboard/overview.html",
        s=selection,
        now=now,
        total=total,
        people=people_count(selection.filters),
        by_layer=layer_rows(selection, cells),
        by_module=by_module,
        modules=modules,
        tree=cells.tree(in_filter(selection)),
        points=points,
        chart=charts.line_chart(points),
    )


@bp.get("/departments/<path:path>")
@login_required
def department(path: str):
    selection = select_filters(department=path)
    now = utcnow()
    cells = breakdown.breakdown(db.session, selection.filters, now)
    by_module = cells.by_module()
    tree = cells.tree(in_filter(selection))
    node = tree[0] if tree else None
    page = roster.roster(
        db.session, selection.filters, now, status=selection.status, page=page_number(),
        per_page=PER_PAGE,
    )  # fmt: skip
    return render_template(
        "dashboard/department.html",
        s=selection,
        now=now,
        node=node,
        total=cells.total(),
        people=people_count(selection.filters),
        by_layer=layer_rows(selection, cells),
        by_module=by_module,
        modules=[m for m in selection.modules if m.id in by_module],
        roster=page,
        parents=[
            p for p in metrics.ancestors(path)[:-1] if p in {d.path for d in selection.departments}
        ],
    )


@bp.get("/modules/<slug>")
@login_required
def module(slug: str):
    selection = select_filters(module=slug)
    now = utcnow()
    item = db.session.get(Module, selection.module.id)
    by_department = metrics.coverage(db.session, "department", selection.filters, now)
    by_layer = metrics.coverage(db.session, "layer", selection.filters, now)
    return render_template(
        "dashboard/module.html",
        s=selection,
        now=now,
        item=item,
        total=by_department.total,
        by_department=by_department.rows,
        by_layer=by_layer.rows,
        bands=insights.score_bands(db.session, selection.filters),
        questions=insights.question_insights(db.session, item, selection.filters),
    )


def in_filter(selection: Selection) -> list:
    ids = selection.filters.department_ids
    return (
        selection.departments if ids is None else [d for d in selection.departments if d.id in ids]
    )


def layer_rows(selection: Selection, cells: breakdown.Breakdown) -> list[metrics.Row]:
    own = cells.by_layer()
    return [
        metrics.Row(layer.id, layer.title, own.get(layer.id, metrics.Figures()))
        for layer in selection.layers
        if selection.layer in (None, layer.id)
    ]


# -- CSV downloads ---------------------------------------------------------

FIGURE_HEADER = ["assigned", "completed", "overdue", "coverage", "avg_score"]


def figure_values(figures: metrics.Figures) -> list:
    return list(figures.as_dict().values())


def download(name: str, header: list[str], rows) -> Response:
    response = Response(stream_with_context(csvexport.lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/coverage.csv")
@login_required
def coverage_csv():
    """Coverage by department, layer or module: the tables of every page."""
    by = request.args.get("by", "department")
    if by not in metrics.GROUPINGS:
        abort(
            400,
            description=_("“by” must be one of: %(choices)s", choices=", ".join(metrics.GROUPINGS)),
        )
    selection = select_filters()
    report = metrics.coverage(db.session, by, selection.filters)
    rows = [[row.key, row.label, *figure_values(row.figures)] for row in report.rows]
    rows.append(["", _("Total"), *figure_values(report.total)])
    return download(f"coverage-by-{by}", [by, "label", *FIGURE_HEADER], rows)


@bp.get("/heatmap.csv")
@login_required
def heatmap_csv():
    """Every department against every module, rolled up, as on the heat map."""
    selection = select_filters()
    cells = breakdown.breakdown(db.session, selection.filters, utcnow())
    modules = [m for m in selection.modules if m.id in cells.by_module()]

    def rows():
        for root in cells.tree(in_filter(selection)):
            for node in root.walk():
                for item in modules:
                    figures = node.modules.get(item.id, metrics.Figures())
                    yield [node.path, item.slug, *figure_values(figures)]

    return download("heatmap", ["department", "module", *FIGURE_HEADER], rows())


@bp.get("/trend.csv")
@login_required
def trend_csv():
    selection = select_filters()
    points = trend.trend(db.session, selection.filters, utcnow())
    rows = [[p.month, p.as_of, p.assigned, p.completed, p.coverage] for p in points]
    return download("trend", ["month", "as_of", "assigned", "completed", "coverage"], rows)


@bp.get("/assignments.csv")
@login_required
def assignments_csv():
    """Every assignment in the filters with its status (the status filter applies)."""
    selection = select_filters()
    rows = csvexport.assignment_rows(
        db.session, selection.filters, utcnow(), status=selection.status
    )
    return download("assignments", csvexport.ASSIGNMENT_HEADER, rows)


@bp.get("/people.csv")
@login_required
def people_csv():
    """The people table: each person's figures and status per module, most overdue first."""
    selection = select_filters()
    now = utcnow()
    modules = [m for m in selection.modules if selection.module in (None, m)]

    def rows():
        for person in roster.every_person(
            db.session, selection.filters, now, status=selection.status
        ):
            statuses = [
                person.modules[m.id].status if m.id in person.modules else "" for m in modules
            ]
            yield [
                person.email, person.name, person.department, person.layer_id,
                *figure_values(person.figures), *statuses,
            ]  # fmt: skip

    header = ["email", "name", "department", "layer", *FIGURE_HEADER, *(m.slug for m in modules)]
    return download("people", header, rows())


@bp.get("/modules/<slug>/scores.csv")
@login_required
def scores_csv(slug: str):
    selection = select_filters(module=slug)
    bands = insights.score_bands(db.session, selection.filters)
    return download(
        f"{slug}-scores", ["band", "low", "high", "people"],
        [[b.label, b.low, b.high, b.people] for b in bands],
    )  # fmt: skip


@bp.get("/modules/<slug>/questions.csv")
@login_required
def questions_csv(slug: str):
    selection = select_filters(module=slug)
    item = db.session.get(Module, selection.module.id)
    rows = [
        [
            q.number, plain(q.text_html), q.answers, q.right, q.share_right,
            q.top_wrong.number if q.top_wrong else None,
            plain(q.top_wrong.text_html) if q.top_wrong else None,
            q.top_wrong_count, q.missed_by_most,
        ]
        for q in insights.question_insights(db.session, item, selection.filters)
    ]  # fmt: skip
    header = [
        "question", "text", "answers", "right", "share_right", "top_wrong_option",
        "top_wrong_text", "top_wrong_count", "missed_by_most",
    ]  # fmt: skip
    return download(f"{slug}-questions", header, rows)


def plain(html: str) -> str:
    """Text without its markup, for a spreadsheet."""
    return Markup(html).striptags()  # nosec # B704: sanitised HTML to plain text
