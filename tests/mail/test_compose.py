"""Messages in the recipient's language, with a text and an HTML part and links to the site."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from flask_babel import gettext as _

from awareness import create_app
from awareness.mail import links
from awareness.mail.compose import Recipient, compose, language_of
from awareness.mail.settings import MailConfigError
from tests.conftest import BASE_URL


@pytest.fixture
def app_config(app_config) -> dict:
    return {**app_config, "BASE_URL": BASE_URL + "/training/", "LANGUAGES": ["en", "ur"]}


def invitation(recipient: Recipient, key: str = "1"):
    from datetime import datetime, timedelta

    return compose(
        "invite",
        recipient,
        lambda: _("You are invited to security awareness training"),
        key=key,
        url=links.link("auth.reset_password", token="abc"),
        expires_at=datetime(2026, 12, 15, 9, 30),
        valid_for=timedelta(days=14),
    )


def parts(message) -> tuple[str, str]:
    """The text and HTML parts, as a mail client reads them from the message's bytes."""
    received = message_from_bytes(message.as_bytes(), policy=policy.default)
    return (
        received.get_body(("plain",)).get_content(),
        received.get_body(("html",)).get_content(),
    )


def test_links_start_with_the_base_url_path_and_all(app):
    assert links.link("learn.module", slug="phishing") == (
        "https://awareness.example.org/training/modules/phishing"
    )


def test_a_message_has_a_text_and_an_html_part_with_the_same_link(app):
    message = invitation(Recipient("ada@example.org", "Ada Lovelace", "en"))
    text, html = parts(message)
    url = "https://awareness.example.org/training/password/reset/abc"
    assert url in text and f'href="{url}"' in html
    assert "Hello Ada Lovelace," in text
    assert "December 15, 2026" in text  # the day the invitation ends, as English writes it
    assert message["To"] == "Ada Lovelace <ada@example.org>"
    assert message["Content-Language"] == "en"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "<img" not in html and "<style" not in html and "<script" not in html


def test_a_message_is_in_the_recipients_language(app):
    """There is no Urdu catalogue yet: the dates and the headers say the language is Urdu."""
    message = invitation(Recipient("ada@example.org", "Ada", language_of("ur")))
    text, html = parts(message)
    assert message["Content-Language"] == "ur"
    assert "دسمبر" in text  # December, as Urdu writes it
    assert '<html lang="ur" dir="rtl">' in html


def test_a_language_the_site_does_not_offer_falls_back_to_the_default(app):
    assert language_of("fr") == "en"
    assert language_of(None) == "en"


def test_names_are_escaped_in_html_and_plain_in_text(app):
    message = invitation(Recipient("ada@example.org", "<b>Ada</b> & co", "en"))
    text, html = parts(message)
    assert "Hello <b>Ada</b> & co," in text
    assert "&lt;b&gt;Ada&lt;/b&gt; &amp; co" in html
    assert "<b>Ada</b>" not in html


def test_the_message_id_is_fixed_by_the_record_and_differs_between_records(app):
    ada = Recipient("ada@example.org", "Ada", "en")
    assert invitation(ada, "7")["Message-ID"] == invitation(ada, "7")["Message-ID"]
    assert invitation(ada, "7")["Message-ID"] != invitation(ada, "8")["Message-ID"]


def test_without_a_base_url_a_message_that_needs_a_link_fails_saying_what_to_set(app):
    app.config["BASE_URL"] = None
    with pytest.raises(MailConfigError, match="AWARENESS_BASE_URL is not set"):
        links.link("learn.index")


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ({"SMTP_SECURITY": "tls"}, "AWARENESS_SMTP_SECURITY must be one of starttls, ssl, none"),
        ({"SMTP_PORT": "smtp"}, "AWARENESS_SMTP_PORT must be a whole number"),
        ({"SMTP_PORT": "70000"}, "AWARENESS_SMTP_PORT must be 1 to 65535"),
        ({"REMINDER_DAYS": "0"}, "AWARENESS_REMINDER_DAYS must be 1 or more"),
        ({"BASE_URL": "awareness.example.org"}, "AWARENESS_BASE_URL must be the address"),
        ({"BASE_URL": "https://x.example/?a=1"}, "AWARENESS_BASE_URL must be the address"),
        ({"SMTP_HOST": "smtp.example.org"}, "AWARENESS_SMTP_HOST is set but AWARENESS_BASE_URL"),
        ({"MAIL_FROM": "nobody"}, "AWARENESS_MAIL_FROM must be an email address"),
    ],
)
def test_bad_mail_settings_stop_the_start_with_a_clear_message(setting, problem):
    with pytest.raises(RuntimeError, match=problem):
        create_app({"SECRET_KEY": "x", **setting})


def test_the_environment_sets_mail_and_the_port_follows_the_security(monkeypatch):
    monkeypatch.setenv("AWARENESS_BASE_URL", "https://awareness.example.org/")
    monkeypatch.setenv("AWARENESS_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("AWARENESS_SMTP_SECURITY", "SSL")
    monkeypatch.setenv("AWARENESS_REMINDER_DAYS", "3")
    config = create_app({"SECRET_KEY": "x"}).config
    assert config["BASE_URL"] == "https://awareness.example.org"
    assert (config["SMTP_HOST"], config["SMTP_SECURITY"], config["SMTP_PORT"]) == (
        "smtp.example.org",
        "ssl",
        465,
    )
    assert config["REMINDER_DAYS"] == 3
    monkeypatch.setenv("AWARENESS_SMTP_SECURITY", "starttls")
    assert create_app({"SECRET_KEY": "x"}).config["SMTP_PORT"] == 587
    monkeypatch.setenv("AWARENESS_SMTP_PORT", "2525")
    assert create_app({"SECRET_KEY": "x"}).config["SMTP_PORT"] == 2525
