"""The people administration's list, without HTTP: search, filters, pages, overdue counts."""

from __future__ import annotations

from awareness.extensions import db
from awareness.people.listing import PeopleFilters, people_page

EVERYONE = PeopleFilters()


def emails(filters: PeopleFilters = EVERYONE, page: int = 1, per_page: int = 50) -> list:
    found = people_page(db.session, filters, page, per_page=per_page)
    return [row.email for row in found.people]


def test_everyone_by_name_with_their_overdue_count(org):
    found = people_page(db.session, PeopleFilters())
    assert found.total == 8 and found.pages == 1
    assert [row.name for row in found.people] == sorted(row.name for row in found.people)
    overdue = {row.email.split("@")[0]: row.overdue for row in found.people}
    assert overdue == {"hr": 1, "boss": 1, "pay1": 0, "pay2": 2, "proc": 1, "it": 1,
                       "new": 0, "gone": 0}  # fmt: skip
    hr = next(row for row in found.people if row.email == "hr@example.org")
    assert (hr.department, hr.layer, hr.roles, hr.active) == (
        "Executive",
        "leadership",
        ["learner", "hr"],
        True,
    )


def test_search_matches_name_email_and_department_in_any_case(org, make_person):
    make_person("zoe@example.org", name="Zoë Ångström", department="IT/Service Desk")
    assert emails(PeopleFilters(q="PAY1")) == ["pay1@example.org"]
    assert emails(PeopleFilters(q="service desk")) == ["zoe@example.org"]
    assert emails(PeopleFilters(q="Ångström")) == ["zoe@example.org"]
    assert set(emails(PeopleFilters(q="procurement"))) == {"proc@example.org"}
    # Every word must match somewhere: a department word and a name word.
    assert emails(PeopleFilters(q="payroll pay2")) == ["pay2@example.org"]


def test_search_wildcards_are_plain_characters(org, make_person):
    make_person("under_score@example.org", name="Under Score")
    assert emails(PeopleFilters(q="%")) == []
    assert emails(PeopleFilters(q="_")) == ["under_score@example.org"]


def test_department_filter_takes_in_the_departments_below(org):
    assert set(emails(PeopleFilters(department="Finance"))) == {
        "boss@example.org", "pay1@example.org", "pay2@example.org", "proc@example.org",
        "new@example.org", "gone@example.org",
    }  # fmt: skip
    assert set(emails(PeopleFilters(department="Finance/Procurement"))) == {"proc@example.org"}
    assert emails(PeopleFilters(department="Fin")) == []


def test_layer_role_and_activity_filters(org, make_person):
    make_person("admin@example.org", department="IT", roles="admin;hr")
    assert emails(PeopleFilters(layer="technical")) == ["it@example.org"]
    assert set(emails(PeopleFilters(role="hr"))) == {"hr@example.org", "admin@example.org"}
    assert emails(PeopleFilters(role="admin")) == ["admin@example.org"]
    assert emails(PeopleFilters(role="manager")) == ["boss@example.org"]
    learners = set(emails(PeopleFilters(role="learner")))
    assert "pay1@example.org" in learners and "hr@example.org" not in learners
    assert emails(PeopleFilters(active="inactive")) == ["gone@example.org"]
    assert "gone@example.org" not in emails(PeopleFilters(active="active"))


def test_overdue_filter_uses_the_summary(org):
    assert set(emails(PeopleFilters(overdue=True))) == {
        "hr@example.org", "boss@example.org", "pay2@example.org", "proc@example.org",
        "it@example.org",
    }  # fmt: skip
    narrowed = PeopleFilters(overdue=True, department="Finance/Payroll")
    assert emails(narrowed) == ["pay2@example.org"]


def test_pages_of_people_by_name(org):
    every = emails()
    first, second, third = (emails(page=page, per_page=3) for page in (1, 2, 3))
    assert first + second + third == every
    found = people_page(db.session, PeopleFilters(), 3, per_page=3)
    assert (found.total, found.pages, len(found.people)) == (8, 3, 2)
    assert people_page(db.session, PeopleFilters(q="nobody-at-all")).pages == 1


def test_a_page_past_the_last_still_knows_how_many_match(org):
    found = people_page(db.session, PeopleFilters(), 5, per_page=3)
    assert (found.people, found.total, found.pages) == ([], 8, 3)
