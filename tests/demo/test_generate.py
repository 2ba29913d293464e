"""``demo generate``: a deterministic synthetic organisation with every status."""

from __future__ import annotations

from sqlalchemy import func, select

from awareness.demo import generate, plan
from awareness.extensions import db
from awareness.models import Assignment, Attempt, AttemptAnswer, Department, Person
from awareness.progress import summary
from awareness.progress.status import STATUSES, status_of
from awareness.reporting import coverage
from tests.helpers import at

NOW = at("2026-06-15 12:00")


def snapshot():
    people = db.session.execute(
        select(Person.email, Person.name, Person.layer_id, Person.active, Person.roles).order_by(
            Person.email
        )
    ).all()
    history = db.session.execute(
        select(Attempt.person_id, Attempt.module_id, Attempt.score, Attempt.submitted_at).order_by(
            Attempt.id
        )
    ).all()
    return people, history


def test_plan_is_deterministic_by_seed():
    paths = plan.department_paths(3, 200)
    assert paths == plan.department_paths(3, 200)
    assert max(path.count("/") for path in paths) == 2  # three levels
    layers = ["leadership", "management", "staff", "technical"]
    first = list(plan.plan_people(3, 200, paths, layers, NOW.date()))
    assert first == list(plan.plan_people(3, 200, paths, layers, NOW.date()))
    assert first != list(plan.plan_people(4, 200, paths, layers, NOW.date()))
    assert first[0].email == "person00001@example.org"
    assert {person.layer for person in first} == set(layers)
    assert not all(person.active for person in first)


def test_generate_writes_every_status_and_the_summary(content, runner):
    made = generate.generate(db.session, 200, 5, now=NOW)
    assert made.people == db.session.scalar(select(func.count()).select_from(Person)) == 200
    assert made.attempts == db.session.scalar(select(func.count()).select_from(Attempt))
    assert made.answers == db.session.scalar(select(func.count()).select_from(AttemptAnswer))
    assert db.session.scalar(select(func.count()).select_from(Department)) == made.departments
    status = status_of(NOW)
    counts = dict(db.session.execute(select(status, func.count()).group_by(status)).all())
    assert set(counts) == set(STATUSES)
    # Inactive people have no assignments; the summary agrees with a full rebuild.
    inactive = select(Person.id).where(~Person.active)
    assert not db.session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.person_id.in_(inactive))
    )
    before = coverage.totals(db.session, now=NOW)
    summary.refresh(db.session)
    assert coverage.totals(db.session, now=NOW) == before
    first = snapshot()

    # The same seed again, in an emptied database, gives the same organisation.
    for table in ("assignment", "attempt_answer", "attempt", "person"):
        db.session.execute(db.metadata.tables[table].delete())
    db.session.commit()
    generate.generate(db.session, 200, 5, now=NOW)
    second = snapshot()
    assert first[0] == second[0]
    assert [row[1:] for row in first[1]] == [row[1:] for row in second[1]]


def test_generate_command(content, runner):
    result = runner.invoke(args=["demo", "generate", "--people", "50", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "Generated 50 people" in result.output
    again = runner.invoke(args=["demo", "generate", "--people", "50"])
    assert again.exit_code == 1
    assert "already has people" in again.output
