"""``GET /api/v1/me`` and ``POST /api/v1/modules/<slug>/attempts``."""

from __future__ import annotations
