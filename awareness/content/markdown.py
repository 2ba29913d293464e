"""Markdown to sanitised HTML, done once at sync time."""

from __future__ import annotations

import re
import threading

import markdown
import nh3

ASSET_PREFIX = "../assets/"
ASSET_URL = "/assets/"

EXTENSIONS = ["tables", "fenced_code", "sane_lists", "smarty"]
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"area", "map"}
ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "a": {"href", "title", "hreflang"},
}


def _rewrite_asset_links(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "href") and value.startswith(ASSET_PREFIX):
        return ASSET_URL + value[len(ASSET_PREFIX) :]
    return value


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter: building one costs more than most conversions."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
        _local.converter = converter
    return converter.reset()


def render(text: str) -> str:
    """Render a block of Markdown to HTML with raw HTML made harmless."""
    html = _converter().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_rewrite_asset_links,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_SINGLE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


def render_inline(text: str) -> str:
    """Render a short Markdown text (a question or an option) without its paragraph."""
    html = render(text).strip()
    match = _SINGLE_PARAGRAPH.match(html)
    if match and "<p>" not in match.group(1):
        return match.group(1)
    return html
