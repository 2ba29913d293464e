"""Without mail (no ``AWARENESS_SMTP_HOST``), the link is shown once to HR instead of emailed."""

from __future__ import annotations

import re

import pytest

from awareness.extensions import db
from awareness.people.password_links import usable
from tests.conftest import BASE_URL
from tests.helpers import audit_log, csrf_token


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app_config(app_config, outbox) -> dict:
    return {**app_config, "BASE_URL": BASE_URL, "OUTBOX_DIR": str(outbox)}


def press(client, person):
    token = csrf_token(client.get(f"/admin/people/{person.id}").text)
    return client.post(f"/admin/people/{person.id}/link", data={"csrf_token": token})


def shown_link(html: str) -> str | None:
    match = re.search(r'id="shown-link" class="admin-link" value="([^"]+)"', html)
    return match.group(1) if match else None


def test_the_invitation_is_shown_once_and_no_email_is_written(client, login, make_person, outbox):
    hr = make_person("hr@example.org", roles="hr")
    ada = make_person("ada@example.org", password=None)
    login(hr)
    answer = press(client, ada)
    assert answer.status_code == 200
    assert "Invitation link for Ada" in answer.text and "shown only this once" in answer.text
    link = shown_link(answer.text)
    assert link.startswith(f"{BASE_URL}/password/reset/")
    found = usable(db.session, link.rsplit("/", 1)[1])
    assert (found.purpose, found.created_by_id) == ("invite", hr.id)
    assert not outbox.exists() or not any(outbox.iterdir())  # no .eml copy of the link
    assert shown_link(client.get(f"/admin/people/{ada.id}").text) is None  # never again
    [entry] = audit_log("person.invite")
    assert (entry.actor, entry.target, entry.details["shown"]) == (
        "hr@example.org",
        "ada@example.org",
        True,
    )


def test_a_reset_link_is_shown_for_someone_with_a_password(client, login, make_person):
    login(make_person("admin@example.org", roles="admin"))
    bob = make_person("bob@example.org")
    answer = press(client, bob)
    assert "Password reset link for Bob" in answer.text
    assert usable(db.session, shown_link(answer.text).rsplit("/", 1)[1]).purpose == "reset"
    [entry] = audit_log("password.reset_link")
    assert entry.details["shown"] is True


def test_without_a_base_url_the_page_says_what_to_set(app, client, login, make_person):
    app.config["BASE_URL"] = None
    login(make_person("hr@example.org", roles="hr"))
    ada = make_person("ada@example.org", password=None)
    page = client.get(press(client, ada).headers["Location"]).text
    assert "No link was made: AWARENESS_BASE_URL is not set" in page
    assert audit_log("person.invite") == []


@pytest.mark.parametrize("roles", ["admin", "hr", "hr;manager"])
def test_hr_is_not_shown_a_link_into_hr_or_an_administrators_account(
    client, login, make_person, roles
):
    login(make_person("hr@example.org", roles="hr"))
    colleague = make_person("colleague@example.org", roles=roles)
    page = client.get(press(client, colleague).headers["Location"]).text
    assert "only an administrator may be shown a link" in page
    assert audit_log("password.reset_link") == []


def test_an_administrator_is_shown_a_link_into_an_hr_account(client, login, make_person):
    login(make_person("admin@example.org", roles="admin"))
    colleague = make_person("colleague@example.org", roles="hr")
    answer = press(client, colleague)
    assert answer.status_code == 200 and shown_link(answer.text) is not None
    [entry] = audit_log("password.reset_link")
    assert entry.details["shown"] is True
