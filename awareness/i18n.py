"""Language and text direction for templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

RIGHT_TO_LEFT = {"ar", "fa", "he", "ps", "sd", "ug", "ur", "yi"}


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def text_direction() -> str:
    return "rtl" if language() in RIGHT_TO_LEFT else "ltr"


def register(app: Flask) -> None:
    @app.context_processor
    def language_globals() -> dict:
        return {"language": language, "text_direction": text_direction}
