"""``/login``, ``/logout`` and ``/settings``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from awareness.auth.forms import LanguageForm, LoginForm, PasswordForm
from awareness.extensions import csrf, db, limiter
from awareness.models import Person
from awareness.people.accounts import find_person

bp = Blueprint("auth", __name__, template_folder="templates")

#: Checked when the email is unknown, so a failed sign-in takes as long either way.
_UNKNOWN = Person(email="", name="")
_UNKNOWN.set_password("no one has this password")


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the home page."""
    if target:
        parts = urlsplit(target)
        local = not parts.scheme and not parts.netloc and target.startswith("/")
        if local and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("learn.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
@csrf.exempt  # the form checks its own CSRF token, after the rate limit has counted the try
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        person = find_person(db.session, form.email.data)
        usable = person is not None and person.active and person.password_hash
        candidate = person if usable else _UNKNOWN  # always one hash check: no timing tell
        if candidate.check_password(form.password.data) and candidate is person:
            login_user(person, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        flash(_("That email and password do not match an active account."), "error")
    elif form.csrf_token.errors:
        flash(_("The form had expired. Please sign in again."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
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
            current_user.set_password(form.new_password.data)
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session; others end
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form, language_form=language_form)
