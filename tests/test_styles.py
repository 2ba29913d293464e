"""The stylesheets: right-to-left ready, and the Urdu font served from here, only for Urdu."""

from __future__ import annotations

import re

from awareness.config import PROJECT_ROOT

STATIC = PROJECT_ROOT / "awareness" / "static"
STYLESHEETS = sorted((STATIC / "css").glob("*.css"))
#: Properties and values tied to the left or right of the screen, which a right-to-left page
#: would not mirror: each has a logical twin (margin-inline-start, inset-inline-end...).
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)"
    r"|left|right|float:\s*(?:left|right)|text-align:\s*(?:left|right)|clear:\s*(?:left|right)"
    r"|border-(?:top|bottom)-(?:left|right)-radius)\s*:"
    r"|(?:float|text-align|clear):\s*(?:left|right)\b"
)


def declarations(css: str) -> str:
    """The stylesheet without its comments."""
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_the_stylesheets_use_logical_properties_only():
    assert STYLESHEETS
    for sheet in STYLESHEETS:
        found = PHYSICAL.findall(declarations(sheet.read_text()))
        assert not found, f"{sheet.name}: {found}"


def test_the_check_finds_a_physical_property():
    for rule in (
        "a { margin-left: 1px }",
        "a{text-align:right}",
        "a { left: 0 }",
        "a{float: left}",
    ):
        assert PHYSICAL.search(rule), rule
    for rule in ("a { margin-inline-start: 1px }", "a { text-align: start }", "a { inset: 0 }"):
        assert not PHYSICAL.search(rule), rule


def test_urdu_text_gets_the_nastaliq_font_served_from_here(client):
    css = (STATIC / "css" / "awareness.css").read_text()
    face = re.search(r"@font-face\s*{([^}]*)}", css).group(1)
    assert 'font-family: "Awareness Nastaliq"' in face
    assert 'url("../fonts/NotoNastaliqUrdu-Regular.woff2") format("woff2")' in face
    assert "font-display: swap" in face
    assert "unicode-range: U+0600-06FF" in face  # never fetched for a page without Urdu text
    assert re.search(r'\[lang\|="ur"\] { font-family: "Awareness Nastaliq"', css)
    assert "://" not in css  # no font or anything else from another site
    with client.get("/static/fonts/NotoNastaliqUrdu-Regular.woff2") as font:
        assert font.status_code == 200 and font.mimetype == "font/woff2"
        assert font.data[:4] == b"wOF2"
        assert len(font.data) < 160 * 1024  # subset to the letters Urdu is written with
    licence = (STATIC / "fonts" / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE" in licence and "Copyright 2017 Google Inc." in licence
