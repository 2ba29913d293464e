"""Coverage figures of CONTRACT section 3 on hand-made cases, with explicit times.

The test content (see tests/data/content): ``phishing`` (staff and management,
due in 30 days, renewed every 365, pass at 80, two questions), ``welcome`` (a
reading for all, never expires) and ``cyber-risk`` (leadership, pass at 50).
Every module is published on 2026-01-01 here, and people joined before that
unless a test says otherwise, so a phishing assignment is due on 2026-01-31.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from awareness.extensions import db
from awareness.models import Assignment, Module, Person
from awareness.people import directory
from awareness.progress import attempts, learner, summary
from awareness.progress.status import due_of
from awareness.reporting import coverage
from awareness.reporting.figures import Figures, Filters
from tests.helpers import at

PUBLISHED = date(2026, 1, 1)
JOINED = date(2025, 6, 1)

#: Answers to phishing that score 100, 50 and 0.
FULL = {1: frozenset({2}), 2: frozenset({1, 2})}
HALF = {1: frozenset({2}), 2: frozenset({1})}
NONE = {1: frozenset({1}), 2: frozenset({3})}


@pytest.fixture
def org(content, make_person):
    """Publish every module on PUBLISHED; return a maker of people who joined on JOINED."""
    db.session.execute(Module.__table__.update().values(published_on=PUBLISHED))
    db.session.commit()

    def person(
        email: str, layer: str = "staff", department: str = "Finance", joined: date = JOINED
    ) -> Person:
        return make_person(
            email, department=department, layer=layer, activated_on=joined, password=None
        )

    return person


def module(slug: str) -> Module:
    return db.session.scalar(select(Module).where(Module.slug == slug))


def take(person: Person, answers, when: str, slug: str = "phishing"):
    """Submit an attempt at ``when``; a reading is acknowledged."""
    _attempt, result = attempts.submit(
        db.session, person, module(slug), answers, acknowledge=True, now=at(when)
    )
    db.session.commit()
    return result


def status(person: Person, when: str, slug: str = "phishing") -> str:
    (item,) = [
        item
        for item in learner.person_assignments(db.session, person.id, now=at(when))
        if item.module.slug == slug
    ]
    return item.status


def assigned_slugs(person: Person) -> list[str]:
    return sorted(item.module.slug for item in learner.person_assignments(db.session, person.id))


def totals(when: str, **filters) -> dict:
    return coverage.totals(db.session, Filters(**filters), now=at(when)).as_dict()


def phishing_only() -> Filters:
    return Filters(module_id=module("phishing").id)


def refresh() -> None:
    summary.refresh(db.session)
    db.session.commit()


# -- who is assigned what --------------------------------------------------


def test_audience_all_reaches_everyone_and_layers_reach_their_own(org):
    staff = org("staff@example.org", "staff")
    manager = org("manager@example.org", "management")
    leader = org("leader@example.org", "leadership")
    tech = org("tech@example.org", "technical")
    assert assigned_slugs(staff) == ["phishing", "welcome"]
    assert assigned_slugs(manager) == ["phishing", "welcome"]
    assert assigned_slugs(leader) == ["cyber-risk", "welcome"]
    assert assigned_slugs(tech) == ["welcome"]


def test_an_optional_module_is_not_assigned(org):
    staff = org("staff@example.org")
    module("phishing").required = False
    refresh()
    assert assigned_slugs(staff) == ["welcome"]


def test_a_retired_module_is_not_assigned(org):
    staff = org("staff@example.org")
    module("welcome").retired = True
    refresh()
    assert assigned_slugs(staff) == ["phishing"]


def test_an_inactive_person_is_not_assigned(org):
    staff = org("staff@example.org")
    staff.active = False
    refresh()
    assert assigned_slugs(staff) == []
    assert totals("2026-02-01 00:00")["assigned"] == 0


def test_assigned_on_is_the_later_of_activation_and_publication(org):
    early = org("early@example.org", joined=date(2025, 6, 1))
    late = org("late@example.org", joined=date(2026, 3, 10))
    rows = {
        row.person_id: (row.assigned_on, row.due_on)
        for row in db.session.scalars(
            select(Assignment).where(Assignment.module_id == module("phishing").id)
        )
    }
    assert rows[early.id] == (date(2026, 1, 1), date(2026, 1, 31))
    assert rows[late.id] == (date(2026, 3, 10), date(2026, 4, 9))


def test_the_due_date_is_reported_per_person(org):
    late = org("late@example.org", joined=date(2026, 3, 10))
    (item,) = [
        i
        for i in learner.person_assignments(db.session, late.id, now=at("2026-03-10 09:00"))
        if i.module.slug == "phishing"
    ]
    assert (item.status, item.due, item.best_score, item.attempts) == (
        "not_started",
        date(2026, 4, 9),
        None,
        0,
    )


# -- statuses at their boundaries ------------------------------------------


def test_not_started_until_the_due_day_ends_then_overdue(org):
    ann = org("ann@example.org")
    assert status(ann, "2026-01-31 23:59:59") == "not_started"
    assert status(ann, "2026-02-01 00:00") == "overdue"


def test_a_failed_attempt_is_in_progress_until_it_is_overdue(org):
    ann = org("ann@example.org")
    result = take(ann, HALF, "2026-01-10 10:00")
    assert (result.score, result.passed) == (50, False)
    assert status(ann, "2026-01-20 00:00") == "in_progress"
    assert status(ann, "2026-02-01 00:00") == "overdue"


def test_a_pass_completes_until_renew_days_have_passed_then_expires(org):
    ann = org("ann@example.org")
    take(ann, NONE, "2026-01-05 09:00")
    take(ann, FULL, "2026-01-10 12:00")
    assert status(ann, "2026-01-10 12:00") == "completed"
    assert status(ann, "2027-01-10 12:00") == "completed"  # exactly 365 days: still valid
    assert status(ann, "2027-01-10 12:00:01") == "expired"


def test_a_late_pass_still_completes(org):
    ann = org("ann@example.org")
    assert status(ann, "2026-02-28 00:00") == "overdue"
    take(ann, FULL, "2026-03-01 08:00")
    assert status(ann, "2026-03-01 08:00") == "completed"


def test_renewal_a_new_pass_after_expiry_completes_again(org):
    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-10 12:00")
    assert status(ann, "2027-02-01 00:00") == "expired"
    take(ann, HALF, "2027-02-01 09:00")
    assert status(ann, "2027-02-01 10:00") == "expired"  # a failed retake changes nothing
    take(ann, FULL, "2027-02-02 09:00")
    assert status(ann, "2027-02-02 09:00") == "completed"
    assert status(ann, "2028-02-02 09:00") == "completed"
    assert status(ann, "2028-02-02 09:00:01") == "expired"


def test_renewal_survives_a_rebuild_of_the_summary(org):
    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-10 12:00")
    take(ann, FULL, "2027-02-02 09:00")
    refresh()
    assert status(ann, "2028-02-02 09:00") == "completed"
    assert status(ann, "2028-02-02 09:00:01") == "expired"


def test_expiry_is_exact_to_the_microsecond_after_a_rebuild(org):
    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-10 12:00:00.123456")
    refresh()
    (row,) = db.session.scalars(
        select(Assignment).where(
            Assignment.person_id == ann.id, Assignment.module_id == module("phishing").id
        )
    )
    assert row.expires_at == at("2027-01-10 12:00:00.123456")
    assert status(ann, "2027-01-10 12:00:00.123456") == "completed"
    assert status(ann, "2027-01-10 12:00:00.123457") == "expired"


def test_a_reading_never_expires_when_renew_days_is_null(org):
    ann = org("ann@example.org")
    take(ann, None, "2026-01-02 08:00", slug="welcome")
    assert status(ann, "2036-01-01 00:00", slug="welcome") == "completed"


def test_an_expired_completion_counts_as_overdue_not_completed(org):
    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-10 12:00")
    assert coverage.totals(db.session, phishing_only(), now=at("2027-06-01 00:00")).as_dict() == {
        "assigned": 1,
        "completed": 0,
        "overdue": 1,
        "coverage": 0.0,
        "avg_score": 100.0,
    }


def test_statuses_come_back_most_urgent_first(org):
    ann = org("ann@example.org")
    take(ann, None, "2026-01-02 08:00", slug="welcome")
    items = learner.person_assignments(db.session, ann.id, now=at("2026-02-01 00:00"))
    assert [(i.module.slug, i.status) for i in items] == [
        ("phishing", "overdue"),
        ("welcome", "completed"),
    ]
    assert items[1].completed_at == at("2026-01-02 08:00")
    assert items[1].due is None  # never needs renewing


def test_one_assignment_is_the_same_as_in_the_list(org):
    ann = org("ann@example.org")
    take(ann, HALF, "2026-01-02 08:00")
    take(ann, None, "2026-01-03 08:00", slug="welcome")
    now = at("2026-02-01 00:00")
    for item in learner.person_assignments(db.session, ann.id, now=now):
        assert learner.person_assignment(db.session, ann.id, item.module.id, now=now) == item
    assert learner.person_assignment(db.session, ann.id, module("cyber-risk").id) is None


def test_due_is_the_renewal_day_for_completions_and_the_due_day_otherwise():
    due_on, expires = date(2026, 1, 31), at("2027-01-10 12:00")
    assert due_of("completed", due_on, expires) == date(2027, 1, 10)
    assert due_of("expired", due_on, expires) == date(2027, 1, 10)
    assert due_of("completed", due_on, None) is None
    for state in ("overdue", "in_progress", "not_started"):
        assert due_of(state, due_on, None) == due_on


def test_roster_and_my_training_agree_on_due_dates(org):
    from awareness.reporting import roster

    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-02 08:00")
    now = at("2026-02-01 00:00")
    (row,) = roster.roster(db.session, Filters(), now).people
    mine = {
        i.module.id: (i.status, i.due)
        for i in learner.person_assignments(db.session, ann.id, now=now)
    }
    assert {m: (c.status, c.due) for m, c in row.modules.items()} == mine


# -- major -----------------------------------------------------------------


def raise_major(slug: str, published: date) -> None:
    """What ``content sync`` does when ``major`` rises."""
    bumped = module(slug)
    bumped.major += 1
    bumped.published_on = published
    summary.refresh(db.session, module_ids=[bumped.id])
    db.session.commit()


def test_raising_major_resets_completions_and_the_due_date(org):
    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-10 12:00")
    raise_major("phishing", date(2026, 6, 1))
    assert status(ann, "2026-06-01 12:00") == "not_started"
    assert status(ann, "2026-07-01 23:00") == "not_started"
    assert status(ann, "2026-07-02 00:00") == "overdue"
    take(ann, FULL, "2026-06-15 12:00")
    assert status(ann, "2026-07-02 00:00") == "completed"


def test_attempts_at_an_earlier_major_do_not_count_towards_scores(org):
    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-10 12:00")
    raise_major("phishing", date(2026, 6, 1))
    take(ann, HALF, "2026-06-10 12:00")
    (item,) = [
        i
        for i in learner.person_assignments(db.session, ann.id, now=at("2026-06-10 13:00"))
        if i.module.slug == "phishing"
    ]
    assert (item.status, item.best_score, item.attempts) == ("in_progress", 50, 1)


# -- groups ----------------------------------------------------------------


def test_avg_score_is_the_mean_of_best_scores_of_those_who_attempted(org):
    ann = org("ann@example.org")
    bob = org("bob@example.org")
    org("cat@example.org")  # no attempt: not in the average
    take(ann, NONE, "2026-01-05 09:00")
    take(ann, HALF, "2026-01-06 09:00")  # ann's best: 50
    take(bob, FULL, "2026-01-05 09:00")
    take(bob, NONE, "2026-01-06 09:00")  # bob's best: 100
    figures = coverage.totals(db.session, phishing_only(), now=at("2026-01-20 00:00"))
    assert figures.as_dict() == {
        "assigned": 3,
        "completed": 1,
        "overdue": 0,
        "coverage": 0.3333,
        "avg_score": 75.0,
    }


def test_avg_score_over_a_group_runs_over_every_attempted_assignment(org):
    ann = org("ann@example.org")
    org("bob@example.org")
    take(ann, HALF, "2026-01-05 09:00")  # phishing best 50
    take(ann, None, "2026-01-05 10:00", slug="welcome")  # welcome 100
    assert totals("2026-01-20 00:00") == {
        "assigned": 4,
        "completed": 1,
        "overdue": 0,
        "coverage": 0.25,
        "avg_score": 75.0,
    }


def test_coverage_and_avg_score_are_null_when_nothing_is_assigned_or_attempted(org):
    assert totals("2026-01-20 00:00") == {
        "assigned": 0,
        "completed": 0,
        "overdue": 0,
        "coverage": None,
        "avg_score": None,
    }
    org("tech@example.org", "technical")
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


def test_deactivation_removes_a_person_from_the_figures(org):
    ann = org("ann@example.org")
    bob = org("bob@example.org")
    take(ann, FULL, "2026-01-10 12:00")
    take(bob, NONE, "2026-01-10 12:00")
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


def test_reactivation_starts_a_new_assignment_but_keeps_valid_completions(org):
    ann = org("ann@example.org")
    take(ann, FULL, "2026-01-10 12:00")
    ann.active = False
    summary.refresh(db.session, person_ids=[ann.id])
    ann.active = True
    ann.activated_on = date(2026, 5, 1)
    summary.refresh(db.session, person_ids=[ann.id])
    db.session.commit()
    assert status(ann, "2026-05-02 00:00") == "completed"
    assert status(ann, "2026-05-02 00:00", slug="welcome") == "not_started"
    assert status(ann, "2026-06-01 00:00", slug="welcome") == "overdue"


def test_department_figures_roll_up_to_every_parent(org):
    """Four staff in three departments; phishing only, as of 2026-02-01 (past due)."""
    top = org("top@example.org", department="Finance")
    pay = org("pay@example.org", department="Finance/Payroll")
    org("proc@example.org", department="Finance/Procurement")
    it = org("it@example.org", department="IT")
    take(top, FULL, "2026-01-10 12:00")  # completed, 100
    take(pay, HALF, "2026-01-10 12:00")  # overdue, 50
    take(it, FULL, "2026-01-10 12:00")  # completed, 100; proc never started: overdue
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


def test_department_filter_includes_the_departments_below(org):
    org("top@example.org", department="Finance")
    org("pay@example.org", department="Finance/Payroll")
    org("it@example.org", department="IT")
    finance = directory.department_ids_under(db.session, ["Finance"])
    figures = coverage.totals(
        db.session, Filters(department_ids=finance), now=at("2026-01-20 00:00")
    )
    assert figures.assigned == 4  # two people, phishing and welcome each
    report = coverage.coverage(
        db.session, "department", Filters(department_ids=finance), now=at("2026-01-20")
    )
    assert [row.key for row in report.rows] == ["Finance", "Finance/Payroll"]


def test_department_ids_under_does_not_match_a_name_that_only_starts_alike(org):
    org("a@example.org", department="Fin")
    org("b@example.org", department="Finance")
    org("c@example.org", department="Fin/Ops")
    ids = directory.department_ids_under(db.session, ["Fin"])
    paths = {
        d.department.path for d in db.session.scalars(select(Person)) if d.department_id in ids
    }
    assert paths == {"Fin", "Fin/Ops"}


def under(path: str) -> set[str]:
    """The paths of the departments ``department_ids_under`` finds for ``path``."""
    ids = directory.department_ids_under(db.session, [path])
    return {p.department.path for p in db.session.scalars(select(Person)) if p.department_id in ids}


def test_department_ids_under_compares_case_exactly(org):
    org("a@example.org", department="Finance")
    org("b@example.org", department="finance/payroll")
    org("c@example.org", department="FINANCE/Audit")
    org("d@example.org", department="Finance/Payroll")
    assert under("Finance") == {"Finance", "Finance/Payroll"}
    assert under("finance") == {"finance/payroll"}
    assert under("FINANCE") == {"FINANCE/Audit"}


@pytest.mark.parametrize("wild", ["_", "%", "\\"])
def test_department_ids_under_treats_pattern_characters_as_plain_text(org, wild):
    org("a@example.org", department=f"R{wild}D")
    org("b@example.org", department=f"R{wild}D/Lab")
    org("c@example.org", department="RxD/Lab")
    org("d@example.org", department="R&D/Lab")
    org("e@example.org", department=f"R{wild}{wild}D/Lab")
    assert under(f"R{wild}D") == {f"R{wild}D", f"R{wild}D/Lab"}
    assert under("R") == set()


def test_coverage_by_layer_and_by_module(org):
    staff = org("staff@example.org", "staff")
    org("manager@example.org", "management")
    leader = org("leader@example.org", "leadership")
    take(staff, FULL, "2026-01-10 12:00")
    take(leader, {1: frozenset({1}), 2: frozenset({1})}, "2026-01-10 12:00", slug="cyber-risk")
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


def test_filters_narrow_rows_and_total(org):
    staff = org("staff@example.org", "staff")
    org("manager@example.org", "management")
    take(staff, FULL, "2026-01-10 12:00")
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
