"""``flask reminders send``: reminders and managers' digests, as an SMTP server receives them.

The organisation is tests/dashboard/org.py's. Due now: hr (cyber-risk overdue),
boss (welcome overdue), pay2 (phishing expired, welcome overdue), proc
(phishing overdue) and it (welcome overdue). pay1 has done everything; new
joined five days ago (nothing due for 25 days); gone is deactivated. boss
manages Finance, so gets the one digest.
"""

from __future__ import annotations

import re
from datetime import timedelta

import babel.dates
import pytest
from sqlalchemy import func, select, update

from awareness.extensions import db
from awareness.mail import outbox
from awareness.models import EmailMessage, Person, utcnow
from awareness.models.types import add_days
from tests.conftest import BASE_URL
from tests.helpers import FULL, take
from tests.org import ago

REMINDED = [
    "boss@example.org",
    "hr@example.org",
    "it@example.org",
    "pay2@example.org",
    "proc@example.org",
]


@pytest.fixture
def app_config(mail_app_config) -> dict:
    return mail_app_config


def send(runner, *options):
    result = runner.invoke(args=["reminders", "send", *options])
    db.session.rollback()  # see what the command committed
    return result


def recipients(smtp, subject_part: str = "") -> list[str]:
    return sorted(
        r.recipients[0] for r in smtp.received if subject_part in str(r.message["Subject"])
    )


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def test_people_with_overdue_training_get_a_reminder_and_managers_a_digest(runner, org, smtp):
    result = send(runner)
    assert result.exit_code == 0, result.output
    assert result.stdout == "reminders 5, digests 1, failed 0\n"
    digests = [r for r in smtp.received if "Weekly training summary" in r.message["Subject"]]
    assert [d.recipients for d in digests] == [["boss@example.org"]]
    reminded = sorted(r.recipients[0] for r in smtp.received if r not in digests)
    assert reminded == REMINDED


def test_a_reminder_lists_the_modules_with_due_dates_and_links(runner, org, smtp):
    send(runner)
    [message] = [m for m in smtp.messages_to("pay2@example.org")]
    assert message["Subject"] == "2 training modules are overdue"
    assert message["From"] == "Awareness <awareness@example.org>"
    text, html = text_of(message), html_of(message)
    expired = (utcnow() - timedelta(days=15)).date()
    assert f"Recognising phishing: expired on {expired:%B} {expired.day}, {expired.year}" in text
    assert "How this training works: overdue since" in text
    assert f"{BASE_URL}/modules/phishing" in text and f'href="{BASE_URL}/modules/phishing"' in html
    assert f'href="{BASE_URL}/modules/welcome"' in html
    assert f"All your training: {BASE_URL}/" in text
    assert "Cyber risk for leaders" not in text  # not pay2's
    assert "cannot be turned off" in text


def test_training_due_within_a_week_is_listed_and_later_training_is_not(
    runner, org, smtp, make_person
):
    today = utcnow().date()
    make_person("soon@example.org", activated_on=today - timedelta(days=25))  # due in 5 days
    make_person("later@example.org", activated_on=today - timedelta(days=20))  # due in 10
    send(runner)
    assert smtp.messages_to("later@example.org") == []
    [message] = smtp.messages_to("soon@example.org")
    assert message["Subject"] == "2 training modules are due soon"
    due = today + timedelta(days=5)
    assert f"Recognising phishing: due on {due:%B} {due.day}, {due.year}" in text_of(message)


def test_someone_without_a_password_is_told_how_to_get_one(runner, org, smtp, make_person):
    make_person(
        "nopass@example.org", password=None, activated_on=utcnow().date() - timedelta(days=90)
    )
    send(runner)
    [message] = smtp.messages_to("nopass@example.org")
    assert f"Ask for a link to choose one: {BASE_URL}/password/forgot" in text_of(message)
    assert "You have not chosen a password yet" not in text_of(
        smtp.messages_to("it@example.org")[0]
    )


