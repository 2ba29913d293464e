"""``POST /settings/digest``: a manager turns their weekly digest on or off."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awareness.auth.forms import DigestForm
from awareness.auth.routes import bp
from awareness.extensions import db
from awareness.reminders.digests import eligible_for_digest


@bp.post("/settings/digest")
@login_required
def save_digest():
    if not eligible_for_digest(current_user):
        abort(403, description=_("Only managers of a department get a weekly digest."))
    form = DigestForm()
    if form.validate_on_submit():
        current_user.wants_digest = form.wants_digest.data
        db.session.commit()
        if form.wants_digest.data:
            flash(_("You will get the weekly digest."), "success")
        else:
            flash(_("You will no longer get the weekly digest."), "success")
    return redirect(url_for("auth.settings"))
