"""Shared test helpers (fixtures live in conftest.py)."""

from __future__ import annotations

import getpass
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from awareness.auth import sessions
from awareness.extensions import db
from awareness.models import AuditEvent, Module, Person, utcnow
from awareness.people.accounts import live_token
from awareness.progress import attempts, learner, summary
from awareness.progress.scoring import Result
from awareness.reporting import coverage
from awareness.reporting.figures import Figures, Filters

DATA = Path(__file__).parent / "data"
#: The interface's catalogues: ``<language>/LC_MESSAGES/messages.po`` (docs/translating.md).
TRANSLATIONS = Path(__file__).resolve().parent.parent / "awareness" / "translations"
TEST_CONTENT = DATA / "content"
PASSWORD = "correct horse battery"

#: When :func:`~tests.conftest.hire` publishes every module, and when its people joined.
PUBLISHED = date(2026, 1, 1)
JOINED = date(2025, 6, 1)

#: Answers to the test content's ``phishing`` quiz that score 100, 50 and 0.
FULL = {1: frozenset({2}), 2: frozenset({1, 2})}
HALF = {1: frozenset({2}), 2: frozenset({1})}
NONE = {1: frozenset({1}), 2: frozenset({3})}


def compile_translations(folder: Path) -> str:
    """Compile every catalogue as it is now into ``folder``, as ``make compile-translations`` does
    beside the sources (fuzzy entries left out), so tests never read a stale or missing .mo.

    Returns the folder, for ``BABEL_TRANSLATION_DIRECTORIES``.
    """
    for source in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        target = folder / source.relative_to(TRANSLATIONS).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as po, target.open("wb") as mo:
            write_mo(mo, read_po(po))
    return str(folder)


def at(text: str) -> datetime:
    """``at("2026-01-31 12:00")``: a naive UTC datetime, as the database stores them."""
    return datetime.fromisoformat(text)


def module(slug: str) -> Module:
    """The module with this slug, as the database has it now."""
    return db.session.scalar(select(Module).where(Module.slug == slug))


def take(
    person: Person, slug: str, answers: Mapping[int, frozenset[int]] | None, when: datetime
) -> Result:
    """Submit ``person``'s attempt at module ``slug`` at ``when`` (a reading is acknowledged)."""
    _attempt, result = attempts.submit(
        db.session, person, module(slug), answers, acknowledge=True, now=when
    )
    db.session.commit()
    return result


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


def status(person: Person, when: str, slug: str = "phishing") -> str:
    """``person``'s status with module ``slug`` at ``when``, as their training page shows it."""
    (item,) = [
        item
        for item in learner.person_assignments(db.session, person.id, now=at(when))
        if item.module.slug == slug
    ]
    return item.status


def totals(when: str, **filters) -> dict:
    """The figures over every assignment in ``filters`` at ``when``, as the API writes them."""
    return coverage.totals(db.session, Filters(**filters), now=at(when)).as_dict()


def phishing_only() -> Filters:
    return Filters(module_id=module("phishing").id)


def refresh() -> None:
    """Rebuild the whole assignment summary, as a content sync or an import would."""
    summary.refresh(db.session)
    db.session.commit()


def figures(assigned: int, completed: int, overdue: int, scores: tuple[int, ...] | list[int] = ()):
    """Figures with these counts and best scores, to compare with what is computed."""
    return Figures(assigned, completed, overdue, len(scores), sum(scores))
