"""People and their status per module, the most overdue first."""

from __future__ import annotations

from awareness.extensions import db
from awareness.models.types import utcnow
from awareness.people import directory
from awareness.reporting import roster
from awareness.reporting.figures import Filters
from tests.helpers import module


def test_roster_lists_the_most_overdue_first_and_filters_by_status(org):
    now = utcnow()
    finance = directory.department_ids_under(db.session, ["Finance"])
    page = roster.roster(db.session, Filters(department_ids=finance), now)
    assert page.total == 5
    names = [person.email for person in page.people]
    assert names[0] == "pay2@example.org"  # two overdue
    assert set(names[1:3]) == {"boss@example.org", "proc@example.org"}  # one each
    assert set(names[3:]) == {"new@example.org", "pay1@example.org"}
    pay2 = page.people[0]
    assert pay2.modules[module("phishing").id].status == "expired"
    assert pay2.figures.overdue == 2

    in_progress = roster.roster(
        db.session, Filters(department_ids=finance), now, status="in_progress"
    )
    assert [p.email for p in in_progress.people] == ["new@example.org"]

    small = roster.roster(db.session, Filters(department_ids=finance), now, page=2, per_page=2)
    assert (small.pages, len(small.people)) == (3, 2)
    everyone = list(roster.every_person(db.session, Filters(department_ids=finance), now))
    assert [p.email for p in everyone] == names
