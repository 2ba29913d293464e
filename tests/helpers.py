"""Shared test helpers (fixtures live in conftest.py)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

DATA = Path(__file__).parent / "data"
TEST_CONTENT = DATA / "content"
PASSWORD = "correct horse battery"


def at(text: str) -> datetime:
    """``at("2026-01-31 12:00")``: a naive UTC datetime, as the database stores them."""
    return datetime.fromisoformat(text)


def csrf_token(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no csrf_token in the page"
    return match.group(1)


#: Hostile text for every field a person or an author controls; each must stay inert where shown.
#: tests/xss.py says what "inert" means for a page.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<details open ontoggle=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<base href="//evil.example/"><meta http-equiv="refresh" content="0;url=//evil.example">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ 7*7 }} {% if 1 %}x{% endif %}",
    '=HYPERLINK("https://evil.example","x")',
]
