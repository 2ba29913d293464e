"""The dashboard's CSV downloads: ``/dashboard/*.csv``, the figures of its pages as files.

They read the same scope and filters as the pages (``@scoped`` and
:func:`~awareness.web.scoped.selection`) and stream their rows, so a download
of the whole organisation never sits in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context
from flask_babel import gettext as _
from markupsafe import Markup

from awareness.dashboard.routes import bp, module_selection
from awareness.extensions import db
from awareness.models.types import utcnow
from awareness.reporting import breakdown, coverage, export, insights, roster, trend
from awareness.reporting.figures import Figures
from awareness.reporting.scope import Scope
from awareness.web.scoped import grouping, scoped, selection

FIGURE_HEADER = ["assigned", "completed", "overdue", "coverage", "avg_score"]


def figure_values(figures: Figures) -> list[object]:
    return list(figures.as_dict().values())


def download(name: str, header: list[str], rows: Iterable[Iterable[object]]) -> Response:
    """``rows`` under ``header`` as ``<name>.csv``, streamed, kept by no cache."""
    response = Response(stream_with_context(export.lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/coverage.csv")
@scoped
def coverage_csv(scope: Scope) -> Response:
    """Coverage by department, layer or module: the tables of every page."""
    by = grouping(default="department")
    report = coverage.coverage(db.session, by, selection(scope).filters)
    rows = [[row.key, row.label, *figure_values(row.figures)] for row in report.rows]
    rows.append(["", _("Total"), *figure_values(report.total)])
    return download(f"coverage-by-{by}", [by, "label", *FIGURE_HEADER], rows)


@bp.get("/heatmap.csv")
@scoped
def heatmap_csv(scope: Scope) -> Response:
    """Every department against every module, rolled up, as on the heat map."""
    chosen = selection(scope)
    cells = breakdown.breakdown(db.session, chosen.filters, utcnow())
    modules = [m for m in chosen.modules if m.id in cells.by_module()]

    def rows() -> Iterator[list[object]]:
        for root in cells.tree(chosen.departments_in_filters()):
            for node in root.walk():
                for item in modules:
                    figures = node.modules.get(item.id, Figures())
                    yield [node.path, item.slug, *figure_values(figures)]

    return download("heatmap", ["department", "module", *FIGURE_HEADER], rows())


@bp.get("/trend.csv")
@scoped
def trend_csv(scope: Scope) -> Response:
    points = trend.trend(db.session, selection(scope).filters, utcnow())
    rows = [[p.month, p.as_of, p.assigned, p.completed, p.coverage] for p in points]
    return download("trend", ["month", "as_of", "assigned", "completed", "coverage"], rows)


@bp.get("/assignments.csv")
@scoped
def assignments_csv(scope: Scope) -> Response:
    """Every assignment in the filters with its status (the status filter applies)."""
    chosen = selection(scope)
    rows = export.assignment_rows(db.session, chosen.filters, utcnow(), status=chosen.status)
    return download("assignments", export.ASSIGNMENT_HEADER, rows)


@bp.get("/people.csv")
@scoped
def people_csv(scope: Scope) -> Response:
    """The people table: each person's figures and status per module, most overdue first."""
    chosen = selection(scope)
    now = utcnow()
    modules = [m for m in chosen.modules if chosen.module in (None, m)]

    def rows() -> Iterator[list[object]]:
        for person in roster.every_person(db.session, chosen.filters, now, status=chosen.status):
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
@scoped
def scores_csv(scope: Scope, slug: str) -> Response:
    bands = insights.score_bands(db.session, selection(scope, module=slug).filters)
    return download(
        f"{slug}-scores", ["band", "low", "high", "people"],
        [[b.label, b.low, b.high, b.people] for b in bands],
    )  # fmt: skip


@bp.get("/modules/<slug>/questions.csv")
@scoped
def questions_csv(scope: Scope, slug: str) -> Response:
    chosen, item = module_selection(scope, slug)
    rows = [
        [
            q.number, plain(q.text_html), q.answers, q.right, q.share_right,
            q.top_wrong.number if q.top_wrong else None,
            plain(q.top_wrong.text_html) if q.top_wrong else None,
            q.top_wrong_count, q.missed_by_most,
        ]
        for q in insights.question_insights(db.session, item, chosen.filters)
    ]  # fmt: skip
    header = [
        "question", "text", "answers", "right", "share_right", "top_wrong_option",
        "top_wrong_text", "top_wrong_count", "missed_by_most",
    ]  # fmt: skip
    return download(f"{slug}-questions", header, rows)


def plain(html: str) -> str:
    """Text without its markup, for a spreadsheet."""
    return Markup(html).striptags()  # nosec # B704: sanitised HTML to plain text
