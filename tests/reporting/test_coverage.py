"""Coverage figures (docs/metrics.md) on hand-made cases, at explicit times."""

from __future__ import annotations

from datetime import date

import pytest

from awareness.extensions import db
from awareness.people import directory
from awareness.progress import summary
from awareness.reporting import coverage
from awareness.reporting.figures import Figures, Filters
from tests.helpers import FULL, HALF, NONE, at, phishing_only, status, take, totals


def test_avg_score_is_the_mean_of_best_scores_of_those_who_attempted(hire):
    ann = hire("ann@example.org")
    bob = hire("bob@example.org")
    hire("cat@example.org")  # no attempt: not in the average
    take(ann, "phishing", NONE, at("2026-01-05 09:00"))
    take(ann, "phishing", HALF, at("2026-01-06 09:00"))  # ann's best: 50
    take(bob, "phishing", FULL, at("2026-01-05 09:00"))
    take(bob, "phishing", NONE, at("2026-01-06 09:00"))  # bob's best: 100
    figures = coverage.totals(db.session, phishing_only(), now=at("2026-01-20 00:00"))
    assert figures.as_dict() == {
        "assigned": 3,
        "completed": 1,
        "overdue": 0,
        "coverage": 0.3333,
        "avg_score": 75.0,
    }


def test_avg_score_over_a_group_runs_over_every_attempted_assignment(hire):
    ann = hire("ann@example.org")
    hire("bob@example.org")
    take(ann, "phishing", HALF, at("2026-01-05 09:00"))  # phishing best 50
    take(ann, "welcome", None, at("2026-01-05 10:00"))  # welcome 100
    assert totals("2026-01-20 00:00") == {
        "assigned": 4,
        "completed": 1,
        "overdue": 0,
        "coverage": 0.25,
        "avg_score": 75.0,
    }


def test_coverage_and_avg_score_are_null_when_nothing_is_assigned_or_attempted(hire):
    assert totals("2026-01-20 00:00") == {
        "assigned": 0,
        "completed": 0,
        "overdue": 0,
        "coverage": None,
        "avg_score": None,
    }
    hire("tech@example.org", "technical")
    report = coverage.coverage(db.session, "layer", now=at("2026-01-20 00:00"))
    rows = {row.key: row.figures.as_dict() for row in report.rows}
    assert rows["leadership"] == {
        "assigned": 0,
        "completed": 0,
        "overdue": 0,
        "coverage": None,
        "avg_score": None,
    }
    assert rows["technical"]["assigned"] == 1
    assert rows["technical"]["avg_score"] is None


