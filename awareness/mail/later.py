"""Work done once a response has gone: sending an email without making the person wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from werkzeug.wrappers import Response

from awareness.extensions import db


def after_response(response: Response, work: Callable[[], Any], what: str) -> None:
    """Run ``work`` when ``response`` is closed, in a fresh app context; log any failure.

    What it does must already be recorded (committed) beforehand: if the
    process stops first, the next ``reminders send`` finds it unsent.
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    @response.call_on_close
    def run() -> None:
        with app.app_context():
            try:
                work()
            except Exception:
                db.session.rollback()
                app.logger.exception("%s failed", what)
