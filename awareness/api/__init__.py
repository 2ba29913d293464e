"""The JSON API, version 1: docs/api.md, and the OpenAPI document ``openapi.json`` beside this.

Requests authenticate with the session cookie or ``Authorization: Bearer TOKEN``.
Bearer requests need no CSRF token; cookie-authenticated writes do. Each
module here adds its routes to :data:`awareness.api.base.bp`.
"""

from awareness.api import coverage, learner, live, openapi
from awareness.api.base import bp

__all__ = ["bp", "coverage", "learner", "live", "openapi"]
