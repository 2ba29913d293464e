"""Signing in and out, and a person's own settings."""

from awareness.auth.routes import bp

__all__ = ["bp"]
