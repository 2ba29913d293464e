"""Settings: which emails a person gets, and a manager's switch for the weekly digest."""

from __future__ import annotations

from awareness.extensions import db
from awareness.models import Person
from tests.helpers import csrf_token


def test_everyone_sees_the_reminders_they_get_and_that_they_stay_on(client, make_person, login):
    login(make_person("ada@example.org"))
    page = client.get("/settings").text
    assert "Emails you receive" in page
    assert "at most once every 7 days. They cannot be turned off" in page
    assert "Password emails" in page
    assert "weekly digest" not in page.lower()
    assert "/settings/digest" not in page


def test_a_manager_turns_the_digest_off_and_on(client, make_person, login):
    boss = make_person("boss@example.org", department="Finance", roles="manager")
    login(boss)
    page = client.get("/settings").text
    assert "A weekly digest of your departments" in page
    assert '<input checked id="digest-wants_digest" name="digest-wants_digest"' in page
    token = csrf_token(page)
    off = client.post("/settings/digest", data={"digest-csrf_token": token})
    assert off.status_code == 302 and off.headers["Location"] == "/settings"
    page = client.get("/settings").text
    assert "You will no longer get the weekly digest." in page
    assert '<input id="digest-wants_digest" name="digest-wants_digest"' in page
    assert db.session.get(Person, boss.id).wants_digest is False
    client.post("/settings/digest", data={"digest-csrf_token": token, "digest-wants_digest": "y"})
    db.session.expire_all()
    assert db.session.get(Person, boss.id).wants_digest is True


def test_the_switch_needs_the_forms_csrf_token(client, make_person, login):
    boss = make_person("boss@example.org", department="Finance", roles="manager")
    login(boss)
    client.get("/settings")
    refused = client.post("/settings/digest", data={})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Person, boss.id).wants_digest is True


def test_only_managers_have_a_digest_to_switch(client, make_person, login):
    login(make_person("ada@example.org"))
    token = csrf_token(client.get("/settings").text)
    assert client.post("/settings/digest", data={"digest-csrf_token": token}).status_code == 403
