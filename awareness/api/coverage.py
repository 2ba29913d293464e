"""``GET /api/v1/coverage``: coverage figures in the caller's scope (docs/api.md)."""

from __future__ import annotations

from datetime import UTC

from flask import Response, jsonify

from awareness.api.base import bp
from awareness.extensions import db
from awareness.reporting import coverage as figures
from awareness.reporting.scope import Scope
from awareness.web.scoped import grouping, scoped, selection


@bp.get("/coverage")
@scoped
def coverage(scope: Scope) -> Response:
    """Coverage rows grouped ``by`` department, layer or module, filtered as the dashboard is."""
    by = grouping()
    report = figures.coverage(db.session, by, selection(scope).filters)
    return jsonify(
        by=report.by,
        as_of=report.as_of.replace(tzinfo=UTC).isoformat(),
        rows=[row.as_dict() for row in report.rows],
        total=report.total.as_dict(),
    )
