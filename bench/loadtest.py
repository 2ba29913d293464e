"""Nothing lost under load: many clients submit attempts while content syncs run.

    .venv/bin/python bench/loadtest.py [--workers 4] [--clients 50] [--seconds 30]

For SQLite (always) and for PostgreSQL (when ``DATABASE_URL`` names one; a
fresh database is created beside it and dropped afterwards), this

1. builds a fresh database with the migrations, syncs the content and creates
   one person per client, with a password and an API token;
2. starts gunicorn with ``--workers`` workers;
3. runs ``--clients`` clients for ``--seconds`` seconds: most submit attempts
   through the JSON API with their bearer token, ``--html-clients`` sign in and
   take quizzes through the HTML form (cookie and CSRF token), while
   ``flask content sync`` runs again and again against two copies of the
   content that differ in the text of every question and option (a typo fix:
   every module is updated each time);
4. stops the server and checks that no request had a 5xx or a connection
   error, that the database holds exactly one attempt per accepted request
   (201 or 303) for each person and module, that every module's questions,
   options and translations are those of one of the two versions, that the
   summary table counts exactly the attempts stored, and that no request saw a
   quiz without its questions;
5. prints the figures, and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from awareness import create_app  # noqa: E402
from awareness.content.parser import ContentTree, ModuleSpec, load_content  # noqa: E402
from awareness.content.sync import sync  # noqa: E402
from awareness.extensions import db  # noqa: E402
from awareness.models import Assignment, Attempt, Module, Person  # noqa: E402
from awareness.people.accounts import issue_token  # noqa: E402
from awareness.people.importer import apply_rows  # noqa: E402
from awareness.people.rows import PersonRow  # noqa: E402

CONTENT = ROOT / "content"
PASSWORD = "load test passphrase"
LAYER = "staff"
#: What version B adds to every question and option of version A.
REVISION = " (revised)"


@dataclass
class Settings:
    workers: int = 4
    clients: int = 50
    html_clients: int = 8
    seconds: float = 30
    #: At most this many syncs (None: one after another until the time is up).
    syncs: int | None = None
    #: Run the sync command in this process rather than in a process of its own.
    sync_in_process: bool = False


@dataclass
class Tally:
    """What the clients saw, shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    accepted: Counter = field(default_factory=Counter)  # (email, slug) -> accepted submissions
    errors: list[str] = field(default_factory=list)
    refused_as_changed: int = 0

    def record(self, label: str, status: int | str, seconds: float) -> None:
        with self.lock:
            self.statuses[f"{label} {status}"] += 1
            self.latencies.append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def accept(self, email: str, slug: str) -> None:
        with self.lock:
            self.accepted[(email, slug)] += 1


@dataclass
class SyncRun:
    version: str
    seconds: float
    returncode: int
    output: str


@dataclass
class Report:
    database: str
    settings: Settings
    seconds: float
    tally: Tally
    syncs: list[SyncRun]
    stored: int  # attempts in the database afterwards
    problems: list[str]

    @property
    def requests(self) -> int:
        return len(self.tally.latencies)

    def figures(self) -> str:
        latencies = sorted(self.tally.latencies) or [0.0]
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        accepted = sum(self.tally.accepted.values())
        statuses = ", ".join(f"{key} x{n}" for key, n in sorted(self.tally.statuses.items()))
        longest = max((run.seconds for run in self.syncs), default=0)
        summaries = "; ".join(sorted({run.output for run in self.syncs}))
        s = self.settings
        return "\n".join(
            [
                f"database: {self.database}; gunicorn {s.workers} workers; {s.clients} clients "
                f"({s.html_clients} through the HTML form) for {self.seconds:.1f} s",
                f"requests: {self.requests} ({self.requests / self.seconds:.1f}/s): {statuses}",
                f"latency ms: p50 {statistics.median(latencies) * 1000:.0f}, "
                f"p95 {p95 * 1000:.0f}, max {latencies[-1] * 1000:.0f}",
                f"attempts: {accepted} accepted, {self.stored} stored; "
                f"{self.tally.refused_as_changed} HTML forms refused as the module had changed",
                f"content syncs: {len(self.syncs)} ({summaries}), longest {longest:.1f} s",
                f"errors: {len(self.tally.errors)}; failed checks: {len(self.problems)}",
            ]
        )


