"""Absolute links for emails, built from ``AWARENESS_BASE_URL``.

Never from the request's Host header: whoever asks for a password reset
could otherwise send someone a link to a site of their choosing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from awareness.mail.settings import MailConfigError

MISSING = (
    "AWARENESS_BASE_URL is not set: emails link to the site, so set it to the address "
    "people use to reach it, e.g. https://awareness.example.org"
)


def base_url() -> str:
    """The configured base URL, or :class:`MailConfigError` saying what to set."""
    url = current_app.config.get("BASE_URL")
    if not url:
        raise MailConfigError(MISSING)
    return str(url)


def link(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under the base URL (which may have a path)."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
