"""``/dashboard/sessions/``: live sessions in the dashboard, for HR and managers.

Upcoming sessions with registrations against capacity; past ones with
attendance, by department; a CSV of a session's roster and attendance. A
manager's figures count only the people of their departments.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, render_template, stream_with_context
from flask_login import current_user, login_required

from awareness.extensions import db
from awareness.live import report
from awareness.models.types import utcnow
from awareness.reporting import export
from awareness.reporting.scope import Scope, scope_of
from awareness.sessions.routes import live_session

report_bp = Blueprint(
    "session_report", __name__, url_prefix="/dashboard/sessions", template_folder="templates"
)

#: Past sessions shown: those of the last year.
PAST = timedelta(days=365)


def caller_scope() -> Scope:
    scope = scope_of(db.session, current_user)
    if scope is None:
        abort(403)
    return scope


@report_bp.get("/")
@login_required
def overview():
    scope = caller_scope()
    now = utcnow()
    return render_template(
        "sessions/report.html",
        scope=scope,
        now=now,
        upcoming=report.sessions(db.session, scope.department_ids, now=now, upcoming=True),
        past=report.sessions(
            db.session, scope.department_ids, now=now, upcoming=False, since=now - PAST
        ),
    )


@report_bp.get("/<id:session_id>")
@login_required
def session_figures(session_id: int):
    scope = caller_scope()
    live = live_session(session_id)
    return render_template(
        "sessions/report_session.html",
        scope=scope,
        live=live,
        rows=report.by_department(db.session, live, scope.department_ids),
    )


@report_bp.get("/<id:session_id>/roster.csv")
@login_required
def roster_csv(session_id: int):
    """Everyone registered or attending (in the caller's scope), formula-neutralised."""
    scope = caller_scope()
    live = live_session(session_id)
    rows = (entry.as_row() for entry in report.roster(db.session, live, scope.department_ids))
    response = Response(
        stream_with_context(export.lines(report.ROSTER_HEADER, rows)), mimetype="text/csv"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="session-{live.id}.csv"'
    return response