def test_deactivation_removes_a_person_from_the_figures(hire):
    ann = hire("ann@example.org")
    bob = hire("bob@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    take(bob, "phishing", NONE, at("2026-01-10 12:00"))
    assert coverage.totals(db.session, phishing_only(), now=at("2026-02-01")).as_dict() == {
        "assigned": 2,
        "completed": 1,
        "overdue": 1,
        "coverage": 0.5,
        "avg_score": 50.0,
    }
    bob.active = False
    summary.refresh(db.session, person_ids=[bob.id])
    db.session.commit()
    assert coverage.totals(db.session, phishing_only(), now=at("2026-02-01")).as_dict() == {
        "assigned": 1,
        "completed": 1,
        "overdue": 0,
        "coverage": 1.0,
        "avg_score": 100.0,
    }


def test_reactivation_starts_a_new_assignment_but_keeps_valid_completions(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    ann.active = False
    summary.refresh(db.session, person_ids=[ann.id])
    ann.active = True
    ann.activated_on = date(2026, 5, 1)
    summary.refresh(db.session, person_ids=[ann.id])
    db.session.commit()
    assert status(ann, "2026-05-02 00:00") == "completed"
    assert status(ann, "2026-05-02 00:00", slug="welcome") == "not_started"
    assert status(ann, "2026-06-01 00:00", slug="welcome") == "overdue"


def test_department_figures_roll_up_to_every_parent(hire):
    """Four staff in three departments; phishing only, as of 2026-02-01 (past due)."""
    top = hire("top@example.org", department="Finance")
    pay = hire("pay@example.org", department="Finance/Payroll")
    hire("proc@example.org", department="Finance/Procurement")
    it = hire("it@example.org", department="IT")
    take(top, "phishing", FULL, at("2026-01-10 12:00"))  # completed, 100
    take(pay, "phishing", HALF, at("2026-01-10 12:00"))  # overdue, 50
    take(it, "phishing", FULL, at("2026-01-10 12:00"))  # completed, 100
    # proc never started: overdue
    report = coverage.coverage(db.session, "department", phishing_only(), now=at("2026-02-01"))
    rows = {row.key: (row.label, row.figures.as_dict()) for row in report.rows}
    assert list(rows) == ["Finance", "Finance/Payroll", "Finance/Procurement", "IT"]
    assert rows["Finance"] == (
        "Finance",
        {"assigned": 3, "completed": 1, "overdue": 2, "coverage": 0.3333, "avg_score": 75.0},
    )
    assert rows["Finance/Payroll"] == (
        "Payroll",
        {"assigned": 1, "completed": 0, "overdue": 1, "coverage": 0.0, "avg_score": 50.0},
    )
    assert rows["Finance/Procurement"][1]["avg_score"] is None
    assert rows["IT"][1]["coverage"] == 1.0
    # The total counts each assignment once, though Finance overlaps its children.
    assert report.total.as_dict() == {
        "assigned": 4,
        "completed": 2,
        "overdue": 2,
        "coverage": 0.5,
        "avg_score": 83.3,
    }


def test_department_filter_includes_the_departments_below(hire):
    hire("top@example.org", department="Finance")
    hire("pay@example.org", department="Finance/Payroll")
    hire("it@example.org", department="IT")
    finance = directory.department_ids_under(db.session, ["Finance"])
    figures = coverage.totals(
        db.session, Filters(department_ids=finance), now=at("2026-01-20 00:00")
    )
    assert figures.assigned == 4  # two people, phishing and welcome each
    report = coverage.coverage(
        db.session, "department", Filters(department_ids=finance), now=at("2026-01-20")
    )
    assert [row.key for row in report.rows] == ["Finance", "Finance/Payroll"]


def test_coverage_by_layer_and_by_module(hire):
    staff = hire("staff@example.org", "staff")
    hire("manager@example.org", "management")
    leader = hire("leader@example.org", "leadership")
    take(staff, "phishing", FULL, at("2026-01-10 12:00"))
    take(leader, "cyber-risk", {1: frozenset({1}), 2: frozenset({1})}, at("2026-01-10 12:00"))
    when = at("2026-01-20 00:00")
    by_layer = coverage.coverage(db.session, "layer", now=when)
    assert [(r.key, r.figures.assigned, r.figures.completed) for r in by_layer.rows] == [
        ("leadership", 2, 1),
        ("management", 2, 0),
        ("staff", 2, 1),
        ("technical", 0, 0),
    ]
    by_module = coverage.coverage(db.session, "module", now=when)
    assert [(r.key, r.label, r.figures.as_dict()) for r in by_module.rows] == [
        (
            "welcome",
            "How this training works",
            {"assigned": 3, "completed": 0, "overdue": 0, "coverage": 0.0, "avg_score": None},
        ),
        (
            "phishing",
            "Recognising phishing",
            {"assigned": 2, "completed": 1, "overdue": 0, "coverage": 0.5, "avg_score": 100.0},
        ),
        (
            "cyber-risk",
            "Cyber risk for leaders",
            {"assigned": 1, "completed": 1, "overdue": 0, "coverage": 1.0, "avg_score": 50.0},
        ),
    ]
    assert by_module.total.as_dict()["assigned"] == 6
    assert by_module.as_of == when


def test_filters_narrow_rows_and_total(hire):
    staff = hire("staff@example.org", "staff")
    hire("manager@example.org", "management")
    take(staff, "phishing", FULL, at("2026-01-10 12:00"))
    report = coverage.coverage(
        db.session, "layer", Filters(layer_id="staff"), now=at("2026-01-20 00:00")
    )
    assert [row.key for row in report.rows] == ["staff"]
    assert report.total.as_dict() == {
        "assigned": 2,
        "completed": 1,
        "overdue": 0,
        "coverage": 0.5,
        "avg_score": 100.0,
    }


def test_an_unknown_grouping_is_refused(app):
    with pytest.raises(ValueError, match="by must be one of department, layer, module"):
        coverage.coverage(db.session, "team")


def test_figures_add_up_and_round():
    total = Figures(3, 1, 1, 3, 250) + Figures(0, 0, 0, 0, 0)
    assert total.coverage == 0.3333
    assert total.avg_score == 83.3
    assert Figures().coverage is None
    assert Figures().avg_score is None
