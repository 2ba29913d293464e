"""``/admin/audit``: the audit log for admins, filtered, a page at a time, and as CSV.

The CSV is the one ``flask audit export`` writes (:mod:`awareness.audit.export`),
streamed in batches.
"""

from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context

from awareness.admin.access import AUDIT, bp, requires
from awareness.admin.audit_forms import AuditFilterForm
from awareness.audit import export, listing
from awareness.extensions import db
from awareness.web.scoped import check_page, page_number


@bp.get("/audit")
@requires(*AUDIT)
def audit() -> str | tuple[str, int]:
    form = AuditFilterForm.reading(request.args)
    page = page_number()
    if not form.validate():
        return render_template("admin/audit.html", form=form, listing=None), 400
    found = listing.audit_page(db.session, form.filters(), page)
    check_page(found.page, found.pages)
    return render_template("admin/audit.html", form=form, listing=found)


@bp.get("/audit.csv")
@requires(*AUDIT)
def audit_csv() -> Response:
    """The matching entries, oldest first, as ``audit export`` writes them."""
    form = AuditFilterForm.reading(request.args)
    if not form.validate():
        abort(400, description=" ".join(form.messages()))
    lines = export.lines(db.session, form.filters())
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
