"""``GET /api/v1/openapi.json``: the API's OpenAPI 3.1 document (docs/api.md says it in prose).

It is open to anyone, like the source it comes from: it describes the
interface, never anyone's data, and clients and tools fetch it before they
hold a token.
"""

from __future__ import annotations

import functools
from importlib import resources

from flask import Response

from awareness.api.base import bp, public

DOCUMENT = "openapi.json"


@functools.cache
def document() -> bytes:
    """The document as shipped beside this module."""
    return resources.files(__package__).joinpath(DOCUMENT).read_bytes()


@bp.get("/openapi.json")
@public
def openapi() -> Response:
    return Response(document(), mimetype="application/json")
