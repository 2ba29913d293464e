"""Shared test helpers (fixtures live in conftest.py)."""

from __future__ import annotations

import getpass
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from awareness.auth import sessions
from awareness.extensions import db
from awareness.models import AuditEvent, Person, utcnow
from awareness.people.accounts import live_token

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


def audit_log(*actions: str) -> list[AuditEvent]:
    """The audit entries, oldest first (only ``actions``, when named), read afresh."""
    db.session.rollback()  # a new transaction: see what other connections committed
    query = select(AuditEvent).order_by(AuditEvent.id)
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    return list(db.session.scalars(query))


def cli_actor() -> str:
    """How the audit log names whoever runs a command here."""
    return f"cli:{getpass.getuser()}"


def open_session(client, person: Person, *, remember: bool = False) -> str:
    """Sign ``person`` in on ``client`` with a real server-side session, without the form.

    Returns the session's key (what Flask-Login keeps as the user id).
    """
    key = sessions.start(
        db.session,
        person,
        remember=remember,
        now=utcnow(),
        idle=sessions.idle_timeout(client.application.config),
    )
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    return key


def form_key(html: str) -> str:
    """The signed submission key of a rendered quiz or reading form."""
    match = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html)
    assert match, "no submission_key in the page"
    return match.group(1)


#: Hostile text for every field a person or an author controls (names, department paths,
#: lessons, questions, options, explanations): markup, attributes, URLs, templates and
#: spreadsheet formulas. Each must come out inert where shown: escaped or sanitised on pages
#: (tests/xss.py says what "inert" means), neutralised in CSV.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "{{ 7*7 }}{% raw %}",
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "&lt;b&gt;&amp;",
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


def token_owner(token: str) -> Person | None:
    """Whom a bearer token signs in as, as the API would see it (None: refused)."""
    found = live_token(db.session, token)
    return found.person if found is not None else None
