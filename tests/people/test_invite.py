"""``flask people invite [EMAIL ...] [--all]`` and ``people import --invite``, over real SMTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from awareness.extensions import db
from awareness.models import EmailMessage, PasswordToken, Person, utcnow
from awareness.people import invitations
from awareness.people.password_links import usable
from tests.conftest import BASE_URL
from tests.helpers import audit_log, cli_actor

LINK = re.compile(re.escape(BASE_URL) + r"/password/reset/([A-Za-z0-9_-]+)")


@pytest.fixture
def app_config(mail_app_config) -> dict:
    return mail_app_config


def people(runner, *args):
    return runner.invoke(args=["people", *map(str, args)])


def newcomer(make_person, email: str, **options) -> Person:
    return make_person(email, password=None, **options)


def token_in(message) -> str:
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def test_named_people_are_emailed_a_link_valid_for_14_days(runner, make_person, smtp, client):
    newcomer(make_person, "ada@example.org", name="Ada Lovelace")
    newcomer(make_person, "bob@example.org")
    result = people(runner, "invite", "Ada@example.org", "bob@example.org")
    assert result.exit_code == 0, result.output
    assert result.stdout == "invited 2, skipped 0\n"

    assert sorted(r.recipients[0] for r in smtp.received) == ["ada@example.org", "bob@example.org"]
    [message] = smtp.messages_to("ada@example.org")
    assert message["Subject"] == "You are invited to security awareness training"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    ends = (utcnow() + timedelta(days=14)).date()
    assert f"The link works once, until {ends:%B} {ends.day}, {ends.year}." in text
    token = token_in(message)
    assert f'href="{BASE_URL}/password/reset/{token}"' in html

    stored = usable(db.session, token)
    assert stored.purpose == "invite"
    assert stored.expires_at - stored.created_at == timedelta(days=14)
    page = client.get(f"/password/reset/{token}")
    assert "Welcome, Ada Lovelace. Choose a password" in page.text

    entries = audit_log("person.invite")
    assert [(e.target, e.actor) for e in entries] == [
        ("ada@example.org", cli_actor()),
        ("bob@example.org", cli_actor()),
    ]


def test_people_who_cannot_be_invited_are_skipped_and_say_why(runner, make_person, smtp):
    make_person("has.password@example.org")
    gone = newcomer(make_person, "gone@example.org")
    gone.active = False
    db.session.commit()
    result = people(runner, "invite", "has.password@example.org", "gone@example.org")
    assert result.exit_code == 0
    assert result.stdout == "invited 0, skipped 2\n"
    assert "skipped gone@example.org: deactivated" in result.stderr
    assert "skipped has.password@example.org: already has a password" in result.stderr
    assert smtp.received == []


def test_an_unknown_email_invites_nobody(runner, make_person, smtp):
    newcomer(make_person, "ada@example.org")
    result = people(runner, "invite", "ada@example.org", "nobody@example.org")
    assert result.exit_code == 1
    assert "no person with the email nobody@example.org" in result.stderr
    assert "Nobody was invited." in result.stderr
    assert smtp.received == []


def test_all_invites_whoever_has_no_password_and_was_not_invited_this_week(
    runner, make_person, smtp
):
    make_person("has.password@example.org")
    newcomer(make_person, "ada@example.org")
    newcomer(make_person, "bob@example.org")
    gone = newcomer(make_person, "gone@example.org")
    gone.active = False
    db.session.commit()
    assert people(runner, "invite", "bob@example.org").exit_code == 0

    result = people(runner, "invite", "--all")
    assert result.exit_code == 0, result.output
    assert result.stdout == "invited 1, skipped 0\n"
    assert [r.recipients for r in smtp.received[1:]] == [["ada@example.org"]]
    assert people(runner, "invite", "--all").stdout == "invited 0, skipped 0\n"

    db.session.execute(  # a week later, nobody has chosen a password yet
        update(PasswordToken).values(created_at=PasswordToken.created_at - timedelta(days=7))
    )
    db.session.commit()
    assert people(runner, "invite", "--all").stdout == "invited 2, skipped 0\n"


def test_names_and_all_together_are_refused(runner, make_person):
    result = people(runner, "invite", "--all", "ada@example.org")
    assert result.exit_code == 2
    assert "name the people to invite, or use --all, not both" in result.output
    assert people(runner, "invite").exit_code == 2


def test_an_outage_fails_cleanly_and_the_next_run_invites_them(runner, make_person, smtp):
    newcomer(make_person, "ada@example.org")
    newcomer(make_person, "bob@example.org")
    smtp.stop()
    result = people(runner, "invite", "--all")
    assert result.exit_code == 1
    assert result.stdout == "invited 0, skipped 0\n"
    assert "failed ada@example.org: could not connect to the SMTP server" in result.stderr
    assert "failed bob@example.org: not tried: could not connect" in result.stderr
    assert db.session.scalar(select(func.count()).select_from(PasswordToken)) == 0
    assert audit_log("person.invite") == []
    statuses = db.session.scalars(select(EmailMessage.status)).all()
    assert statuses == ["failed", "failed"]

    smtp.start()
    again = people(runner, "invite", "--all")
    assert again.exit_code == 0
    assert again.stdout == "invited 2, skipped 0\n"
    assert sorted(r.recipients[0] for r in smtp.received) == ["ada@example.org", "bob@example.org"]


def test_import_invite_invites_the_people_it_creates(runner, make_person, smtp, tmp_path):
    make_person("old@example.org", password=None)  # updated, not created: not invited
    csv = tmp_path / "people.csv"
    csv.write_text(
        "email,name,department,layer,roles\n"
        "old@example.org,Old Timer,Finance,staff,\n"
        "new@example.org,New Comer,Finance,staff,\n"
    )
    result = people(runner, "import", csv, "--invite")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "created 1, updated 1, deactivated 0, unchanged 0\ninvited 1, skipped 0\n"
    )
    assert [r.recipients for r in smtp.received] == [["new@example.org"]]


def test_import_dry_run_invites_nobody(runner, make_person, smtp, tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text("email,name,department,layer,roles\nnew@example.org,New,Finance,staff,\n")
    result = people(runner, "import", csv, "--invite", "--dry-run")
    assert result.stdout == "created 1, updated 0, deactivated 0, unchanged 0\n"
    assert smtp.received == []


def test_without_a_base_url_nothing_is_imported_or_sent(app, runner, make_person, smtp, tmp_path):
    app.config["BASE_URL"] = None
    newcomer(make_person, "ada@example.org")
    result = people(runner, "invite", "ada@example.org")
    assert result.exit_code == 1
    assert "AWARENESS_BASE_URL is not set" in result.output
    csv = tmp_path / "people.csv"
    csv.write_text("email,name,department,layer,roles\nnew@example.org,New,Finance,staff,\n")
    assert people(runner, "import", csv, "--invite").exit_code == 1
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1
    assert smtp.received == []


def test_an_invitation_link_for_the_administration_pages(app, make_person):
    """When mail is not set up, HR is shown the link once instead (issue 15)."""
    ada = newcomer(make_person, "ada@example.org")
    hr = make_person("hr@example.org", roles="hr")
    url = invitations.invitation_link(db.session, ada, by=hr)
    db.session.commit()
    assert url.startswith(f"{BASE_URL}/password/reset/")
    stored = usable(db.session, url.rsplit("/", 1)[1])
    assert (stored.purpose, stored.created_by_id) == ("invite", hr.id)
    [entry] = audit_log("person.invite")
    assert (entry.actor, entry.target) == ("hr@example.org", "ada@example.org")
    with pytest.raises(ValueError, match="already has a password"):
        invitations.invitation_link(db.session, hr)
