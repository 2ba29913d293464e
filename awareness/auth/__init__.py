"""Signing in and out, choosing a password through a link, and a person's own settings."""

from awareness.auth import emails, passwords, tokens  # noqa: F401 - their routes join bp
from awareness.auth.routes import bp

__all__ = ["bp"]
