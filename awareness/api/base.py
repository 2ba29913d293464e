"""The blueprint of the JSON API and its authentication."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from flask import Blueprint, abort, current_app, request
from flask_login import current_user
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from awareness.extensions import csrf, db, login_manager
from awareness.models import ApiToken, utcnow
from awareness.people.accounts import live_token, note_use, use_is_due
from awareness.web import inputs

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

READING_METHODS = ("GET", "HEAD", "OPTIONS")


def public(view: Callable) -> Callable:
    """Mark an API view as open to anyone: :func:`authenticate` lets it through."""
    view.public = True  # type: ignore[attr-defined]
    return view


def bearer_token() -> str | None:
    """The request's bearer token (perhaps empty), or None when it sends none."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@bp.before_request
def authenticate():
    """Decide who the caller is: the bearer token when one is sent, else the session.

    A bearer token alone decides, so an invalid one is a 401 even beside a
    valid session cookie. Cookie-authenticated writes need a CSRF token.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "public", False):
        return
    token = bearer_token()
    if token is not None:
        found = live_token(db.session, token)
        if found is None:
            unauthorized("the bearer token is not valid", error="invalid_token")
        # Flask-Login's slot for the request's user: whoever a session cookie names is ignored.
        login_manager._update_request_context_with_user(found.person)
        _note_use(found)
    elif not current_user.is_authenticated:
        unauthorized("authentication required: a session or a bearer token")
    elif request.method not in READING_METHODS:
        csrf.protect()


def _note_use(token: ApiToken) -> None:
    """Move the token's ``last_used_at`` (once a minute) in a short transaction of its own.

    The request's transaction is ended first (nothing is pending in it yet): on
    SQLite a reading request's transaction is deferred, and one that has read
    cannot safely start writing; a new one whose first statement writes can.
    """
    now = utcnow()
    if not use_is_due(token, now):
        return
    token_id = token.id
    db.session.commit()
    note_use(db.session, token_id, now)
    db.session.commit()


def unauthorized(description: str, *, error: str | None = None) -> NoReturn:
    """Answer 401 with ``WWW-Authenticate: Bearer`` (RFC 6750)."""
    challenge = WWWAuthenticate("bearer", {"error": error} if error else None)
    raise Unauthorized(description, www_authenticate=challenge)


def json_body() -> dict:
    """The request's JSON object, or 400 saying what is wrong."""
    data = inputs.json_body()
    if not isinstance(data, dict):
        abort(400, description="the request body must be a JSON object")
    return data
