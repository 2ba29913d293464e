"""Who may do what through ``/admin/people/import``: only administrators grant or remove
``admin``, or deactivate an administrator, as on a person's page (the command line is not
limited: it runs with the server's own rights)."""

from __future__ import annotations

import pytest

from awareness.extensions import db
from awareness.models import PeopleImport
from tests.admin.test_import import HEADER, confirm, confirm_url, people, text_of, upload
from tests.helpers import audit_log, csrf_token

ONLY_ADMINS = "Only an administrator may grant or remove the admin role."


@pytest.fixture
def admin(make_person):
    return make_person("root@example.org", name="Root", department="IT", roles="admin")


def test_hr_cannot_grant_admin_by_import_each_row_is_named(client, org, login, admin):
    login(org["hr"])
    text = (
        HEADER
        + "fresh@example.org,Fresh,Ops,staff,admin\n"
        + "pay1@example.org,Pay One,Finance/Payroll,staff,hr;admin\n"
        + "pay2@example.org,Pay Two,Finance/Payroll,staff,manager\n"
    )
    page = upload(client, text)
    shown = text_of(page)
    assert "2 bad rows" in shown
    assert f"people.csv:2: {ONLY_ADMINS}" in shown
    assert f"people.csv:3: {ONLY_ADMINS}" in shown
    assert "/confirm" not in page.get_data(as_text=True)
    assert "fresh@example.org" not in people()
    assert people()["pay1@example.org"].roles == ""


def test_bad_rows_and_rows_hr_may_not_apply_are_listed_together_in_line_order(
    client, org, login, admin
):
    login(org["hr"])
    text = (
        HEADER
        + "fresh@example.org,Fresh,Ops,staff,admin\n"
        + "not-an-email,Nobody,Ops,staff,\n"
        + "pay2@example.org,Pay Two,Finance/Payroll,staff,manager\n"
    )
    shown = text_of(upload(client, text))
    assert "2 bad rows" in shown
    first = shown.index(f"people.csv:2: {ONLY_ADMINS}")
    assert shown.index("people.csv:3: 'not-an-email' is not an email address") > first
    assert people()["pay2@example.org"].roles == ""  # nothing applied


def test_hr_cannot_remove_admin_nor_deactivate_an_administrator_by_import(
    client, org, login, admin
):
    login(org["hr"])
    removed = upload(client, HEADER + "root@example.org,Root,IT,staff,\n")
    assert f"people.csv:2: {ONLY_ADMINS}" in text_of(removed)
    everyone_but_root = HEADER + "".join(
        f"{p.email},{p.name},{p.department.path},{p.layer_id},{p.roles}\n"
        for p in people().values()
        if p.active and p.email != "root@example.org"
    )
    left_out = text_of(upload(client, everyone_but_root, deactivate_missing=True))
    assert "1 bad row" in left_out
    assert "root@example.org: Only an administrator may deactivate an administrator." in left_out
    assert people()["root@example.org"].active and people()["root@example.org"].roles == "admin"


def test_an_administrator_may_grant_admin_by_import(client, org, login, admin):
    login(admin)
    page = upload(client, HEADER + "pay1@example.org,Pay One,Finance/Payroll,staff,admin\n")
    assert confirm(client, confirm_url(page)).status_code == 303
    assert people()["pay1@example.org"].roles == "admin"
    (entry,) = audit_log("roles.change")
    assert entry.actor == "root@example.org" and entry.details["new"] == ["learner", "admin"]


def test_an_administrator_cannot_remove_their_own_admin_nor_deactivate_themselves(
    client, org, login, admin
):
    login(admin)
    own = text_of(upload(client, HEADER + "root@example.org,Root,IT,staff,hr\n"))
    assert "people.csv:2: You cannot remove your own admin role" in own
    nobody = text_of(upload(client, HEADER + "pay1@example.org,Pay One,Finance/Payroll,staff,\n",
                            deactivate_missing=True))  # fmt: skip
    assert "root@example.org: You cannot deactivate yourself" in nobody
    assert people()["root@example.org"].active


def test_hr_cannot_confirm_an_administrators_preview_that_grants_admin(client, org, login, admin):
    login(admin)
    url = confirm_url(
        upload(client, HEADER + "pay1@example.org,Pay One,Finance/Payroll,staff,admin\n")
    )
    login(org["hr"])
    refused = confirm(client, url)
    assert refused.status_code == 409
    assert "only an administrator may apply it" in text_of(refused)
    assert people()["pay1@example.org"].roles == ""
    assert audit_log("people.import") == []
    db.session.rollback()
    assert db.session.query(PeopleImport).one().applied_at is None


def test_only_an_administrator_reactivates_an_administrator(client, org, login, admin):
    admin.active = False
    db.session.commit()
    login(org["hr"])
    row = HEADER + "root@example.org,Root,IT,staff,admin\n"
    again = "people.csv:2: Only an administrator may reactivate an administrator."
    assert again in text_of(upload(client, row))
    assert not people()["root@example.org"].active


def test_hr_cannot_reactivate_an_administrator_on_their_page(client, org, login, admin):
    admin.active = False
    db.session.commit()
    login(org["hr"])
    page = client.get(f"/admin/people/{admin.id}")
    answer = client.post(
        f"/admin/people/{admin.id}/reactivate", data={"csrf_token": csrf_token(page.text)}
    )
    assert answer.status_code == 303
    assert (
        "Only an administrator may reactivate an administrator."
        in client.get(answer.headers["Location"]).text
    )
    assert not people()["root@example.org"].active
    assert audit_log("person.activate") == []