# -- databases and content ----------------------------------------------------


@contextmanager
def fresh_database(kind: str, postgres_url: str | None, workdir: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file in ``workdir``, or one beside ``postgres_url``."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'loadtest.db'}"
        return
    url = make_url(postgres_url)
    name = f"{url.database}_load_{os.getpid()}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def two_versions(content: Path, workdir: Path) -> tuple[Path, Path]:
    """Copies of ``content``: as it is (A), and with every quiz question and option revised (B)."""
    first, second = workdir / "content-a", workdir / "content-b"
    shutil.copytree(content, first)
    shutil.copytree(content, second)
    for path in (second / "modules").rglob("*.md"):
        path.write_text(revise(path.read_text()))
    return first, second


def revise(source: str) -> str:
    """``source`` with REVISION after the text of every question and option of its quiz."""
    lesson, marker, quiz = source.partition("\n## Quiz\n")
    if not marker:
        return source
    quiz = re.sub(r"^(### .*\S)\s*$", rf"\1{REVISION}", quiz, flags=re.MULTILINE)
    quiz = re.sub(r"^(- \[[ xX]\] .*\S)\s*$", rf"\1{REVISION}", quiz, flags=re.MULTILINE)
    return lesson + marker + quiz


def quizzes_for(tree: ContentTree, layer: str) -> dict[str, list[int]]:
    """The modules with a quiz assigned to ``layer``: slug -> options per question."""
    return {
        module.slug: [len(question.options) for question in module.questions]
        for module in tree.modules
        if module.questions and ("all" in module.audience or layer in module.audience)
    }


@dataclass(frozen=True)
class Client:
    email: str
    token: str
    html: bool


def prepare(url: str, content: Path, settings: Settings) -> list[Client]:
    """Migrate, sync, and create one person per client (passwords for the HTML ones)."""
    from flask_migrate import upgrade

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test", "CONTENT_DIR": str(content)}
    )
    with app.app_context():
        upgrade()
        sync(db.session, load_content(content))
        rows = [
            PersonRow(
                line=number + 2,
                email=f"client{number}@load.example.org",
                name=f"Client {number}",
                department=f"Load/Team {number % 5}",
                layer=LAYER,
                roles="",
            )
            for number in range(settings.clients)
        ]
        apply_rows(db.session, rows)
        people = []
        hashed = None
        for number, row in enumerate(rows):
            person = db.session.scalar(select(Person).where(Person.email == row.email))
            html = number < settings.html_clients
            if html:
                if hashed is None:
                    person.set_password(PASSWORD)
                    hashed = person.password_hash
                person.password_hash = hashed
            people.append(Client(row.email, issue_token(db.session, person), html))
        db.session.commit()
        db.engine.dispose()
    return people


# -- the server and the syncs -------------------------------------------------


class Clock:
    """Clients go on until the time is up and the last sync has finished (every sync runs
    under load)."""

    def __init__(self, seconds: float):
        self.started = time.monotonic()
        self.deadline = self.started + seconds
        self.syncs_done = threading.Event()

    def time_left(self) -> bool:
        return time.monotonic() < self.deadline

    def going(self) -> bool:
        return self.time_left() or not self.syncs_done.is_set()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(url: str, content: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AWARENESS_RATELIMIT_STORAGE", "FLASK_APP")
    }
    env.update(DATABASE_URL=url, SECRET_KEY="load-test", AWARENESS_CONTENT_DIR=str(content))
    return env


