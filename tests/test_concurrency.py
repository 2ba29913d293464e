"""Several servers writing at once keep the summary exact and never fail a learner."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness import assignments, attempts
from awareness.extensions import db
from awareness.models import Assignment, Module, Person

FULL = {1: frozenset({2}), 2: frozenset({1, 2})}


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
        assignments.refresh(rebuild, module_ids=[phishing])  # rows deleted and re-inserted
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

    from awareness import trend
    from awareness.metrics import Filters
    from awareness.models.types import utcnow

    make_person("ada@example.org")
    now = utcnow()
    points = trend.trend(db.session, Filters(), now)
    before = trend.current_generation(db.session)
    trend.invalidate(db.session)  # the other server's import
    db.session.commit()
    late = [replace(point, completed=point.assigned) for point in points[:-1]]
    trend._keep(db.session, trend.filters_key(Filters()), before, late)  # the late writer
    assert trend.trend(db.session, Filters(), now) == points
