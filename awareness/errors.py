"""One place that turns errors into responses: JSON for the API, a page for people."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from awareness.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, respond)
    app.register_error_handler(RequestEntityTooLarge, too_large)


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
    if error.code and error.code >= 500:
        db.session.rollback()  # a failed request leaves nothing half-written
    if wants_json():
        response = jsonify(error=error.description)
    else:
        response = render_template("error.html", error=error)
    passed_on = ("WWW-Authenticate", "Allow", "Retry-After")
    headers = {key: value for key, value in error.get_response().headers if key in passed_on}
    return response, error.code, headers
