"""Live session emails as an SMTP server gets them: confirmation, reminder, change, cancellation.

The organisation is tests/org.py's; its training reminders and digest go out
too when ``reminders send`` runs, so these tests look at the session emails
by subject.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from awareness.extensions import db
from awareness.live import registration
from awareness.models import EmailMessage, Registration
from awareness.models.types import utcnow
from awareness.people.accounts import issue_token
from tests.conftest import BASE_URL
from tests.live.test_pages import post
from tests.reminders.test_send import html_of, send, text_of


@pytest.fixture
def app_config(mail_app_config) -> dict:
    return {**mail_app_config, "TIMEZONE": "Asia/Karachi"}


def about(smtp, address: str, subject: str) -> list:
    return [m for m in smtp.messages_to(address) if subject in str(m["Subject"])]


def calendar_of(message) -> str:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return part.get_content().replace("\r\n ", "")


def register(client, live) -> None:
    """Register through the page; the email goes once the answer is closed."""
    post(client, f"/sessions/{live.id}/register").close()


def statuses(kind: str) -> list[str]:
    db.session.rollback()
    query = select(EmailMessage.status).where(EmailMessage.kind == kind).order_by(EmailMessage.id)
    return list(db.session.scalars(query))


def test_registering_sends_a_confirmation_with_the_calendar_entry(org, plan, client, login, smtp):
    starts = datetime(2031, 3, 4, 4, 0)  # 09:00 in Karachi
    live = plan(starts_in=starts - utcnow(), title="Spot the phish", location="Hall B")
    login(org["pay1"])
    register(client, live)
    [message] = about(smtp, "pay1@example.org", "You are registered")
    assert message["Subject"] == "You are registered: Spot the phish"
    text, html = text_of(message), html_of(message)
    assert "When: Tuesday, March 4, 2031, 9:00\u202fAM to 11:00\u202fAM (Asia/Karachi)" in text
    assert "Where: Hall B" in text
    assert f"The session's page: {BASE_URL}/sessions/{live.id}" in text
    assert f'href="{BASE_URL}/sessions/{live.id}"' in html and "Hall B" in html
    entry = calendar_of(message)
    assert f"UID:live-session-{live.id}@awareness.example.org" in entry
    assert "METHOD:PUBLISH" in entry and "DTSTART:20310304T040000Z" in entry
    post(client, f"/sessions/{live.id}/unregister").close()
    register(client, live)  # a place taken again is not confirmed again
    assert len(about(smtp, "pay1@example.org", "You are registered")) == 1


def test_a_confirmation_is_in_the_registrants_language(org, plan, client, login, smtp):
    org["pay1"].language = "ur"
    db.session.commit()
    live = plan()
    login(org["pay1"])
    register(client, live)
    [message] = about(smtp, "pay1@example.org", "")
    assert message["Content-Language"] == "ur"
    assert 'lang="ur" dir="rtl"' in html_of(message)


def test_the_api_sends_the_confirmation_too(org, plan, client, smtp):
    live = plan()
    token = issue_token(db.session, org["proc"])
    db.session.commit()
    url = f"/api/v1/sessions/{live.id}/registration"
    with client.post(url, headers={"Authorization": f"Bearer {token}"}) as response:
        assert response.status_code == 201
    assert len(about(smtp, "proc@example.org", "You are registered")) == 1


def test_an_smtp_outage_never_loses_a_registration_and_the_next_run_confirms(
    org, plan, client, login, smtp, runner
):
    live = plan()
    login(org["pay1"])
    smtp.stop()
    register(client, live)
    assert db.session.get(Registration, (live.id, org["pay1"].id)) is not None
    assert statuses("session_confirmation") == ["failed"]
    smtp.start()
    result = send(runner)
    assert result.exit_code == 0, result.output
    assert result.stdout == "reminders 6, digests 1, failed 0\n"  # 5 of training, 1 session
    assert len(about(smtp, "pay1@example.org", "You are registered")) == 1
    assert send(runner).stdout == "reminders 0, digests 0, failed 0\n"


def test_a_place_given_back_before_the_confirmation_went_is_not_confirmed(
    org, plan, client, login, smtp, runner
):
    live = plan()
    login(org["pay1"])
    smtp.stop()
    register(client, live)
    post(client, f"/sessions/{live.id}/unregister").close()
    smtp.start()
    send(runner)
    assert about(smtp, "pay1@example.org", "You are registered") == []
    assert statuses("session_confirmation") == ["cancelled"]


def test_registrants_are_reminded_the_day_before_once(org, plan, runner, smtp):
    live = plan(starts_in=timedelta(hours=20), title="Tomorrow's roundtable")
    registration.register(db.session, live, org["pay1"], utcnow() - timedelta(days=3))
    db.session.commit()
    dry = send(runner, "--dry-run")
    assert dry.stdout == "reminders 6, digests 1, failed 0\n"
    assert send(runner).stdout == "reminders 6, digests 1, failed 0\n"
    [message] = about(smtp, "pay1@example.org", "Reminder: ")
    assert message["Subject"] == "Reminder: Tomorrow's roundtable"
    assert "coming up soon" in text_of(message)
    assert list(message.iter_attachments()) == []
    assert send(runner).stdout == "reminders 0, digests 0, failed 0\n"


def test_registrants_are_told_of_a_new_time_and_of_a_cancellation(org, plan, client, smtp):
    live = plan(capacity=10, title="Webinar")
    for key in ("pay1", "proc"):
        registration.register(db.session, live, org[key], utcnow())
    token = issue_token(db.session, org["hr"])
    db.session.commit()
    hr = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/sessions/{live.id}"
    with client.patch(url, json={"capacity": 12}, headers=hr) as response:
        assert response.status_code == 200
    assert smtp.received == []  # nothing registrants need to know
    later = (live.starts_at + timedelta(days=1)).isoformat() + "Z"
    until = (live.ends_at + timedelta(days=1)).isoformat() + "Z"
    with client.patch(url, json={"starts_at": later, "ends_at": until}, headers=hr):
        pass
    changed = about(smtp, "pay1@example.org", "Time or place changed")
    assert [m["Subject"] for m in changed] == ["Time or place changed: Webinar"]
    assert "has changed. It is now:" in text_of(changed[0])
    assert "SEQUENCE:2" in calendar_of(changed[0])
    assert len(about(smtp, "proc@example.org", "Time or place changed")) == 1
    with client.patch(url, json={"cancelled": True}, headers=hr):
        pass
    [cancelled] = about(smtp, "proc@example.org", "Cancelled")
    assert cancelled["Subject"] == "Cancelled: Webinar"
    assert "is cancelled" in text_of(cancelled)
    entry = calendar_of(cancelled)
    assert "METHOD:CANCEL" in entry and "STATUS:CANCELLED" in entry
    assert len(about(smtp, "pay1@example.org", "Cancelled")) == 1


def test_hr_cancelling_on_the_page_emails_the_registrants(org, plan, client, login, smtp):
    live = plan(title="Seminar")
    registration.register(db.session, live, org["pay1"], utcnow())
    db.session.commit()
    login(org["hr"])
    response = post(client, f"/sessions/{live.id}/cancel", page=f"/sessions/{live.id}")
    assert response.status_code == 303
    response.close()
    assert [m["Subject"] for m in smtp.messages_to("pay1@example.org")] == ["Cancelled: Seminar"]
