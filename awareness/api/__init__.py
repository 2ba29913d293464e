"""The JSON API, version 1 (CONTRACT section 4).

Requests authenticate with the session cookie or ``Authorization: Bearer TOKEN``.
Bearer requests need no CSRF token; cookie-authenticated writes do. Each
module here adds its routes to :data:`awareness.api.base.bp`.
"""

from awareness.api import coverage, learner, live
from awareness.api.base import bp

__all__ = ["bp", "coverage", "learner", "live"]
