"""One place that turns errors into responses: JSON for the API, a page for people."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, ServiceUnavailable

from awareness.extensions import db, login_manager

#: What SQLAlchemy raises when the database cannot be reached (down, restarting, locked).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait when the database does not answer.
RETRY_AFTER = 30


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, respond)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    for unreachable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unreachable, unavailable)


def too_large(error: RequestEntityTooLarge):
    """413, saying what the limit is."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit:
        megabytes = format_decimal(limit / 1024 / 1024, format="#,##0.#")
        error = RequestEntityTooLarge(
            _("What you sent is larger than the limit of %(size)s MB.", size=megabytes)
        )
    return respond(error)


def respond(error: HTTPException):
    """Answer ``error`` as JSON for API clients and as a page for people."""
    if isinstance(getattr(error, "original_exception", None), DATABASE_UNAVAILABLE):
        return unavailable(error)  # raised where no handler could see it, e.g. opening the session
    if error.code and error.code >= 500:
        db.session.rollback()  # a failed request leaves nothing half-written
    if wants_json():
        response: Response | str = jsonify(error=error.description)
    else:
        response = render_template("error.html", error=error)
    passed_on = ("WWW-Authenticate", "Allow", "Retry-After")
    headers = {key: value for key, value in error.get_response().headers if key in passed_on}
    return response, error.code, headers


def unavailable(error: Exception):
    """A 503 that asks nothing of the database: the page is rendered as if nobody signed in."""
    current_app.logger.warning("database unavailable: %s", error)
    with suppress(SQLAlchemyError):  # the connection may be gone already; the pool replaces it
        db.session.rollback()
    headers = {"Retry-After": str(RETRY_AFTER)}
    if request.blueprint == "health":
        return {"status": "unavailable"}, 503, headers
    if wants_json():
        return jsonify(error="the service is unavailable: please try again shortly"), 503, headers
    g._login_user = login_manager.anonymous_user()  # the nav must not load the person
    return render_template("error.html", error=ServiceUnavailable()), 503, headers
