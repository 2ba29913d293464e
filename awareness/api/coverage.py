"""``GET /api/v1/coverage``: coverage figures in the caller's scope."""

from __future__ import annotations

from datetime import UTC

from flask import abort, jsonify, request
from flask_login import current_user
from sqlalchemy import select

from awareness import metrics
from awareness.api.base import bp
from awareness.extensions import db
from awareness.models import Layer, Module
from awareness.scope import scope_of


@bp.get("/coverage")
def coverage():
    """Coverage rows grouped ``by`` department, layer or module (CONTRACT section 4)."""
    scope = scope_of(db.session, current_user)
    if scope is None:
        abort(403, description="coverage is for HR, administrators and managers")
    by = request.args.get("by", "")
    if by not in metrics.GROUPINGS:
        abort(400, description=f"by must be one of: {', '.join(metrics.GROUPINGS)}")

    narrower: dict = {}
    path = request.args.get("department")
    if path is not None:
        wanted = scope.department(db.session, path)
        if wanted is None and scope.whole_organisation:
            abort(400, description=f"unknown department: {path}")
        if wanted is None:  # the same answer whether the department exists or not
            abort(403, description=f"department {path} is outside your scope")
        narrower["department_ids"] = wanted
    layer = request.args.get("layer")
    if layer is not None:
        if db.session.get(Layer, layer) is None:
            abort(400, description=f"unknown layer: {layer}")
        narrower["layer_id"] = layer
    slug = request.args.get("module")
    if slug is not None:
        module_id = db.session.scalar(select(Module.id).where(Module.slug == slug, ~Module.retired))
        if module_id is None:
            abort(400, description=f"unknown module: {slug}")
        narrower["module_id"] = module_id

    report = metrics.coverage(db.session, by, scope.filters(**narrower))
    return jsonify(
        by=report.by,
        as_of=report.as_of.replace(tzinfo=UTC).isoformat(),
        rows=[row.as_dict() for row in report.rows],
        total=report.total.as_dict(),
    )
