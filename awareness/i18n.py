"""Language, text direction and shared translated labels for templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, HTTPException, NotFound, RequestEntityTooLarge


class ExplainedNotFound(NotFound):
    """A 404 whose description was written for people (translated), so the page shows it."""


RIGHT_TO_LEFT = {"ar", "fa", "he", "ps", "sd", "ug", "ur", "yi"}


def language() -> str:
    """The language of the interface for this request."""
    locale = get_locale()
    return locale.language if locale else "en"


def direction(language_code: str | None) -> str:
    """``"rtl"`` for a language written right to left (``ur``, ``ar-EG``...), else ``"ltr"``."""
    primary = (language_code or "").replace("_", "-").partition("-")[0].lower()
    return "rtl" if primary in RIGHT_TO_LEFT else "ltr"


def text_direction() -> str:
    """The direction of the interface's language."""
    return direction(language())


def status_labels() -> dict:
    """What each status (docs/metrics.md) is called on pages, in the person's language."""
    return {
        "completed": _l("Completed"),
        "expired": _l("Expired"),
        "overdue": _l("Overdue"),
        "in_progress": _l("In progress"),
        "not_started": _l("Not started"),
    }


def message_for_people(error: HTTPException) -> str | None:
    """The description of a 400 that our own ``abort(400, description=_(...))`` wrote, or of
    an :class:`ExplainedNotFound`.

    Werkzeug's default text and errors raised by libraries (CSRF, a missing
    form key: subclasses of BadRequest) are in English and for developers.
    """
    if isinstance(error, ExplainedNotFound):
        return error.description
    if type(error) in (BadRequest, RequestEntityTooLarge) and (
        error.description != type(error).description
    ):
        return error.description
    return None


def register(app: Flask) -> None:
    app.jinja_env.globals["status_labels"] = status_labels  # global: imported macros use it too

    @app.context_processor
    def language_globals() -> dict:
        return {
            "language": language,
            "text_direction": text_direction,
            "direction": direction,
            "message_for_people": message_for_people,
        }
