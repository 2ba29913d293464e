"""``/admin/people/import`` with "invite the people it creates": one email each, once."""

from __future__ import annotations

import pytest

from tests.admin.test_import import HEADER, confirm, confirm_url, text_of, upload
from tests.helpers import audit_log


@pytest.fixture
def app_config(mail_app_config) -> dict:
    return mail_app_config


def test_the_people_it_creates_are_invited(client, org, login, smtp):
    login(org["hr"])
    text = (
        HEADER
        + "ada@example.org,Ada,Ops,staff,\n"
        + "pay1@example.org,Pay1,Finance/Payroll,staff,\n"
    )
    page = upload(client, text, invite=True)
    assert "The people it creates are invited." in text_of(page)
    assert smtp.received == []
    done = confirm(client, confirm_url(page))
    assert done.status_code == 303
    assert "Invitations sent: 1." in text_of(client.get(done.headers["Location"]))
    [message] = smtp.messages_to("ada@example.org")
    assert "/password/reset/" in message.get_body(("plain",)).get_content()
    assert len(smtp.received) == 1  # not the person it updated
    assert [(e.target, e.actor) for e in audit_log("person.invite")] == [
        ("ada@example.org", "hr@example.org")
    ]


def test_without_the_option_nobody_is_invited(client, org, login, smtp):
    login(org["hr"])
    page = upload(client, HEADER + "ada@example.org,Ada,Ops,staff,\n")
    assert confirm(client, confirm_url(page)).status_code == 303
    assert smtp.received == []


def test_inviting_needs_the_site_address(app, client, org, login):
    app.config["BASE_URL"] = None
    login(org["hr"])
    page = upload(client, HEADER + "ada@example.org,Ada,Ops,staff,\n", invite=True)
    assert page.status_code == 400
    assert "Invitations cannot be sent: AWARENESS_BASE_URL is not set" in text_of(page)
