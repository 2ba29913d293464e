"""Serving ``/assets/<path>``: the files lessons link to, as published by the last sync.

The bytes come from the ``content_asset`` table, never from the content folder,
so every server answers the same and nothing outside what ``content check``
accepted can be reached. Each answer is made harmless in the site's origin:

- ``Content-Type`` is the one the extension stood for at sync time and
  ``nosniff`` stops the browser from guessing another;
- ``Content-Security-Policy: sandbox`` (with nothing allowed to load but
  the file's own images and inline styles) means an SVG opened on its own
  runs no script and gets an origin of its own;
- PDFs are downloads (``Content-Disposition: attachment``): browsers do not
  render a PDF in a sandboxed document, and a downloaded file runs nothing here.
"""

from __future__ import annotations

from flask import Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from awareness.models import ContentAsset

ASSET_SECURITY_POLICY = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
)
DOWNLOADED_TYPES = frozenset({"application/pdf"})
MAX_AGE = 3600


def published_asset(session: Session, path: str) -> ContentAsset | None:
    """The published asset at ``path`` (below ``assets/``); its bytes load when first read."""
    return session.scalar(
        select(ContentAsset).where(ContentAsset.path == path).options(defer(ContentAsset.data))
    )


def asset_response(asset: ContentAsset, request: Request) -> Response:
    """The asset's bytes with its headers, or 304 when the browser's copy is current."""
    response = Response(status=200, content_type=asset.media_type)
    response.set_etag(asset.sha256)
    response.cache_control.private = True
    response.cache_control.max_age = MAX_AGE
    response.headers["Content-Security-Policy"] = ASSET_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if asset.media_type in DOWNLOADED_TYPES:
        response.headers.set(
            "Content-Disposition", "attachment", filename=asset.path.rpartition("/")[2]
        )
    if request.if_none_match.contains_weak(asset.sha256):
        response.status_code = 304
        return response
    response.set_data(asset.data)
    return response
