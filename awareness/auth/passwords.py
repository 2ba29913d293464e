"""``/password/forgot`` and ``/password/reset/<token>``: choosing a password through a link.

Asking for a link answers the same, and as fast, whether or not the address
is known: the person is looked up, and the email sent, only after the answer
has gone (see :func:`awareness.mail.later.after_response`). Requests are limited per address
asked for and per client, in the limiter's storage (Redis when configured).
"""

from __future__ import annotations

import logging
import math
import time

from flask import (
    Response,
    current_app,
    flash,
    make_response,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RequestLimit

from awareness.auth import devices
from awareness.auth.forms import ChoosePasswordForm, ForgotPasswordForm
from awareness.auth.routes import _sign_in, bp
from awareness.auth.sessions import end_all
from awareness.extensions import csrf, db, limiter
from awareness.mail import outbox
from awareness.mail.later import after_response
from awareness.mail.outbox import Courier
from awareness.people import password_links

log = logging.getLogger(__name__)


def _asked_for() -> str:
    return request.form.get("email", "").strip().lower()[:254]


def _too_many(limit: RequestLimit) -> Response:
    """The form again, saying when to try again (429)."""
    seconds = max(1, math.ceil(limit.reset_at - time.time()))
    problem = ngettext(
        "Too many requests for a new password. Please try again in %(num)d minute.",
        "Too many requests for a new password. Please try again in %(num)d minutes.",
        math.ceil(seconds / 60),
    )
    page = render_template("auth/forgot.html", form=ForgotPasswordForm(), problem=problem)
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


per_address = limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_ADDRESS"],
    key_func=lambda: "reset-address:" + devices.account_id(_asked_for()),
    exempt_when=lambda: not _asked_for(),
    methods=["POST"],
    on_breach=_too_many,
)
per_client = limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_CLIENT"],
    key_func=lambda: f"reset-client:{request.remote_addr}",
    methods=["POST"],
    on_breach=_too_many,
)


@bp.route("/password/forgot", methods=["GET", "POST"])
@per_address
@per_client
@csrf.exempt  # the form checks its own CSRF token, after the limits
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email, address = _asked_for(), request.remote_addr
        response = make_response(render_template("auth/forgot_sent.html", email=email))
        after_response(response, lambda: send_reset(email, address), "sending a password email")
        return response
    if form.csrf_token.errors:
        flash(_("The form had expired. Please try again."), "error")
    return render_template("auth/forgot.html", form=form)


def send_reset(email: str, address: str | None) -> None:
    """Email a reset link to ``email`` if it is an active person's; log what happened."""
    with outbox.transport() as way_out:  # connects only if there is something to send
        courier = Courier(db.session, way_out, commit_every=None)
        sent = password_links.send_reset(db.session, courier, email, ip=address)
    if sent is None:
        log.info("password reset asked for %r from %s: no active person", email, address)
    elif not sent:
        log.error("password reset email to %s failed: %s", email, courier.last_error)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a password through a reset or invitation link; signs the person in."""
    link = password_links.usable(db.session, token)
    if link is None:
        return render_template("auth/link_unusable.html")
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        used = password_links.use(db.session, token, form.password.data)
        if used is None:  # used a moment ago by another submission
            db.session.rollback()
            return render_template("auth/link_unusable.html")
        end_all(db.session, [used.person_id])  # whoever knew the old password is signed out
        response = _sign_in(used.person, remember=False)
        flash(_("Your password has been set. Welcome."), "success")  # after: sign-in clears
        return response
    return render_template("auth/reset.html", form=form, link=link)
