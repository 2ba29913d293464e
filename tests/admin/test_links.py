"""Invitations and reset links from a person's page: emailed, or shown once without mail."""

from __future__ import annotations

import re

import pytest

from awareness.extensions import db
from awareness.people.password_links import usable
from tests.conftest import BASE_URL
from tests.helpers import audit_log, csrf_token


@pytest.fixture
def app_config(mail_app_config) -> dict:
    return mail_app_config


@pytest.fixture
def hr(make_person):
    return make_person("hr@example.org", department="Executive", roles="hr")


def press(client, person, *, follow: bool = True):
    """Press the page's link button; the response (after its redirect, when ``follow``)."""
    token = csrf_token(client.get(f"/admin/people/{person.id}").text)
    return client.post(
        f"/admin/people/{person.id}/link", data={"csrf_token": token}, follow_redirects=follow
    )


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"{re.escape(BASE_URL)}/password/reset/\S+", text).group(0)


def test_someone_without_a_password_is_emailed_an_invitation(client, login, hr, make_person, smtp):
    ada = make_person("ada@example.org", password=None)
    login(hr)
    page = client.get(f"/admin/people/{ada.id}").text
    assert "Send an invitation" in page and "No password yet; not invited" in page
    after = press(client, ada)
    assert "An invitation was emailed to ada@example.org." in after.text
    assert "Invited; no password yet" in after.text
    [message] = smtp.messages_to("ada@example.org")
    found = usable(db.session, link_in(message).rsplit("/", 1)[1])
    assert (found.purpose, found.created_by_id) == ("invite", hr.id)
    assert link_in(message) not in after.text  # the link went by email only
    [entry] = audit_log("person.invite")
    assert (entry.actor, entry.target) == ("hr@example.org", "ada@example.org")


def test_someone_with_a_password_is_emailed_a_reset_link(client, login, hr, make_person, smtp):
    bob = make_person("bob@example.org")
    login(hr)
    assert "Send a password reset link" in client.get(f"/admin/people/{bob.id}").text
    assert "A password reset link was emailed" in press(client, bob).text
    [message] = smtp.messages_to("bob@example.org")
    assert usable(db.session, link_in(message).rsplit("/", 1)[1]).purpose == "reset"
    [entry] = audit_log("password.reset_link")
    assert entry.target == "bob@example.org" and "shown" not in entry.details


def test_a_failed_email_is_said_and_leaves_no_link(client, login, hr, make_person, smtp):
    ada = make_person("ada@example.org", password=None)
    login(hr)
    smtp.stop()
    page = press(client, ada).text
    assert "The email to ada@example.org could not be sent" in page
    assert audit_log("person.invite") == []


def test_a_deactivated_person_gets_no_link(client, login, hr, make_person, smtp):
    gone = make_person("gone@example.org", password=None)
    gone.active = False
    db.session.commit()
    login(hr)
    page = client.get(f"/admin/people/{gone.id}").text
    assert "Send an invitation" not in page
    assert "is deactivated: reactivate them first" in press(client, gone).text
    assert smtp.received == []