@contextmanager
def gunicorn(url: str, content: Path, workers: int, log: Path) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
        f"127.0.0.1:{port}", "--chdir", str(ROOT), "--error-logfile", str(log),
        "--graceful-timeout", "10", "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=environment(url, content), cwd=ROOT)
    try:
        wait_until_healthy(port, server)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_healthy(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def run_syncs(
    url: str, versions: tuple[Path, Path], clock: Clock, settings: Settings, runs: list[SyncRun]
) -> None:
    """``flask content sync`` again and again, alternating B, A, B... while there is time."""
    try:
        with in_process_sync(url) if settings.sync_in_process else sync_process(url) as command:
            number = 0
            while clock.time_left() and (settings.syncs is None or number < settings.syncs):
                folder = versions[(number + 1) % 2]
                started = time.monotonic()
                returncode, output = command(folder)
                runs.append(SyncRun(folder.name, time.monotonic() - started, returncode, output))
                number += 1
    finally:
        clock.syncs_done.set()


@contextmanager
def sync_process(url: str) -> Iterator[Callable[[Path], tuple[int, str]]]:
    """Run ``flask content sync`` as an operator does, in a process of its own."""

    def run(folder: Path) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "awareness", "content", "sync", str(folder)],
            env=environment(url, folder), cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        return done.returncode, (done.stdout + done.stderr).strip()

    yield run


