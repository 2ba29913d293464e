"""Rendered HTML made harmless: what markup a lesson or a quiz may hold, decided in one place.

Raw HTML in a module is allowed through the Markdown parser and removed here
(scripts, event handlers, ``javascript:`` links, forms...). Relative links to
``../assets/`` become the platform's ``/assets/`` URLs on the way.
"""

from __future__ import annotations

import nh3

ASSET_PREFIX = "../assets/"
ASSET_URL = "/assets/"

ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"area", "map"}
ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "a": {"href", "title", "hreflang"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _rewrite_asset_links(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "href") and value.startswith(ASSET_PREFIX):
        return ASSET_URL + value[len(ASSET_PREFIX) :]
    return value


#: Built once: building the rules costs several times more than cleaning a question.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_rewrite_asset_links,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
)


def clean(html: str) -> str:
    """``html`` with everything that could run script or lead away removed."""
    return _CLEANER.clean(html)
