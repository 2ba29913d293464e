"""``GET /api/v1/coverage``: coverage figures in the caller's scope."""

from __future__ import annotations
