"""Who is assigned what, and each status at its boundaries (docs/metrics.md), at explicit times."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from awareness.extensions import db
from awareness.models import Assignment, Person
from awareness.progress import learner, summary
from awareness.progress.status import due_of
from awareness.reporting import coverage
from awareness.reporting.figures import Filters
from tests.helpers import FULL, HALF, NONE, at, module, phishing_only, refresh, status, take, totals


def assigned_slugs(person: Person) -> list[str]:
    return sorted(item.module.slug for item in learner.person_assignments(db.session, person.id))


def test_audience_all_reaches_everyone_and_layers_reach_their_own(hire):
    staff = hire("staff@example.org", "staff")
    manager = hire("manager@example.org", "management")
    leader = hire("leader@example.org", "leadership")
    tech = hire("tech@example.org", "technical")
    assert assigned_slugs(staff) == ["phishing", "welcome"]
    assert assigned_slugs(manager) == ["phishing", "welcome"]
    assert assigned_slugs(leader) == ["cyber-risk", "welcome"]
    assert assigned_slugs(tech) == ["welcome"]


def test_an_optional_module_is_not_assigned(hire):
    staff = hire("staff@example.org")
    module("phishing").required = False
    refresh()
    assert assigned_slugs(staff) == ["welcome"]


def test_a_retired_module_is_not_assigned(hire):
    staff = hire("staff@example.org")
    module("welcome").retired = True
    refresh()
    assert assigned_slugs(staff) == ["phishing"]


def test_an_inactive_person_is_not_assigned(hire):
    staff = hire("staff@example.org")
    staff.active = False
    refresh()
    assert assigned_slugs(staff) == []
    assert totals("2026-02-01 00:00")["assigned"] == 0


def test_assigned_on_is_the_later_of_activation_and_publication(hire):
    early = hire("early@example.org", joined=date(2025, 6, 1))
    late = hire("late@example.org", joined=date(2026, 3, 10))
    rows = {
        row.person_id: (row.assigned_on, row.due_on)
        for row in db.session.scalars(
            select(Assignment).where(Assignment.module_id == module("phishing").id)
        )
    }
    assert rows[early.id] == (date(2026, 1, 1), date(2026, 1, 31))
    assert rows[late.id] == (date(2026, 3, 10), date(2026, 4, 9))


def test_the_due_date_is_reported_per_person(hire):
    late = hire("late@example.org", joined=date(2026, 3, 10))
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


def test_not_started_until_the_due_day_ends_then_overdue(hire):
    ann = hire("ann@example.org")
    assert status(ann, "2026-01-31 23:59:59") == "not_started"
    assert status(ann, "2026-02-01 00:00") == "overdue"


def test_a_failed_attempt_is_in_progress_until_it_is_overdue(hire):
    ann = hire("ann@example.org")
    result = take(ann, "phishing", HALF, at("2026-01-10 10:00"))
    assert (result.score, result.passed) == (50, False)
    assert status(ann, "2026-01-20 00:00") == "in_progress"
    assert status(ann, "2026-02-01 00:00") == "overdue"


def test_a_pass_completes_until_renew_days_have_passed_then_expires(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", NONE, at("2026-01-05 09:00"))
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    assert status(ann, "2026-01-10 12:00") == "completed"
    assert status(ann, "2027-01-10 12:00") == "completed"  # exactly 365 days: still valid
    assert status(ann, "2027-01-10 12:00:01") == "expired"


def test_a_late_pass_still_completes(hire):
    ann = hire("ann@example.org")
    assert status(ann, "2026-02-28 00:00") == "overdue"
    take(ann, "phishing", FULL, at("2026-03-01 08:00"))
    assert status(ann, "2026-03-01 08:00") == "completed"


def test_renewal_a_new_pass_after_expiry_completes_again(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    assert status(ann, "2027-02-01 00:00") == "expired"
    take(ann, "phishing", HALF, at("2027-02-01 09:00"))
    assert status(ann, "2027-02-01 10:00") == "expired"  # a failed retake changes nothing
    take(ann, "phishing", FULL, at("2027-02-02 09:00"))
    assert status(ann, "2027-02-02 09:00") == "completed"
    assert status(ann, "2028-02-02 09:00") == "completed"
    assert status(ann, "2028-02-02 09:00:01") == "expired"


def test_renewal_survives_a_rebuild_of_the_summary(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    take(ann, "phishing", FULL, at("2027-02-02 09:00"))
    refresh()
    assert status(ann, "2028-02-02 09:00") == "completed"
    assert status(ann, "2028-02-02 09:00:01") == "expired"


def test_expiry_is_exact_to_the_microsecond_after_a_rebuild(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00:00.123456"))
    refresh()
    (row,) = db.session.scalars(
        select(Assignment).where(
            Assignment.person_id == ann.id, Assignment.module_id == module("phishing").id
        )
    )
    assert row.expires_at == at("2027-01-10 12:00:00.123456")
    assert status(ann, "2027-01-10 12:00:00.123456") == "completed"
    assert status(ann, "2027-01-10 12:00:00.123457") == "expired"


def test_a_reading_never_expires_when_renew_days_is_null(hire):
    ann = hire("ann@example.org")
    take(ann, "welcome", None, at("2026-01-02 08:00"))
    assert status(ann, "2036-01-01 00:00", slug="welcome") == "completed"


def test_an_expired_completion_counts_as_overdue_not_completed(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    assert coverage.totals(db.session, phishing_only(), now=at("2027-06-01 00:00")).as_dict() == {
        "assigned": 1,
        "completed": 0,
        "overdue": 1,
        "coverage": 0.0,
        "avg_score": 100.0,
    }


def test_statuses_come_back_most_urgent_first(hire):
    ann = hire("ann@example.org")
    take(ann, "welcome", None, at("2026-01-02 08:00"))
    items = learner.person_assignments(db.session, ann.id, now=at("2026-02-01 00:00"))
    assert [(i.module.slug, i.status) for i in items] == [
        ("phishing", "overdue"),
        ("welcome", "completed"),
    ]
    assert items[1].completed_at == at("2026-01-02 08:00")
    assert items[1].due is None  # never needs renewing


def test_one_assignment_is_the_same_as_in_the_list(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", HALF, at("2026-01-02 08:00"))
    take(ann, "welcome", None, at("2026-01-03 08:00"))
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


def test_roster_and_my_training_agree_on_due_dates(hire):
    from awareness.reporting import roster

    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-02 08:00"))
    now = at("2026-02-01 00:00")
    (row,) = roster.roster(db.session, Filters(), now).people
    mine = {
        i.module.id: (i.status, i.due)
        for i in learner.person_assignments(db.session, ann.id, now=now)
    }
    assert {m: (c.status, c.due) for m, c in row.modules.items()} == mine


def raise_major(slug: str, published: date) -> None:
    """What ``content sync`` does when ``major`` rises."""
    bumped = module(slug)
    bumped.major += 1
    bumped.published_on = published
    summary.refresh(db.session, module_ids=[bumped.id])
    db.session.commit()


def test_raising_major_resets_completions_and_the_due_date(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    raise_major("phishing", date(2026, 6, 1))
    assert status(ann, "2026-06-01 12:00") == "not_started"
    assert status(ann, "2026-07-01 23:00") == "not_started"
    assert status(ann, "2026-07-02 00:00") == "overdue"
    take(ann, "phishing", FULL, at("2026-06-15 12:00"))
    assert status(ann, "2026-07-02 00:00") == "completed"


def test_attempts_at_an_earlier_major_do_not_count_towards_scores(hire):
    ann = hire("ann@example.org")
    take(ann, "phishing", FULL, at("2026-01-10 12:00"))
    raise_major("phishing", date(2026, 6, 1))
    take(ann, "phishing", HALF, at("2026-06-10 12:00"))
    (item,) = [
        i
        for i in learner.person_assignments(db.session, ann.id, now=at("2026-06-10 13:00"))
        if i.module.slug == "phishing"
    ]
    assert (item.status, item.best_score, item.attempts) == ("in_progress", 50, 1)
