"""``/admin/people``: the list, a person's page, and HR's and admins' changes, as they see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awareness.extensions import db
from awareness.live import attendance, planning
from awareness.models import Assignment, LoginSession, Person
from awareness.models.types import utcnow
from tests.helpers import audit_log, csrf_token


@pytest.fixture
def admin(make_person):
    return make_person("admin@example.org", name="Ada Admin", department="IT", roles="admin")


def fresh(person: Person) -> Person:
    db.session.expire_all()
    return db.session.get(Person, person.id)


def assignments_of(person: Person) -> list:
    db.session.rollback()
    return list(db.session.execute(
        select(Assignment.module_id, Assignment.department_id, Assignment.layer_id)
        .where(Assignment.person_id == person.id)
    ))  # fmt: skip


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_admins_see_everyone_with_overdue_counts(client, login, org, make_person, role):
    viewer = org["hr"] if role == "hr" else make_person("a@example.org", roles="admin")
    login(viewer)
    page = client.get("/admin/people")
    assert page.status_code == 200
    html = page.text
    assert "pay2@example.org" in html and "gone@example.org" in html
    assert 'role="region"' in html and 'aria-labelledby="people-caption"' in html
    assert f'href="/admin/people/{org["pay2"].id}"' in html
    assert '<span class="badge badge-overdue">2</span>' in html
    assert "Deactivated" in html
    assert 'href="/admin/people"' in html  # the navigation shows the section


@pytest.mark.parametrize("who", ["pay1", "boss"])
def test_learners_and_managers_are_refused(client, login, org, who):
    login(org[who])
    assert client.get("/admin/people").status_code == 403
    assert client.get(f"/admin/people/{org['pay2'].id}").status_code == 403
    assert 'href="/admin/people"' not in client.get("/").text


def test_authors_are_refused_and_anonymous_asked_to_sign_in(client, login, org, make_person):
    assert client.get("/admin/people").headers["Location"].startswith("/login")
    login(make_person("author@example.org", roles="author"))
    assert client.get("/admin/people").status_code == 403


def test_search_and_filters_narrow_the_list(client, login, org):
    login(org["hr"])
    found = client.get("/admin/people?q=payroll&overdue=y").text
    assert "pay2@example.org" in found and "pay1@example.org" not in found
    assert "1 person matches" in found
    finance = client.get("/admin/people?department=Finance&active=inactive").text
    assert "gone@example.org" in finance and "pay2@example.org" not in finance
    managers = client.get("/admin/people?role=manager&layer=management").text
    assert "boss@example.org" in managers and "pay1@example.org" not in managers


def test_a_filter_naming_nothing_is_a_clear_400(client, login, org):
    login(org["hr"])
    for query in ("department=Nowhere", "layer=nope", "role=king", "active=maybe", "page=x"):
        answer = client.get(f"/admin/people?{query}")
        assert answer.status_code == 400, query
    assert "Department" in client.get("/admin/people?department=Nowhere").text


def test_pages_of_fifty_and_a_page_past_the_last_is_404(client, login, org, make_person):
    for number in range(50):
        make_person(f"p{number:02}@example.org", name=f"Person {number:02}", password=None)
    login(org["hr"])
    first = client.get("/admin/people").text
    assert "Page 1 of 2" in first and 'rel="next" href="/admin/people?page=2"' in first
    second = client.get("/admin/people?page=2&q=example").text
    assert "Page 2 of 2" in second
    assert 'rel="prev" href="/admin/people?page=1&amp;q=example"' in second
    missing = client.get("/admin/people?page=3")
    assert missing.status_code == 404 and "the list has 2 pages" in missing.text


def test_a_persons_page_shows_training_attempts_and_versions(client, login, org):
    login(org["hr"])
    html = client.get(f"/admin/people/{org['pay1'].id}").text
    assert "pay1@example.org" in html and "Finance/Payroll" in html
    assert "Completed" in html and "Major 1" in html
    assert html.count("<code title=") == 3  # two phishing attempts and the reading
    assert "Has a password" in html
    assert 'id="tokens-heading"' not in html  # HR do not see tokens
    assert client.get("/admin/people/999999").status_code == 404


def test_hr_changes_department_layer_and_roles_and_the_summary_follows(client, login, org):
    login(org["hr"])
    pay1 = org["pay1"]
    before = assignments_of(pay1)
    url = f"/admin/people/{pay1.id}"
    token = csrf_token(client.get(url).text)
    answer = client.post(url, data={
        "csrf_token": token, "department": " IT / Service Desk ", "layer": "technical",
        "roles": ["manager", "author"],
    })  # fmt: skip
    assert answer.status_code == 303
    assert "The changes to Pay1 are saved." in client.get(url).text
    pay1 = fresh(pay1)
    assert (pay1.department.path, pay1.layer_id, pay1.roles) == (
        "IT/Service Desk",
        "technical",
        "author;manager",
    )
    after = assignments_of(pay1)
    assert after != before and {row.layer_id for row in after} == {"technical"}
    assert {row.department_id for row in after} == {pay1.department_id}
    update, roles = audit_log("person.update", "roles.change")
    assert (update.actor, update.target) == ("hr@example.org", "pay1@example.org")
    assert update.details == {"changes": {
        "department": ["Finance/Payroll", "IT/Service Desk"], "layer": ["staff", "technical"],
    }}  # fmt: skip
    assert roles.details == {"old": ["learner"], "new": ["learner", "manager", "author"]}
    assert update.ip == "127.0.0.1"


def test_hr_may_not_grant_admin(client, login, org):
    login(org["hr"])
    url = f"/admin/people/{org['pay1'].id}"
    token = csrf_token(client.get(url).text)
    page = client.post(url, data={
        "csrf_token": token, "department": "Finance/Payroll", "layer": "staff", "roles": ["admin"],
    })  # fmt: skip
    assert page.status_code == 200
    assert "Only an administrator may grant or remove the admin role." in page.text
    assert fresh(org["pay1"]).roles == ""
    assert audit_log("roles.change", "person.update") == []


def test_admins_grant_admin_but_not_remove_their_own(client, login, org, admin):
    login(admin)
    url = f"/admin/people/{org['pay1'].id}"
    token = csrf_token(client.get(url).text)
    form = {"csrf_token": token, "department": "Finance/Payroll", "layer": "staff"}
    assert client.post(url, data={**form, "roles": ["admin"]}).status_code == 303
    assert fresh(org["pay1"]).roles == "admin"
    own = client.post(f"/admin/people/{admin.id}", data={**form, "roles": []})
    assert "You cannot remove your own admin role" in own.text
    assert fresh(admin).roles == "admin"


def test_bad_details_are_named_and_change_nothing(client, login, org):
    login(org["hr"])
    url = f"/admin/people/{org['pay1'].id}"
    token = csrf_token(client.get(url).text)
    for department, layer in (("Finance//Payroll", "staff"), ("", "staff"), ("IT", "king")):
        page = client.post(url, data={"csrf_token": token, "department": department,
                                      "layer": layer})  # fmt: skip
        assert page.status_code == 200 and 'class="field-error"' in page.text
    assert (
        "must be a path such as Finance/Payroll"
        in client.post(
            url, data={"csrf_token": token, "department": "Finance//Payroll", "layer": "staff"}
        ).text
    )
    assert fresh(org["pay1"]).department.path == "Finance/Payroll"
    assert audit_log("person.update") == []


def test_deactivating_signs_them_out_and_reactivating_brings_them_back(app, client, login, org):
    pay1 = org["pay1"]
    other = app.test_client()
    login(org["hr"])
    from tests.helpers import open_session

    open_session(other, pay1)
    assert other.get("/").status_code == 200
    token = csrf_token(client.get(f"/admin/people/{pay1.id}").text)
    answer = client.post(f"/admin/people/{pay1.id}/deactivate", data={"csrf_token": token})
    assert answer.status_code == 303
    assert "is deactivated" in client.get(answer.headers["Location"]).text
    assert other.get("/").headers["Location"].startswith("/login")
    db.session.rollback()
    sessions = (
        select(func.count()).select_from(LoginSession).where(LoginSession.person_id == pay1.id)
    )
    assert db.session.scalar(sessions) == 0
    assert assignments_of(pay1) == [] and fresh(pay1).active is False
    client.post(f"/admin/people/{pay1.id}/reactivate", data={"csrf_token": token})
    assert fresh(pay1).active is True and assignments_of(pay1) != []
    off, on = audit_log("person.deactivate", "person.activate")
    assert (off.details, on.details) == ({"old": True, "new": False}, {"old": False, "new": True})
    assert off.actor == "hr@example.org"


def test_nobody_deactivates_themselves(client, login, org):
    login(org["hr"])
    url = f"/admin/people/{org['hr'].id}"
    token = csrf_token(client.get(url).text)
    answer = client.post(f"{url}/deactivate", data={"csrf_token": token}, follow_redirects=True)
    assert "You cannot deactivate yourself" in answer.text
    assert fresh(org["hr"]).active is True


def test_changes_without_the_csrf_token_are_refused(client, login, org):
    login(org["hr"])
    pay1 = org["pay1"]
    client.get(f"/admin/people/{pay1.id}")
    before = audit_log()
    for path in ("", "/deactivate", "/link"):
        data = {"department": "IT", "layer": "technical"} if not path else {}
        assert client.post(f"/admin/people/{pay1.id}{path}", data=data).status_code == 400
    assert fresh(pay1).active is True and fresh(pay1).department.path == "Finance/Payroll"
    assert audit_log() == before


def test_hr_cannot_lock_out_an_administrator(client, login, org, admin):
    login(org["hr"])
    url = f"/admin/people/{admin.id}"
    token = csrf_token(client.get(url).text)
    answer = client.post(f"{url}/deactivate", data={"csrf_token": token}, follow_redirects=True)
    assert "Only an administrator may deactivate an administrator." in answer.text
    assert fresh(admin).active is True


def test_the_page_offers_deactivation_only_to_whom_may_do_it(client, login, org, admin):
    deactivate = f'action="/admin/people/{admin.id}/deactivate"'
    login(org["hr"])
    page = client.get(f"/admin/people/{admin.id}").text
    assert deactivate not in page
    assert "Only an administrator may deactivate an administrator." in page
    assert (
        f'action="/admin/people/{org["pay1"].id}/deactivate"'
        in client.get(f"/admin/people/{org['pay1'].id}").text
    )
    login(admin)
    own = client.get(f"/admin/people/{admin.id}").text
    assert deactivate not in own and "You cannot deactivate yourself" in own


def test_a_persons_page_lists_the_live_sessions_they_attended(client, login, org):
    starts = utcnow().replace(microsecond=0) - timedelta(hours=1)
    draft = planning.Draft(
        title="Leadership roundtable", kind="roundtable", starts_at=starts,
        ends_at=starts + timedelta(hours=2), location="Board room",
    )  # fmt: skip
    live = planning.create(db.session, draft, by=org["hr"])
    attendance.record(db.session, live, [org["pay1"].id], method="roster", now=utcnow())
    db.session.commit()
    login(org["hr"])
    html = client.get(f"/admin/people/{org['pay1'].id}").text
    assert "Leadership roundtable" in html
    assert "No live sessions attended." not in html
    assert "No live sessions attended." in client.get(f"/admin/people/{org['pay2'].id}").text