def test_a_reminder_is_in_the_persons_language(runner, org, smtp):
    """No Urdu catalogue exists yet: the header, the dates and the translated module say Urdu."""
    pay2 = db.session.get(Person, org["pay2"].id)
    pay2.language = "ur"
    db.session.commit()
    send(runner)
    [message] = smtp.messages_to("pay2@example.org")
    assert message["Content-Language"] == "ur"
    assert "فشنگ کی پہچان" in text_of(message)  # the module's Urdu title
    expired = (utcnow() - timedelta(days=15)).date()
    assert babel.dates.format_date(expired, "long", locale="ur") in text_of(message)
    assert '<html lang="ur" dir="rtl">' in html_of(message)
    [other] = smtp.messages_to("proc@example.org")
    assert other["Content-Language"] == "en"


def test_a_digest_shows_the_managers_departments_and_nobody_else(runner, org, smtp):
    send(runner)
    message = next(m for m in smtp.messages_to("boss@example.org") if "Weekly" in m["Subject"])
    assert message["Subject"] == "Weekly training summary: Finance"
    text, html = text_of(message), html_of(message)
    for department in ("Finance", "Finance/Payroll", "Finance/Procurement"):
        assert f"* {department}: " in text
        assert f">{department}</td>" in html
    overdue = re.findall(r"^\* (.+) \((.+)\): (\d+) modules?$", text, re.MULTILINE)
    assert sorted(overdue) == [
        ("Boss", "Finance", "1"),
        ("Pay2", "Finance/Payroll", "2"),
        ("Proc", "Finance/Procurement", "1"),
    ]
    for outsider in ("Hr", "It", "IT", "Executive", "Pay1", "Gone"):
        assert outsider not in re.sub(r"https?://\S+", "", text)
    assert f"{BASE_URL}/dashboard/" in text
    assert f"turn it off in your settings: {BASE_URL}/settings" in text


def test_a_manager_who_turned_the_digest_off_gets_none(runner, org, smtp):
    boss = db.session.get(Person, org["boss"].id)
    boss.wants_digest = False
    db.session.commit()
    assert send(runner).stdout == "reminders 5, digests 0, failed 0\n"
    assert all("Weekly" not in m["Subject"] for m in smtp.messages_to("boss@example.org"))


def test_a_second_run_sends_nothing(runner, org, smtp):
    send(runner)
    first = len(smtp.received)
    again = send(runner)
    assert again.exit_code == 0
    assert again.stdout == "reminders 0, digests 0, failed 0\n"
    assert len(smtp.received) == first


def test_reminders_come_again_after_the_configured_days_and_digests_after_a_week(
    app, runner, org, smtp
):
    app.config["REMINDER_DAYS"] = 3
    send(runner)

    def days_pass(days: int) -> None:
        db.session.execute(
            update(EmailMessage).values(sent_at=add_days(EmailMessage.sent_at, -days))
        )
        db.session.commit()

    days_pass(2)
    assert send(runner).stdout == "reminders 0, digests 0, failed 0\n"
    days_pass(1)  # three days: reminders, not yet the digest
    assert send(runner).stdout == "reminders 5, digests 0, failed 0\n"
    days_pass(7)
    assert send(runner).stdout == "reminders 5, digests 1, failed 0\n"
    evidence = db.session.scalars(
        select(EmailMessage.status).where(EmailMessage.to_address == "pay2@example.org")
    ).all()
    assert evidence == ["sent", "sent", "sent"]  # every reminder is kept


