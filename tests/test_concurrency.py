"""Several servers writing at once keep the summary exact and never fail a learner."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.extensions import db
from awareness.models import Assignment, Module, Person
from awareness.progress import attempts, summary
from tests.helpers import FULL


def module_id(slug: str) -> int:
    return db.session.scalar(select(Module.id).where(Module.slug == slug))


def submit_in_own_session(engine, person_id: int, slug: str, errors: list) -> None:
    try:
        with Session(engine) as session:
            person = session.get(Person, person_id)
            module = session.scalar(select(Module).where(Module.slug == slug))
            attempts.submit(session, person, module, FULL)
            session.commit()
    except Exception as error:  # reported to the test
        errors.append(error)


def test_an_attempt_during_a_rebuild_is_not_lost(app, make_person):
    """A sync or import rebuilding rows while someone submits: the pass must count."""
    person_id, phishing, engine = (
        make_person("ada@example.org").id,
        module_id("phishing"),
        db.engine,
    )
    db.session.commit()  # the test's own session lets go of the database
    errors: list = []
    with Session(engine) as rebuild:
        summary.refresh(rebuild, module_ids=[phishing])  # rows deleted and re-inserted
        learner = threading.Thread(
            target=submit_in_own_session, args=(engine, person_id, "phishing", errors)
        )
        learner.start()
        time.sleep(0.5)  # the learner's write now waits on the rebuild
        rebuild.commit()
    learner.join(timeout=30)
    assert not errors
    db.session.expire_all()
    row = db.session.get(Assignment, (person_id, phishing))
    assert (row.attempts, row.best_score) == (1, 100)
    assert row.last_passed_at is not None


def test_a_write_after_a_read_waits_for_another_writer_instead_of_failing(app, make_person):
    person_id, engine = make_person("ada@example.org").id, db.engine
    db.session.commit()
    errors: list = []
    with Session(engine) as first:
        first.scalar(select(Module).where(Module.slug == "welcome"))  # a read, then a write
        other = threading.Thread(
            target=submit_in_own_session, args=(engine, person_id, "phishing", errors)
        )
        other.start()
        time.sleep(0.3)
        module = first.scalar(select(Module).where(Module.slug == "welcome"))
        attempts.submit(first, first.get(Person, person_id), module, acknowledge=True)
        first.commit()
    other.join(timeout=30)
    assert not errors
    db.session.expire_all()
    assert db.session.get(Assignment, (person_id, module_id("phishing"))).attempts == 1
    assert db.session.get(Assignment, (person_id, module_id("welcome"))).attempts == 1


def test_trend_points_computed_just_before_a_change_are_never_used(app, make_person):
    """A server that computed the trend, then stored it after another server's import."""
    from dataclasses import replace

    from awareness.models.types import utcnow
    from awareness.reporting import trend
    from awareness.reporting.figures import Filters

    make_person("ada@example.org")
    now = utcnow()
    points = trend.trend(db.session, Filters(), now)
    before = summary.trend_generation(db.session)
    summary.invalidate_trend(db.session)  # the other server's import
    db.session.commit()
    late = [replace(point, completed=point.assigned) for point in points[:-1]]
    trend.keep(db.session, trend.filters_key(Filters()), before, late)  # the late writer
    assert trend.trend(db.session, Filters(), now) == points


def test_a_quiz_read_while_a_sync_commits_is_one_whole_version(app, content, tmp_path):
    """The sync commits just after the reader's first statement: it still sees one version."""
    import re
    import shutil

    from sqlalchemy import event

    from awareness.content.parser import load_content
    from awareness.content.sync import sync
    from awareness.learn.lessons import live_module

    revised = tmp_path / "revised"
    shutil.copytree(content, revised)
    quiz_file = revised / "modules" / "phishing.md"
    revision = re.sub(r"(?m)^(### |- \[[ x]\] )(.*)$", r"\1\2 (revised)", quiz_file.read_text())
    quiz_file.write_text(revision)
    versions = {
        version.source_hash: quiz_of(version)
        for tree in (load_content(content), load_content(revised))
        for version in tree.modules
        if version.slug == "phishing"
    }
    assert len(versions) == 2
    engine = db.engine
    db.session.commit()

    changed, read_once, committed = threading.Event(), threading.Event(), threading.Event()

    def hold_commit(_session) -> None:
        changed.set()
        read_once.wait(10)  # until the reader's first statement

    def writer() -> None:
        with Session(engine) as session:
            event.listen(session, "before_commit", hold_commit)
            sync(session, load_content(revised))
        committed.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert changed.wait(10)
    with app.test_request_context("/modules/phishing"), Session(engine) as reader:
        connection = reader.connection()

        def after_first_statement(conn, *_args) -> None:
            if conn is connection and not read_once.is_set():
                read_once.set()
                committed.wait(10)  # the new version is committed before the next statement

        event.listen(engine, "after_cursor_execute", after_first_statement)
        try:
            module = live_module(reader, "phishing")
            seen = (module.source_hash, quiz_of(module))
        finally:
            event.remove(engine, "after_cursor_execute", after_first_statement)
    thread.join(timeout=30)
    assert committed.is_set()
    assert versions[seen[0]] == seen[1]


def quiz_of(module) -> list:
    """Each question's text with its options' texts (a parsed module or a published one)."""
    return [(q.text_html, [o.text_html for o in q.options]) for q in module.questions]


def test_attempts_go_on_while_the_trend_is_warmed_after_a_sync(app, make_person):
    """Warming reads for seconds at scale: it must not hold the write lock meanwhile."""
    from sqlalchemy import event

    from awareness.extensions import READ_FIRST
    from awareness.reporting import trend

    person_id, engine = make_person("ada@example.org").id, db.engine
    summary.invalidate_trend(db.session)  # as a sync that moved assignments leaves it
    db.session.commit()
    reading, submitted, errors = threading.Event(), threading.Event(), []
    submitted_while_warming = []

    def pause_after_first_read(conn, *_args) -> None:
        if conn.get_execution_options().get(READ_FIRST) and not reading.is_set():
            reading.set()
            submitted_while_warming.append(submitted.wait(5))

    def warm() -> None:
        try:
            trend.warm(Session(engine))
        except Exception as error:  # reported to the test
            errors.append(error)

    event.listen(engine, "after_cursor_execute", pause_after_first_read)
    try:
        warming = threading.Thread(target=warm)
        warming.start()
        assert reading.wait(10)
        submit_in_own_session(engine, person_id, "phishing", errors)  # waits on no lock
        submitted.set()
        warming.join(timeout=30)
    finally:
        event.remove(engine, "after_cursor_execute", pause_after_first_read)
    assert not errors
    assert submitted_while_warming == [True]
    assert db.session.get(Assignment, (person_id, module_id("phishing"))).attempts == 1
