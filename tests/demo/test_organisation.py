"""``flask demo load``: a small organisation with varied progress."""

from __future__ import annotations

from sqlalchemy import func, select

from awareness.config import PROJECT_ROOT
from awareness.demo import organisation
from awareness.extensions import db
from awareness.models import Assignment, Attempt, Layer, Person
from awareness.models.types import utcnow
from awareness.progress.status import STATUSES, status_of
from awareness.reporting import coverage


def demo(runner, *args):
    return runner.invoke(args=["demo", "load", *args])


def content_cli(runner, *args):
    return runner.invoke(args=["content", *map(str, args)])


def test_demo_load_prints_the_logins(runner, content):
    result = demo(runner)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    people = len(organisation.PEOPLE)
    assert lines[0].startswith(f"Demo organisation loaded: {people} people, ")
    assert lines[1] == f"Sign in with any of these (password: {organisation.DEMO_PASSWORD}):"
    assert [line.split()[0] for line in lines[2:]] == [email for email, _ in organisation.LOGINS]
    learner = db.session.scalar(select(Person).where(Person.email == "learner@example.org"))
    assert learner.check_password(organisation.DEMO_PASSWORD)


def statuses() -> set[str]:
    now = utcnow()
    return set(db.session.scalars(select(status_of(now)).select_from(Assignment)))


def test_demo_has_people_in_every_layer_and_a_mix_of_statuses(runner, content):
    demo(runner)
    layers = set(db.session.scalars(select(Layer.id)))
    assert set(db.session.scalars(select(Person.layer_id).distinct())) == layers
    assert {"completed", "overdue", "not_started"} <= statuses()
    report = coverage.coverage(db.session, "department")
    assert 0 < report.total.coverage < 1


def test_demo_attempts_fall_between_joining_and_now(runner, content):
    demo(runner)
    now = utcnow()
    rows = db.session.execute(
        select(Attempt.submitted_at, Person.activated_on).join(
            Person, Person.id == Attempt.person_id
        )
    ).all()
    assert rows
    assert all(joined <= submitted.date() and submitted <= now for submitted, joined in rows)


def test_demo_on_the_shipped_content_shows_every_status(runner):
    assert content_cli(runner, "sync", PROJECT_ROOT / "content").exit_code == 0
    demo(runner)
    assert statuses() == set(STATUSES)


def test_demo_load_if_empty_does_nothing_when_people_exist(runner, content, make_person):
    make_person("someone@example.org", password=None)
    result = demo(runner, "--if-empty")
    assert result.exit_code == 0
    assert result.stdout == "The database already has people: demo not loaded.\n"
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1


def test_demo_load_refuses_a_database_with_people(runner, content, make_person):
    make_person("someone@example.org", password=None)
    result = demo(runner)
    assert result.exit_code == 1
    assert "demo load needs an empty one" in result.stderr


def test_demo_load_needs_content(runner):
    result = demo(runner)
    assert result.exit_code == 1
    assert "run 'flask --app awareness content sync' first" in result.stderr
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