def test_an_smtp_outage_fails_cleanly_and_the_next_run_sends_each_message_once(runner, org, smtp):
    smtp.stop()
    down = send(runner)
    assert down.exit_code == 1
    assert down.stdout == "reminders 0, digests 0, failed 6\n"
    assert "could not connect to the SMTP server" in down.stderr
    assert db.session.scalars(select(EmailMessage.status).distinct()).all() == ["failed"]

    smtp.start()
    up = send(runner)
    assert up.exit_code == 0, up.output
    assert up.stdout == "reminders 5, digests 1, failed 0\n"
    assert send(runner).stdout == "reminders 0, digests 0, failed 0\n"
    assert len(smtp.received) == 6
    assert len({r.message["Message-ID"] for r in smtp.received}) == 6
    assert db.session.scalar(select(func.count()).select_from(EmailMessage)) == 6
    assert db.session.scalar(select(func.max(EmailMessage.attempts))) == 2


def test_a_message_left_half_sent_by_a_stopped_run_is_sent_by_the_next(runner, org, smtp):
    send(runner)
    db.session.execute(  # as if a run claimed the pay2 reminder an hour ago, then died
        update(EmailMessage)
        .where(EmailMessage.to_address == "pay2@example.org")
        .values(status="sending", sent_at=None, attempted_at=utcnow() - timedelta(hours=2))
    )
    db.session.commit()
    result = send(runner)
    assert result.stdout == "reminders 1, digests 0, failed 0\n"
    assert "1 message(s) left unfinished by a run that stopped will be sent again" in result.stderr
    assert len(smtp.messages_to("pay2@example.org")) == 2  # the worst case: it may come twice


def test_a_retry_lists_what_is_still_due_and_is_cancelled_when_nothing_is(runner, org, smtp):
    smtp.stop()
    send(runner)
    take(db.session.get(Person, org["proc"].id), "phishing", FULL, ago(0))  # proc catches up
    smtp.start()
    assert send(runner).stdout == "reminders 4, digests 1, failed 0\n"
    assert smtp.messages_to("proc@example.org") == []
    cancelled = db.session.scalar(
        select(EmailMessage).where(EmailMessage.to_address == "proc@example.org")
    )
    assert cancelled.status == "cancelled"
    digest = next(m for m in smtp.messages_to("boss@example.org") if "Weekly" in m["Subject"])
    assert "Proc (" not in text_of(digest)  # the digest is written afresh too


def test_a_message_that_keeps_failing_is_given_up_after_five_tries(runner, org, smtp):
    smtp.stop()
    for _ in range(outbox.MAX_ATTEMPTS):
        assert send(runner).exit_code == 1
    assert send(runner).stdout == "reminders 0, digests 0, failed 0\n"  # given up
    assert set(db.session.scalars(select(EmailMessage.attempts))) == {outbox.MAX_ATTEMPTS}


def test_dry_run_counts_and_sends_nothing(runner, org, smtp):
    result = send(runner, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == "reminders 5, digests 1, failed 0\n"
    assert "Dry run: nothing was sent." in result.stderr
    assert smtp.received == []
    assert db.session.scalar(select(func.count()).select_from(EmailMessage)) == 0


def test_without_a_base_url_nothing_is_sent_and_the_message_says_what_to_set(
    app, runner, org, smtp
):
    app.config["BASE_URL"] = None
    result = send(runner)
    assert result.exit_code == 1
    assert "AWARENESS_BASE_URL is not set" in result.output
    assert smtp.received == []


def test_the_record_keeps_who_was_reminded_of_what_and_when(runner, org, smtp):
    send(runner)
    record = db.session.scalar(
        select(EmailMessage).where(
            EmailMessage.to_address == "proc@example.org", EmailMessage.kind == "reminder"
        )
    )
    assert record.status == "sent" and record.sent_at is not None
    assert record.subject == "1 training module is overdue"
    assert [(m["slug"], m["status"]) for m in record.details["modules"]] == [
        ("phishing", "overdue")
    ]


def test_without_an_smtp_host_the_messages_are_written_to_the_outbox(app, runner, org, tmp_path):
    app.config.update(SMTP_HOST=None, OUTBOX_DIR=str(tmp_path / "outbox"))
    assert send(runner).stdout == "reminders 5, digests 1, failed 0\n"
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 6