@contextmanager
def in_process_sync(url: str) -> Iterator[Callable[[Path], tuple[int, str]]]:
    """The same command run in this process (no interpreter to start: for the test suite)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test"})
    runner = app.test_cli_runner()

    def run(folder: Path) -> tuple[int, str]:
        result = runner.invoke(args=["content", "sync", str(folder)])
        return result.exit_code, (result.output + str(result.exception or "")).strip()

    try:
        yield run
    finally:
        with app.app_context():
            db.engine.dispose()


# -- clients ------------------------------------------------------------------


class Browser:
    """One keep-alive HTTP connection with its cookies; every answer is timed and counted."""

    def __init__(self, port: int, tally: Tally):
        self.port = port
        self.tally = tally
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exception) -> None:
        self.connection.close()

    def request(self, label: str, method: str, path: str, body=None, headers=None):
        """(status, headers, body), or None after a connection error (counted as an error)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.tally.record(label, "connection error", time.perf_counter() - started)
            self.tally.error(f"{method} {path}: {type(error).__name__}: {error}")
            self.connection.close()
            return None
        self.tally.record(label, response.status, time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status >= 500:
            self.tally.error(f"{method} {path}: {response.status} {data[:200]!r}")
        return response.status, response.headers, data


def api_client(port, person, quizzes, clock, tally, seed) -> None:
    with Browser(port, tally) as browser:
        _submit_through_the_api(browser, person, quizzes, clock, tally, random.Random(seed))


def _submit_through_the_api(browser, person, quizzes, clock, tally, rng) -> None:
    headers = {"Authorization": f"Bearer {person.token}", "Content-Type": "application/json"}
    while clock.going():
        slug = rng.choice(sorted(quizzes))
        answers = {
            str(number): [rng.randint(1, options)]
            for number, options in enumerate(quizzes[slug], start=1)
        }
        body = json.dumps({"answers": answers})
        path = f"/api/v1/modules/{slug}/attempts"
        answer = browser.request("API POST", "POST", path, body, headers)
        if answer is None:
            continue
        status, _, data = answer
        if status == 201:
            tally.accept(person.email, slug)
            results = json.loads(data)["results"]
            if len(results) != len(quizzes[slug]):
                tally.error(f"{path}: scored {len(results)} questions of {len(quizzes[slug])}")
        elif status < 500:
            tally.error(f"POST {path}: unexpected {status} {data[:200]!r}")


class QuizPage(HTMLParser):
    """A quiz form: its hidden fields and, for each question field, the option values."""

    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.questions: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag != "input" or not attributes.get("name"):
            return
        if attributes.get("type") == "hidden":
            self.hidden[attributes["name"]] = attributes.get("value") or ""
        elif attributes.get("type") in ("radio", "checkbox"):
            self.questions.setdefault(attributes["name"], []).append(attributes["value"])


def hidden_fields(html: bytes) -> dict[str, str]:
    page = QuizPage()
    page.feed(html.decode())
    return page.hidden


def html_client(port, person, quizzes, clock, tally, seed) -> None:
    with Browser(port, tally) as browser:
        _submit_through_the_form(browser, person, quizzes, clock, tally, random.Random(seed))


def _submit_through_the_form(browser, person, quizzes, clock, tally, rng) -> None:
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = browser.request("page GET", "GET", "/login")
    if answer is None or answer[0] != 200:
        tally.error(f"{person.email}: the sign-in page answered {answer and answer[0]}")
        return
    fields = hidden_fields(answer[2]) | {"email": person.email, "password": PASSWORD}
    answer = browser.request("page POST", "POST", "/login", urlencode(fields), form_type)
    if answer is None or answer[0] != 302:
        tally.error(f"{person.email}: signing in answered {answer and answer[0]}")
        return
    while clock.going():
        slug = rng.choice(sorted(quizzes))
        path = f"/modules/{slug}/quiz"
        answer = browser.request("page GET", "GET", path)
        if answer is None:
            continue
        if answer[0] != 200:
            tally.error(f"GET {path}: unexpected {answer[0]}")
            continue
        page = QuizPage()
        page.feed(answer[2].decode())
        if len(page.questions) != len(quizzes[slug]):
            tally.error(f"GET {path}: {len(page.questions)} questions of {len(quizzes[slug])}")
            continue
        form = dict(page.hidden)
        form.update({name: rng.choice(values) for name, values in page.questions.items()})
        answer = browser.request("page POST", "POST", path, urlencode(form), form_type)
        if answer is None:
            continue
        status, headers, _ = answer
        target = urlsplit(headers.get("Location", "")).path
        if status == 303 and target.startswith(f"/modules/{slug}/attempts/"):
            tally.accept(person.email, slug)
        elif status == 302 and target == path:
            with tally.lock:
                tally.refused_as_changed += 1  # the module changed between showing and sending
        elif status < 500:
            tally.error(f"POST {path}: unexpected {status} to {target!r}")


# -- checks -------------------------------------------------------------------


def check(url: str, versions: tuple[Path, Path], tally: Tally) -> tuple[int, list[str]]:
    """The attempts stored, and what is wrong in the database after the run."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test"})
    with app.app_context():
        try:
            stored = db.session.scalar(select(func.count()).select_from(Attempt))
            return stored, (
                stored_attempts_match(tally)
                + modules_match_a_version([load_content(folder) for folder in versions])
                + summary_matches_attempts()
            )
        finally:
            db.session.remove()
            db.engine.dispose()


def stored_attempts_match(tally: Tally) -> list[str]:
    rows = db.session.execute(
        select(Person.email, Module.slug, func.count())
        .select_from(Attempt)
        .join(Person, Person.id == Attempt.person_id)
        .join(Module, Module.id == Attempt.module_id)
        .group_by(Person.email, Module.slug)
    )
    stored = Counter({(email, slug): count for email, slug, count in rows})
    return [
        f"{email} {slug}: {tally.accepted[(email, slug)]} accepted, {stored[(email, slug)]} stored"
        for email, slug in sorted(set(stored) | set(tally.accepted))
        if stored[(email, slug)] != tally.accepted[(email, slug)]
    ]


def modules_match_a_version(trees: list[ContentTree]) -> list[str]:
    problems = []
    specs = {slug: [] for slug in {m.slug for tree in trees for m in tree.modules}}
    for tree in trees:
        for spec in tree.modules:
            specs[spec.slug].append(spec)
    for module in db.session.scalars(select(Module)):
        spec = next(
            (s for s in specs.get(module.slug, []) if s.content_hash == module.content_hash), None
        )
        if spec is None:
            problems.append(f"module {module.slug}: its hash is that of neither version")
        elif published(module) != expected(spec):
            problems.append(f"module {module.slug}: rows differ from the version it claims")
    return problems


def published(module: Module) -> tuple:
    questions = [
        (q.number, q.text_html, q.multiple, q.explanation_html,
         [(o.number, o.text_html, o.correct) for o in q.options])
        for q in module.questions
    ]  # fmt: skip
    translations = [
        (t.language, t.title, t.body_html, t.source_hash, t.quiz) for t in module.translations
    ]
    return module.source_hash, module.body_html, questions, translations


def expected(spec: ModuleSpec) -> tuple:
    questions = [
        (q.number, q.text_html, q.multiple, q.explanation_html,
         [(o.number, o.text_html, o.correct) for o in q.options])
        for q in spec.questions
    ]  # fmt: skip
    translations = [
        (t.language, t.title, t.body_html, t.source_hash,
         [{"text_html": q.text_html, "explanation_html": q.explanation_html,
           "options": [o.text_html for o in q.options]} for q in t.questions])
        for t in sorted(spec.translations, key=lambda t: t.language)
    ]  # fmt: skip
    return spec.source_hash, spec.body_html, questions, translations


def summary_matches_attempts() -> list[str]:
    """Each summary row counts exactly the attempts stored at its module's current major."""
    counted = (
        select(func.count())
        .where(
            Attempt.person_id == Assignment.person_id,
            Attempt.module_id == Assignment.module_id,
            Attempt.major == Module.major,
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Module.slug, Assignment.person_id, Assignment.attempts, counted)
        .join(Module, Module.id == Assignment.module_id)
        .where(Assignment.attempts != counted)
    ).all()
    return [
        f"summary of person {person_id} {slug}: {kept} attempts kept, {stored} stored"
        for slug, person_id, kept, stored in rows
    ]


# -- the whole run ------------------------------------------------------------


def run(
    kind: str, settings: Settings, postgres_url: str | None = None, content: Path = CONTENT
) -> Report:
    """Load one database (``kind`` is ``sqlite`` or ``postgresql``) and check it."""
    with tempfile.TemporaryDirectory(prefix="awareness-load-") as temporary:
        workdir = Path(temporary)
        versions = two_versions(content, workdir)
        quizzes = quizzes_for(load_content(versions[0]), LAYER)
        with fresh_database(kind, postgres_url, workdir) as url:
            people = prepare(url, versions[0], settings)
            tally, syncs = Tally(), []
            log = workdir / "gunicorn.log"
            with gunicorn(url, versions[0], settings.workers, log) as port:
                clock = Clock(settings.seconds)
                threads = [
                    threading.Thread(target=run_syncs, args=(url, versions, clock, settings, syncs))
                ]
                for number, person in enumerate(people):
                    client = html_client if person.html else api_client
                    threads.append(
                        threading.Thread(
                            target=client, args=(port, person, quizzes, clock, tally, number)
                        )
                    )
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.monotonic() - clock.started
            problems = [f"request: {error}" for error in tally.errors[:20]]
            if len(tally.errors) > 20:
                problems.append(f"... and {len(tally.errors) - 20} more request errors")
            problems += [
                f"sync of {run.version} exited {run.returncode}: {run.output}"
                for run in syncs
                if run.returncode != 0
            ]
            if not syncs:
                problems.append("no content sync ran")
            stored, wrong = check(url, versions, tally)
            problems += wrong
            if problems and log.exists():
                problems.append("gunicorn log:\n" + log.read_text()[-3000:])
            database = make_url(url).get_backend_name()
            return Report(database, settings, elapsed, tally, syncs, stored, problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--html-clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--syncs", type=int, default=None, help="at most this many syncs")
    parser.add_argument(
        "--only", choices=["sqlite", "postgresql"], help="load one database, not every one"
    )
    args = parser.parse_args()
    settings = Settings(
        workers=args.workers, clients=args.clients, html_clients=args.html_clients,
        seconds=args.seconds, syncs=args.syncs,
    )  # fmt: skip
    postgres_url = os.environ.get("DATABASE_URL", "")
    kinds = ["sqlite"] + (["postgresql"] if postgres_url.startswith("postgresql") else [])
    if args.only:
        if args.only not in kinds:
            sys.exit("--only postgresql needs DATABASE_URL to name a PostgreSQL server")
        kinds = [args.only]
    failed = False
    for kind in kinds:
        report = run(kind, settings, postgres_url)
        print(report.figures())
        for problem in report.problems:
            print(f"  FAILED: {problem}")
        print()
        failed = failed or bool(report.problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
