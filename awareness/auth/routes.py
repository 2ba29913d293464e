"""``/login``, ``/logout`` and ``/settings``."""

from __future__ import annotations

import math
import unicodedata
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from awareness import audit, errors
from awareness.auth import sessions, throttle
from awareness.auth.forms import (
    DigestForm,
    EndSessionsForm,
    LanguageForm,
    LoginForm,
    PasswordForm,
    RevokeTokenForm,
    TokenForm,
)
from awareness.extensions import csrf, db
from awareness.models import Person, utcnow
from awareness.people.accounts import find_person, live_tokens

bp = Blueprint("auth", __name__, template_folder="templates")

#: Checked when the email is unknown, so a failed sign-in takes as long either way.
_UNKNOWN = Person(email="", name="")
_UNKNOWN.set_password("no one has this password")


def safe_next(target: str | None) -> str:
    """``target`` when it is a plain path on this site, else the home page."""
    if target and _plain_local_path(target):
        return target
    return url_for("learn.index")


def _plain_local_path(target: str) -> bool:
    """A path on this site only: no scheme or host, no backslash, no control or space
    character (which could split a header or be read as a host by a browser)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(unicodedata.category(c)[0] in "CZ" for c in target):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc


@bp.route("/login", methods=["GET", "POST"])
@throttle.limited
@csrf.exempt  # the form checks its own CSRF token, after the rate limit has been checked
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        person = find_person(db.session, form.email.data)
        usable = person is not None and person.active and person.password_hash
        # Always one hash check, so a failed sign-in takes as long whoever it names.
        candidate = person if person is not None and usable else _UNKNOWN
        if candidate.check_password(form.password.data) and candidate is person:
            return _sign_in(candidate, remember=form.remember.data)
        throttle.record_failure()
        flash(_("That email and password do not match an active account."), "error")
    elif form.csrf_token.errors:
        flash(_("The form had expired. Please sign in again."), "error")
    return render_template("auth/login.html", form=form)


def _sign_in(person: Person, *, remember: bool):
    """Start a server-side session in a fresh Flask session (so a new CSRF token)."""
    person.session_key = sessions.start(
        db.session,
        person,
        remember=remember,
        now=utcnow(),
        idle=sessions.idle_timeout(current_app.config),
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
    )
    db.session.commit()
    session.clear()  # nothing from before sign-in carries over: no fixation
    login_user(person, remember=remember)
    response = redirect(safe_next(request.args.get("next")))
    throttle.trust_this_device(response, person.email)
    return response


@bp.errorhandler(429)
def too_many_sign_ins(error):
    """The sign-in page again, with the email kept and when to try again."""
    if request.endpoint != "auth.login":
        if error.response is not None:  # the page a limit's on_breach made
            return error.response
        return errors.respond(error)
    seconds = throttle.seconds_until_retry()
    minutes = math.ceil(seconds / 60)
    form = LoginForm()
    problem = ngettext(
        "Too many failed sign-ins. Please try again in %(num)d minute.",
        "Too many failed sign-ins. Please try again in %(num)d minutes.",
        minutes,
    )
    response = make_response(render_template("auth/login.html", form=form, problem=problem), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
def logout():
    if current_user.is_authenticated and "login_session" in g:
        sessions.end(db.session, g.login_session.id)
        db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = PasswordForm()
    languages = current_app.config["LANGUAGES"]
    language_form = (
        LanguageForm(languages, data={"language": current_user.language or ""})
        if len(languages) > 1
        else None
    )
    if language_form is not None and language_form.submit.data:
        if language_form.validate_on_submit():
            current_user.language = language_form.language.data or None
            db.session.commit()
            flash(_("Your language has been saved."), "success")
            return redirect(url_for("auth.settings"))
    elif form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        else:
            _change_password(current_user._get_current_object(), form.new_password.data)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.settings"))
    return render_template(
        "auth/settings.html",
        form=form,
        language_form=language_form,
        sessions_form=EndSessionsForm(),
        sessions=sessions.active(
            db.session,
            current_user.id,
            now=utcnow(),
            idle=sessions.idle_timeout(current_app.config),
        ),
        this_session=g.login_session.id,
        digest_form=DigestForm.offered_to(current_user),
        tokens=live_tokens(db.session, current_user.id),
        token_form=TokenForm(formdata=None),
        revoke_form=RevokeTokenForm(formdata=None),
    )


def _change_password(person: Person, password: str) -> None:
    """Set the password, end the person's other sessions and record it, in one commit."""
    person.set_password(password)
    sessions.end_others(db.session, person.id, keep_id=g.login_session.id)
    audit.record(db.session, "password.change", person.email)
    db.session.commit()


@bp.post("/settings/sessions")
@login_required
def end_other_sessions():
    """Sign out everywhere else: every session of this person but this browser's."""
    if EndSessionsForm().validate_on_submit():
        ended = sessions.end_others(db.session, current_user.id, keep_id=g.login_session.id)
        db.session.commit()
        flash(
            ngettext(
                "Signed out of %(num)d other session.",
                "Signed out of %(num)d other sessions.",
                ended,
            ),
            "success",
        )
    return redirect(url_for("auth.settings"))
