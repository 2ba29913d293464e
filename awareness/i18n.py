"""Language, text direction and shared translated labels for templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

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


def register(app: Flask) -> None:
    @app.context_processor
    def language_globals() -> dict:
        return {"language": language, "text_direction": text_direction, "direction": direction}
