"""``/settings/tokens``: a person's own API tokens, created (shown once) and revoked."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awareness.auth.forms import RevokeTokenForm, TokenForm
from awareness.auth.routes import bp
from awareness.extensions import db, unit_of_work
from awareness.models import ApiToken
from awareness.people.accounts import issue_token, revoke_token


@bp.post("/settings/tokens")
@login_required
def create_token():
    """Issue a token and show it this once (only its hash is kept)."""
    form = TokenForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("auth.settings", _anchor="tokens"))
    label = form.label.data.strip()
    with unit_of_work(db.session):
        token = issue_token(db.session, current_user._get_current_object(), label)
    return render_template("auth/token_created.html", token=token, label=label)


@bp.post("/settings/tokens/<id:token_id>/revoke")
@login_required
def revoke_own_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.person_id != current_user.id:
        abort(404)
    if not RevokeTokenForm().validate_on_submit():
        abort(400, description=_("The form had expired. Please try again."))
    with unit_of_work(db.session):
        revoked = revoke_token(db.session, token_id, owner=current_user)
    if revoked:
        flash(_("The API token is revoked: it no longer works."), "success")
    else:
        flash(_("That API token was already revoked."), "info")
    return redirect(url_for("auth.settings", _anchor="tokens"))
