"""Choosing a password through a link: ``/password/forgot`` and ``/password/reset/<token>``.

Email goes through a real SMTP server in this process (tests/conftest.py ``smtp``).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awareness import create_app
from awareness.extensions import db, limiter
from awareness.models import EmailMessage, LoginSession, PasswordToken, Person, utcnow
from awareness.people import password_links
from tests.conftest import BASE_URL
from tests.helpers import audit_log, csrf_token, open_session

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(re.escape(BASE_URL) + r"/password/reset/([A-Za-z0-9_-]+)")


@pytest.fixture
def app_config(mail_app_config) -> dict:
    return mail_app_config


def ask_for_link(client, email: str, address: str = "127.0.0.1"):
    """Submit the forgot-password form; the email (if any) goes once the answer is closed."""
    where = {"REMOTE_ADDR": address}
    page = client.get("/password/forgot", environ_base=where)
    data = {"email": email, "csrf_token": csrf_token(page.text)}
    with client.post("/password/forgot", data=data, environ_base=where) as response:
        response.get_data()
    db.session.rollback()  # see what the request's after-work committed
    return response


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    token = LINK.search(text).group(1)
    assert f'href="{BASE_URL}/password/reset/{token}"' in html
    return f"/password/reset/{token}"


def choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    page = client.get(path)
    data = {
        "password": password,
        "confirm": confirm or password,
        "csrf_token": csrf_token(page.text),
    }
    return client.post(path, data=data)


def test_the_sign_in_page_offers_a_new_password(client):
    page = client.get("/login").text
    assert 'href="/password/forgot"' in page
    assert "Forgot your password?" in page


def test_a_known_person_is_emailed_a_link_that_sets_the_password_and_signs_them_in(
    app, client, make_person, smtp
):
    ada = make_person("ada@example.org", name="Ada Lovelace")
    elsewhere = app.test_client()
    open_session(elsewhere, ada)  # signed in on another browser with the old password

    answer = ask_for_link(client, "Ada@Example.org")
    assert answer.status_code == 200
    assert "Check your email" in answer.text

    [received] = smtp.received
    assert received.recipients == ["ada@example.org"]
    assert received.mail_from == "awareness@example.org"
    message = received.message
    assert message["Subject"] == "Choose a new password for Awareness"
    assert message["To"] == "Ada Lovelace <ada@example.org>"
    assert "The link works once, within 1 hour." in message.get_body(("plain",)).get_content()
    path = link_in(message)

    form = client.get(path)
    assert form.status_code == 200
    assert "Choose a new password for ada@example.org." in form.text
    done = choose(client, path)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200  # signed in
    assert "Your password has been set." in home.text

    db.session.rollback()
    assert db.session.get(Person, ada.id).check_password(NEW_PASSWORD)
    assert elsewhere.get("/").status_code == 302  # the other session has ended
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1
    [entry] = audit_log("password.reset")
    assert (entry.target, entry.actor, entry.details) == (
        "ada@example.org",
        "ada@example.org",
        {"purpose": "reset"},
    )


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(client, make_person, smtp):
    make_person("ada@example.org")
    known = ask_for_link(client, "ada@example.org")
    unknown = ask_for_link(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("ada@example.org", "X") == unknown.text.replace(
        "nobody@example.org", "X"
    )
    assert [r.recipients for r in smtp.received] == [["ada@example.org"]]
    assert db.session.scalar(select(func.count()).select_from(PasswordToken)) == 1


def test_a_deactivated_person_gets_no_link(client, make_person, smtp):
    ada = make_person("ada@example.org")
    ada.active = False
    db.session.commit()
    assert ask_for_link(client, "ada@example.org").status_code == 200
    assert smtp.received == []


def test_the_link_is_built_from_the_base_url_never_the_requests_host(client, make_person, smtp):
    make_person("ada@example.org")
    page = client.get("/password/forgot", base_url="http://evil.example")
    data = {"email": "ada@example.org", "csrf_token": csrf_token(page.text)}
    with client.post("/password/forgot", data=data, base_url="http://evil.example") as response:
        assert response.status_code == 200
    message = smtp.received[0].message
    assert "evil.example" not in message.as_string()
    link_in(message)


def test_only_a_hash_of_the_token_is_stored(client, make_person, smtp):
    make_person("ada@example.org")
    ask_for_link(client, "ada@example.org")
    token = link_in(smtp.received[0].message).rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordToken))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(db.session.scalars(select(EmailMessage.details)).all())


def test_a_link_works_once(app, client, make_person, smtp):
    make_person("ada@example.org")
    ask_for_link(client, "ada@example.org")
    path = link_in(smtp.received[0].message)
    other_tab = app.test_client()
    form = {"csrf_token": csrf_token(other_tab.get(path).text)}  # opened before the first use
    assert choose(client, path).status_code == 302
    again = app.test_client().get(path)
    assert again.status_code == 200
    assert "This link no longer works" in again.text
    late = other_tab.post(
        path, data={**form, "password": "yet another one", "confirm": "yet another one"}
    )
    assert late.status_code == 200
    assert "This link no longer works" in late.text
    db.session.rollback()
    assert db.session.scalar(select(Person)).check_password(NEW_PASSWORD)


def test_a_link_expires_after_an_hour(client, make_person, smtp):
    make_person("ada@example.org")
    ask_for_link(client, "ada@example.org")
    stored = db.session.scalar(select(PasswordToken))
    assert stored.expires_at - stored.created_at == timedelta(hours=1)
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(link_in(smtp.received[0].message))
    assert page.status_code == 200
    assert "This link no longer works" in page.text


def test_a_link_is_void_once_the_password_changes_another_way(client, make_person, smtp):
    ada = make_person("ada@example.org")
    ask_for_link(client, "ada@example.org")
    ada = db.session.get(Person, ada.id)
    ada.set_password("changed from the command line")
    db.session.commit()
    assert "This link no longer works" in client.get(link_in(smtp.received[0].message)).text


def test_an_unknown_or_mangled_link_says_so(client):
    for token in ("nope", "x" * 5000, "%E2%80%AE", uuid.uuid4().hex):
        page = client.get(f"/password/reset/{token}")
        assert page.status_code == 200, token
        assert "This link no longer works" in page.text
        assert 'href="/password/forgot"' in page.text


def test_the_password_rule_applies_and_the_link_still_works_after_a_refusal(
    client, make_person, smtp
):
    make_person("ada@example.org")
    ask_for_link(client, "ada@example.org")
    path = link_in(smtp.received[0].message)
    short = choose(client, path, "too short")
    assert short.status_code == 200
    assert "the password must be at least 12 characters long" in short.text
    common = choose(client, path, "password1234")
    assert "too common" in common.text
    differ = choose(client, path, NEW_PASSWORD, "something else entirely")
    assert "The two passwords differ." in differ.text
    assert choose(client, path).status_code == 302


def test_two_submissions_racing_with_one_link_set_one_password(app, make_person, monkeypatch):
    ada = make_person("ada@example.org")
    with app.test_request_context():
        token = password_links.issue(db.session, ada, "reset").url.rsplit("/", 1)[1]
    db.session.commit()
    seen = password_links.usable(db.session, token)  # both submissions checked the link...
    assert password_links.use(db.session, token, NEW_PASSWORD) is not None  # ...one used it
    monkeypatch.setattr(password_links, "usable", lambda *args: seen)
    assert password_links.use(db.session, token, "the other passphrase") is None
    db.session.commit()
    assert db.session.get(Person, ada.id).check_password(NEW_PASSWORD)


def test_sending_fails_quietly_for_the_visitor_and_leaves_no_working_link(
    app, client, make_person, smtp, caplog
):
    make_person("ada@example.org")
    smtp.stop()  # the mail server is down
    answer = ask_for_link(client, "ada@example.org")
    assert answer.status_code == 200 and "Check your email" in answer.text
    assert db.session.scalar(select(func.count()).select_from(PasswordToken)) == 0
    record = db.session.scalar(select(EmailMessage))
    assert (record.kind, record.status, record.to_address) == ("reset", "failed", "ada@example.org")
    assert "could not connect to the SMTP server" in record.last_error
    assert "password reset email to ada@example.org failed" in caplog.text


def test_a_signed_in_session_is_not_needed_and_is_replaced(app, client, make_person, smtp):
    bob = make_person("bob@example.org")
    make_person("ada@example.org")
    open_session(client, bob)
    ask_for_link(client, "ada@example.org")
    choose(client, link_in(smtp.received[0].message))
    assert "Ada" in client.get("/settings").text


# -- limits ------------------------------------------------------------------


@pytest.fixture
def limited(app, monkeypatch):
    monkeypatch.setattr(limiter, "_key_prefix", "")
    app.config.update(
        RATELIMIT_ENABLED=True,
        RATELIMIT_KEY_PREFIX=f"awareness-test-{uuid.uuid4().hex}",
        PASSWORD_RESET_LIMIT_ADDRESS="2 per hour",
        PASSWORD_RESET_LIMIT_CLIENT="3 per hour",
    )
    limiter.init_app(app)
    return app


def test_requests_are_limited_per_address_asked_for(limited, client, make_person, smtp):
    make_person("ada@example.org")
    codes = [ask_for_link(client, "ada@example.org", f"192.0.2.{n}").status_code for n in (1, 2, 3)]
    assert codes == [200, 200, 429]
    refused = ask_for_link(client, "ada@example.org", "192.0.2.9")
    assert re.search(
        r"Too many requests for a new password\. Please try again in 6[01] minutes\.", refused.text
    )
    assert 59 * 60 < int(refused.headers["Retry-After"]) <= 3601
    assert 'value="ada@example.org"' in refused.text
    assert len(smtp.received) == 2
    assert ask_for_link(client, "bob@example.org", "192.0.2.9").status_code == 200


def test_requests_are_limited_per_client(limited, client, smtp):
    codes = [ask_for_link(client, f"p{n}@example.org").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert ask_for_link(client, "p9@example.org", "198.51.100.7").status_code == 200


def test_someone_who_never_had_a_password_can_ask_for_one(client, make_person, smtp):
    make_person("new@example.org", password=None)
    ask_for_link(client, "new@example.org")
    assert choose(client, link_in(smtp.received[0].message)).status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(Person)).check_password(NEW_PASSWORD)


def test_the_limits_are_counted_in_redis_for_every_server(app, app_config, monkeypatch):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    monkeypatch.setattr(limiter, "_key_prefix", "")
    prefix = f"awareness-test-{uuid.uuid4().hex}"
    config = {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": prefix,
        "PASSWORD_RESET_LIMIT_ADDRESS": "2 per hour",
    }
    first, second = create_app(config), create_app(config)
    codes = []
    try:
        for server in (first, second, first):
            with server.app_context():
                codes.append(ask_for_link(server.test_client(), "ada@example.org").status_code)
                db.session.remove()
                db.engine.dispose()
        assert codes == [200, 200, 429]
    finally:
        with redis.Redis.from_url(url) as connection:
            keys = list(connection.scan_iter(f"*{prefix}*"))
            assert keys
            connection.delete(*keys)
