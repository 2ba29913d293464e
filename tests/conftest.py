"""Fixtures: an app with a fresh database per test, on SQLite and, when
``AWARENESS_TEST_DATABASE_URL`` is set, on PostgreSQL too."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text
from werkzeug.security import generate_password_hash

from awareness import create_app
from awareness.content.parser import load_content
from awareness.content.sync import sync
from awareness.extensions import db
from awareness.models import Module, Person
from awareness.people.directory import DepartmentCache
from awareness.progress import summary
from tests.helpers import (
    JOINED,
    PASSWORD,
    PUBLISHED,
    TEST_CONTENT,
    compile_translations,
    open_session,
)
from tests.org import Org, build


def _worker_url(url: str | None) -> str | None:
    """The PostgreSQL database of this test process: under pytest-xdist each worker has its own
    (named after the given one, made at the session's start and dropped at its end)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    own = make_url(url)
    return own.set(database=f"{own.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _worker_url(os.environ.get("AWARENESS_TEST_DATABASE_URL"))
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]

_postgres_schema_ready = False
#: Whether the test database's user is a superuser (asked once, with the schema).
_postgres_superuser = False


def _on_server(statement: str) -> None:
    admin = create_engine(
        make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


def pytest_configure(config) -> None:
    """Name the browser tests' screenshot folder once, in the process that starts the run,
    so that pytest-xdist workers all write to it and the summary names it."""
    if not os.environ.get("AWARENESS_SCREENSHOTS") and not os.environ.get("PYTEST_XDIST_WORKER"):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = Path(tempfile.gettempdir()) / f"awareness-screenshots-{stamp}-{os.getpid()}"
        os.environ["AWARENESS_SCREENSHOTS"] = str(folder)


def pytest_terminal_summary(terminalreporter) -> None:
    folder = Path(os.environ.get("AWARENESS_SCREENSHOTS", ""))
    count = sum(1 for _ in folder.glob("*.png")) if folder.is_dir() else 0
    if count:
        terminalreporter.write_line(f"browser tests: {count} screenshots in {folder}")


def pytest_sessionstart(session) -> None:
    if POSTGRES_URL and os.environ.get("PYTEST_XDIST_WORKER"):
        name = make_url(POSTGRES_URL).database
        _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _on_server(f'CREATE DATABASE "{name}"')


def pytest_sessionfinish(session) -> None:
    if POSTGRES_URL and os.environ.get("PYTEST_XDIST_WORKER"):
        _on_server(f'DROP DATABASE IF EXISTS "{make_url(POSTGRES_URL).database}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return POSTGRES_URL


@pytest.fixture(scope="session")
def translations(tmp_path_factory) -> str:
    """The interface's catalogues compiled as they are now (the .mo files are not committed)."""
    return compile_translations(tmp_path_factory.mktemp("translations"))


@pytest.fixture
def app_config(database_url, translations) -> dict:
    """Settings for the test app; a test module may override this fixture."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "CONTENT_DIR": str(TEST_CONTENT),
        "RATELIMIT_ENABLED": False,
        "BABEL_TRANSLATION_DIRECTORIES": translations,
    }


class Client(FlaskClient):
    """A test client whose requests never see what an earlier request left in ``g``.

    Tests keep one app context open, so ``g`` would otherwise carry Flask-Login's
    cached user, Flask-WTF's CSRF token and the like from request to request,
    which in production each begin with a fresh ``g``.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        response = super().open(*args, **kwargs)
        # The session outlives the request here (one app context), so end its transaction as
        # the end of a request does in production: what the view did not commit is gone.
        db.session.rollback()
        return response


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = Client
    with app.app_context():
        _fresh_schema()
        yield app
        db.session.remove()
        db.engine.dispose()


def _fresh_schema() -> None:
    """Empty tables for the test: a new SQLite file's, or PostgreSQL's emptied."""
    global _postgres_schema_ready, _postgres_superuser
    if db.engine.dialect.name != "postgresql":
        _copy_sqlite_template(db.engine.url.database)
        return
    if not _postgres_schema_ready:
        db.drop_all()
        db.create_all()
        _postgres_schema_ready = True
        _postgres_superuser = bool(
            db.session.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        )
    _empty_postgres_tables()
    db.session.commit()


@functools.cache
def _sqlite_template() -> Path:
    """A SQLite file with the schema, made once a process: copying it is faster than
    creating the tables for every test."""
    path = Path(tempfile.mkdtemp(prefix="awareness-schema-")) / "schema.db"
    engine = create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    engine.dispose()
    return path


def _copy_sqlite_template(database: str | None) -> None:
    path = Path(database or ":memory:")
    if database in (None, "", ":memory:") or path.exists() or not path.parent.is_dir():
        db.create_all()  # in memory, a test's own file already made, or nowhere to copy to
        return
    shutil.copyfile(_sqlite_template(), path)


def _empty_postgres_tables() -> None:
    """DELETE every row and restart the sequences: ten times faster than TRUNCATE on
    tables this small. Triggers (the audit log's refusal to delete) and foreign keys
    are off for the transaction, which needs a superuser; anyone else truncates."""
    tables = [f'"{table.name}"' for table in reversed(db.metadata.sorted_tables)]
    if not _postgres_superuser:
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    for table in tables:
        db.session.execute(text(f"DELETE FROM {table}"))  # nosec B608 - our own table names
    db.session.execute(
        text(
            "SELECT setval(c.oid, 1, false) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
        )
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def content(app):
    """The test content folder, synced: modules phishing, welcome and cyber-risk."""
    sync(db.session, load_content(TEST_CONTENT))
    return TEST_CONTENT


@pytest.fixture
def make_person(app, content):
    """Create an active person (the test content is synced first for its layers)."""
    departments = DepartmentCache(db.session)

    def make(
        email: str,
        *,
        name: str | None = None,
        department: str = "Finance/Payroll",
        layer: str = "staff",
        roles: str = "",
        activated_on=None,
        password: str | None = PASSWORD,
    ) -> Person:

        person = Person(
            email=email.lower(),
            name=name or email.split("@")[0].title(),
            department=departments.get(department),
            layer_id=layer,
            roles=roles,
            active=True,
        )
        if activated_on is not None:
            person.activated_on = activated_on
        if password == PASSWORD:
            person.password_hash = _password_hash()
        elif password:
            person.set_password(password)
        db.session.add(person)
        db.session.flush()
        summary.refresh(db.session, person_ids=[person.id])
        db.session.commit()
        return person

    return make


@functools.cache
def _password_hash() -> str:
    """The hash of the shared test password, computed once: scrypt is slow on purpose."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def login(client):
    """Sign a person in on the test client (a real server-side session) without the form."""

    def sign_in(person: Person) -> str:
        return open_session(client, person)

    return sign_in


@pytest.fixture
def org(content, make_person) -> Org:
    """The small organisation of tests/org.py, whose figures are worked out by hand there."""
    return build(make_person)


@pytest.fixture
def hire(content, make_person):
    """Publish every module on PUBLISHED; return a maker of people who joined on JOINED.

    For figures at explicit times: a phishing assignment is due on 2026-01-31.
    """
    db.session.execute(Module.__table__.update().values(published_on=PUBLISHED))
    db.session.commit()

    def person(
        email: str, layer: str = "staff", department: str = "Finance", joined: date = JOINED
    ) -> Person:
        return make_person(
            email, department=department, layer=layer, activated_on=joined, password=None
        )

    return person


# -- an SMTP server in this process (aiosmtpd) -------------------------------


@dataclass
class Received:
    """One message as the SMTP server received it."""

    mail_from: str
    recipients: list[str]
    message: EmailMessage
    tls: bool  # whether it came over an encrypted connection
    login: str | None  # the user name it authenticated with, if any


class Inbox:
    """An aiosmtpd handler that keeps every message, parsed."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not getattr(session, "counted", False):
            session.counted = True
            self.connections += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                recipients=list(envelope.rcpt_tos),
                message=message_from_bytes(envelope.original_content, policy=policy.default),
                tls=server.transport.get_extra_info("cipher") is not None,
                login=session.auth_data if session.authenticated else None,
            )
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on 127.0.0.1 for a test: start, stop (an outage) and start again."""

    def __init__(self, **options) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.options = options
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.recipients]

    def start(self) -> None:
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **self.options
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    """A plain SMTP server (no TLS), running for the test."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


#: Where the test site pretends to live: every link in an email starts with it.
BASE_URL = "https://awareness.example.org"


@pytest.fixture
def mail_app_config(app_config, smtp) -> dict:
    """Settings that send email to :func:`smtp` and link to :data:`BASE_URL`."""
    return {
        **app_config,
        "BASE_URL": BASE_URL,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp.port,
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT": 5,
        "MAIL_FROM": "Awareness <awareness@example.org>",
        "LANGUAGES": ["en", "ur"],
    }
