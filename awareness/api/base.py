"""The blueprint of the JSON API and its authentication."""

from __future__ import annotations

from flask import Blueprint, abort, g, request
from flask_login import current_user

from awareness import inputs
from awareness.extensions import csrf, db, login_manager
from awareness.people.accounts import person_for_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

BEARER = "bearer "


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[len(BEARER) :].strip() if header.lower().startswith(BEARER) else None


@login_manager.request_loader
def load_person_from_token(request_):
    """Authenticate API requests that carry a bearer token (never pages)."""
    if not request_.path.startswith(bp.url_prefix + "/"):
        return None
    token = bearer_token()
    if token is None:
        return None
    person = person_for_token(db.session, token)
    g.authenticated_by_token = person is not None
    return person


@bp.before_request
def authenticate():
    """401 without authentication; CSRF for cookie-authenticated writes."""
    if bearer_token() is not None and not current_user.is_authenticated:
        abort(401, description="the bearer token is not valid")
    if not current_user.is_authenticated:
        abort(401, description="authentication required: a session or a bearer token")
    if request.method not in ("GET", "HEAD", "OPTIONS") and not g.get("authenticated_by_token"):
        csrf.protect()


def json_body() -> dict:
    """The request's JSON object, or 400 saying what is wrong."""
    data = inputs.json_body()
    if not isinstance(data, dict):
        abort(400, description="the request body must be a JSON object")
    return data
