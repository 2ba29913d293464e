"""Recording attempts: what is stored, and the summary kept in step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from awareness.extensions import db
from awareness.models import Assignment, Attempt, AttemptAnswer
from awareness.progress import attempts
from awareness.progress.scoring import AnswerError
from tests.helpers import at, module


def summary(person, slug: str) -> Assignment:
    return db.session.get(Assignment, (person.id, module(slug).id))


def test_an_attempt_is_stored_with_its_answers(content, make_person):
    ann = make_person("ann@example.org", password=None)
    attempt, result = attempts.submit(
        db.session,
        ann,
        module("phishing"),
        {1: frozenset({2}), 2: frozenset({1, 3})},
        now=at("2026-02-01 10:00"),
    )
    db.session.commit()
    assert (result.score, result.passed) == (50, False)
    assert [(r.question, r.correct) for r in result.results] == [(1, True), (2, False)]
    assert result.results[0].explanation_html == (
        "<p>Opening an unexpected link is how most compromises start.</p>"
    )
    stored = db.session.get(Attempt, attempt.id)
    assert (stored.score, stored.passed, stored.major) == (50, False, 1)
    assert stored.answers == {"1": [2], "2": [1, 3]}
    assert stored.source_hash == module("phishing").source_hash
    answers = db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
    ).all()
    assert [(a.question, a.correct, a.chosen) for a in answers] == [(1, True, 2), (2, False, 5)]
    row = summary(ann, "phishing")
    assert (row.attempts, row.best_score, row.last_passed_at) == (1, 50, None)


def test_the_summary_keeps_the_best_score_and_latest_pass(content, make_person):
    ann = make_person("ann@example.org", password=None)
    full = {1: frozenset({2}), 2: frozenset({1, 2})}
    for when, answers in [
        ("2026-02-01 10:00", full),
        ("2026-02-03 10:00", {}),
        ("2026-02-02 10:00", full),  # an older pass does not move the latest
    ]:
        attempts.submit(db.session, ann, module("phishing"), answers, now=at(when))
    db.session.commit()
    row = summary(ann, "phishing")
    assert (row.attempts, row.best_score) == (3, 100)
    assert row.last_passed_at == at("2026-02-02 10:00")
    assert row.expires_at == at("2027-02-02 10:00")


def test_a_reading_is_acknowledged_as_a_pass_with_100(content, make_person):
    ann = make_person("ann@example.org", password=None)
    with pytest.raises(AnswerError, match="acknowledge"):
        attempts.submit(db.session, ann, module("welcome"), {})
    attempt, result = attempts.submit(db.session, ann, module("welcome"), acknowledge=True)
    db.session.commit()
    assert (result.score, result.passed, attempt.answers) == (100, True, {})
    assert summary(ann, "welcome").expires_at is None  # renew_days: null


def test_the_same_submission_key_records_one_attempt(content, make_person):
    ann = make_person("ann@example.org", password=None)
    answers = {1: frozenset({2}), 2: frozenset({1, 2})}
    first, _ = attempts.submit(db.session, ann, module("phishing"), answers, submission_key="k1")
    db.session.commit()
    again, result = attempts.submit(db.session, ann, module("phishing"), {}, submission_key="k1")
    db.session.commit()
    assert again.id == first.id
    assert result.score == 100
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert summary(ann, "phishing").attempts == 1


def test_an_attempt_at_an_unassigned_module_is_kept_without_a_summary(content, make_person):
    tech = make_person("tech@example.org", layer="technical", password=None)
    attempts.submit(db.session, tech, module("phishing"), {})
    db.session.commit()
    assert summary(tech, "phishing") is None
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
