"""Browser tests: Debian's Chromium, driven by Playwright, against a live server.

The server is the real application in a WSGI server thread, on a SQLite file
filled with the real content and the demo organisation, plus a few people of
our own. One browser serves the whole session; each test opens its own
context (cookies, viewport, language), which is cheap.

What they need, and what happens without it:

- Playwright for Python (the ``test`` extra), Chromium at ``/usr/bin/chromium``
  (``AWARENESS_CHROMIUM`` names another) and axe-core in ``node_modules/``
  (``npm ci``; ``make test`` runs it). Without one of them the tests skip, saying
  which; with ``AWARENESS_BROWSER_TESTS=required`` (as ``.ci/run`` sets) they fail.
- Screenshots go to ``AWARENESS_SCREENSHOTS``, or to a new timestamped folder
  in the system's temporary folder; the run prints where.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from awareness import create_app
from awareness.config import PROJECT_ROOT
from awareness.content.parser import load_content
from awareness.content.sync import sync
from awareness.demo import organisation
from awareness.extensions import db
from awareness.models import LiveSession, Module, Person
from awareness.models.types import utcnow
from awareness.people.directory import DepartmentCache
from awareness.progress import attempts, summary
from awareness.reporting import trend
from tests.browser.checks import AXE

CHROMIUM = Path(os.environ.get("AWARENESS_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("AWARENESS_BROWSER_TESTS", "").lower() == "required"
#: Chromium's own background traffic is refused on a closed network: these flags stop it.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = organisation.DEMO_PASSWORD
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: Our own people beside the demo's: (email, name, department, layer, roles, language).
PEOPLE = [
    ("keys@example.org", "Kim Keys", "Finance/Payroll", "staff", "", None),
    ("urdu@example.org", "Ayesha Khan", "Finance/Payroll", "staff", "", "ur"),
    ("nojs@example.org", "Nadia Plain", "Operations/Facilities", "staff", "", None),
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # All in one pytest-xdist worker (--dist=loadgroup): one live server, one browser.
            item.add_marker(pytest.mark.xdist_group("browser"))


def missing(reason: str) -> None:
    """Skip for want of ``reason``, or fail when the browser tests are required."""
    if REQUIRED:
        pytest.fail(f"browser tests are required (AWARENESS_BROWSER_TESTS) but {reason}")
    pytest.skip(reason)


@dataclass
class Live:
    """The running server and what the tests need to know about its data."""

    url: str
    app: Any
    quiz_slug: str = ""
    reading_slug: str = ""
    result_path: str = ""
    session_id: int = 0
    learner_id: int = 0
    other_department: str = ""
    states: dict[str, Any] = field(default_factory=dict)

    def __call__(self, path: str) -> str:
        return self.url + path

    def correct_options(self, slug: str) -> dict[int, set[int]]:
        """Question number to the numbers of its correct options."""
        with self.app.app_context():
            module = db.session.scalar(select(Module).where(Module.slug == slug))
            return {q.number: {o.number for o in q.options if o.correct} for q in module.questions}

    def option_counts(self, slug: str) -> dict[int, int]:
        with self.app.app_context():
            module = db.session.scalar(select(Module).where(Module.slug == slug))
            return {q.number: len(q.options) for q in module.questions}


@pytest.fixture(scope="session")
def live(tmp_path_factory, translations) -> Iterator[Live]:
    """The application served on a free port of 127.0.0.1, its data ready."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'browser.db'}",
            "SECRET_KEY": "browser-tests",
            "CONTENT_DIR": str(PROJECT_ROOT / "content"),
            "LANGUAGES": ["en", "ur"],
            "RATELIMIT_ENABLED": False,
            "BABEL_TRANSLATION_DIRECTORIES": translations,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    state = Live(url=f"http://127.0.0.1:{server.server_port}", app=app)
    with app.app_context():
        _fill(state)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield state
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


def _fill(state: Live) -> None:
    """The real content, the demo organisation, our people and one failed attempt."""
    db.create_all()
    sync(db.session, load_content(PROJECT_ROOT / "content"))
    organisation.load(db.session)
    departments = DepartmentCache(db.session)
    password_hash = generate_password_hash(PASSWORD)
    for email, name, department, layer, roles, language in PEOPLE:
        db.session.add(
            Person(
                email=email, name=name, department=departments.get(department),
                layer_id=layer, roles=roles, language=language,
                activated_on=utcnow().date() - timedelta(days=3), password_hash=password_hash,
            )
        )  # fmt: skip
    db.session.flush()
    summary.refresh(db.session)
    modules = db.session.scalars(
        select(Module).where(~Module.retired, Module.audience_all).order_by(Module.position)
    ).all()
    quiz = next(
        m for m in modules if m.questions and {t.language for t in m.translations} >= {"ur"}
    )
    reading = next(m for m in modules if not m.questions)
    state.quiz_slug, state.reading_slug = quiz.slug, reading.slug
    learner = db.session.scalar(select(Person).where(Person.email == "learner@example.org"))
    state.learner_id = learner.id
    wrong = {q.number: frozenset({next(o.number for o in q.options if not o.correct)})
             for q in quiz.questions}  # fmt: skip
    attempt, _result = attempts.submit(
        db.session, learner, quiz, wrong, submission_key="browser-tests-result-page"
    )
    state.result_path = f"/modules/{quiz.slug}/attempts/{attempt.id}"
    state.session_id = db.session.scalar(
        select(LiveSession.id).where(LiveSession.starts_at > utcnow()).order_by(LiveSession.id)
    )
    state.other_department = "IT"
    db.session.commit()
    trend.warm(db.session)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        missing(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    if not AXE.exists():
        missing(f"no axe-core at {AXE}: npm ci")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder this run writes its screenshots to (printed at the end of the run)."""
    folder = Path(os.environ["AWARENESS_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_as(browser, live):
    """``open_as(email, locale="en", javascript=True)``: a new page signed in as ``email``
    (None: nobody), at desktop size. Each person signs in once per run through the form."""
    contexts = []

    def open_page(
        email: str | None, *, locale: str = "en-GB", javascript: bool = True,
        viewport: dict | None = None,
    ):  # fmt: skip
        state = signed_in_state(browser, live, email) if email else None
        context = browser.new_context(
            base_url=live.url, locale=locale, storage_state=state,
            java_script_enabled=javascript, viewport=viewport or DESKTOP, accept_downloads=True,
        )  # fmt: skip
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def signed_in_state(browser, live: Live, email: str) -> dict:
    """Cookies of a browser signed in as ``email`` (signed in once, through the form)."""
    if email not in live.states:
        context = browser.new_context(base_url=live.url)
        page = context.new_page()
        sign_in(page, email)
        live.states[email] = context.storage_state()
        context.close()
    return live.states[email]


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, by keyboard: the email field has the focus already."""
    page.goto("/login")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'email'")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
