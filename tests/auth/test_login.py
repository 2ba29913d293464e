"""Signing in and out: server-side sessions, remember-me, CSRF rotation, ``next=``, headers.

The sign-in rate limits are in test_throttle.py; the plain session rules in test_sessions.py.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import event, func, select, update

from awareness.extensions import db
from awareness.models import LoginSession, utcnow
from awareness.models import org as org_models
from tests.helpers import PASSWORD, csrf_token

REMEMBER_COOKIE = "remember_token"


def sign_in(client, email, password, next_url=None, *, remember=False):
    page = client.get("/login", query_string={"next": next_url} if next_url else None)
    data = {"email": email, "password": password, "csrf_token": csrf_token(page.text)}
    if remember:
        data["remember"] = "y"
    return client.post(page.request.url, data=data)


def sign_out(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client.get("/settings").text)})


def copy_of(app, client, name: str):
    """A new browser holding a copy of ``client``'s cookie ``name``."""
    other = app.test_client()
    other.set_cookie(name, client.get_cookie(name).value)
    return other


def age_sessions(**values) -> None:
    """Change every sign-in session row, as time passing would."""
    db.session.commit()  # end the transaction the last request left open in the tests' session
    db.session.execute(update(LoginSession).values(**values))
    db.session.commit()


def session_rows() -> int:
    db.session.commit()  # a fresh look, past this test's own transaction
    return db.session.scalar(select(func.count()).select_from(LoginSession))


def test_signing_in_leads_to_my_training(client, content, make_person):
    make_person("ada@example.org")
    response = sign_in(client, "Ada@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "My training" in client.get("/").text
    assert session_rows() == 1


def test_the_login_fixture_makes_a_real_session(client, make_person, login):
    login(make_person("ada@example.org"))
    assert client.get("/").status_code == 200
    assert session_rows() == 1


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)],
)
def test_failed_sign_in_says_the_same_thing_whatever_was_wrong(
    client, make_person, monkeypatch, email, password
):
    make_person("ada@example.org")
    checks = []
    real_check = org_models.check_password_hash
    monkeypatch.setattr(
        org_models, "check_password_hash", lambda *a: checks.append(1) or real_check(*a)
    )
    response = sign_in(client, email, password)
    assert response.status_code == 200
    assert "That email and password do not match an active account." in response.text
    assert checks == [1]  # one password hash computed either way: no timing tell
    assert session_rows() == 0


def test_a_failed_sign_in_is_logged_without_the_password(client, make_person, caplog):
    make_person("ada@example.org")
    with caplog.at_level(logging.INFO, logger="awareness.auth.throttle"):
        sign_in(client, "ada@example.org", "my secret guess")
    assert "sign-in failed for 'ada@example.org' from 127.0.0.1" in caplog.text
    assert "my secret guess" not in caplog.text


def test_deactivated_people_cannot_sign_in(client, make_person):
    person = make_person("ada@example.org")
    person.active = False
    db.session.commit()
    response = sign_in(client, "ada@example.org", PASSWORD)
    assert "do not match an active account" in response.text


def test_a_deactivated_person_s_open_session_is_refused(client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    person.active = False
    db.session.commit()
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_sign_in_without_csrf_token_is_refused(client, make_person):
    make_person("ada@example.org")
    response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert "The form had expired." in response.text
    assert client.get("/").status_code == 302


def test_the_csrf_token_changes_at_sign_in(client, make_person):
    make_person("ada@example.org")
    before = csrf_token(client.get("/login").text)
    client.post(
        "/login", data={"email": "ada@example.org", "password": PASSWORD, "csrf_token": before}
    )
    assert client.get("/").status_code == 200
    refused = client.post("/logout", data={"csrf_token": before})
    assert refused.status_code == 400
    page = client.get("/")
    assert page.status_code == 200  # still signed in
    after = csrf_token(page.text)
    assert after != before
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_next_is_honoured_for_paths_on_this_site(client, content, make_person):
    make_person("ada@example.org")
    response = sign_in(client, "ada@example.org", PASSWORD, next_url="/modules/phishing?tab=1")
    assert response.headers["Location"] == "/modules/phishing?tab=1"


HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\r\nX-Injected: 1",
    "/\nX:1",
    "/\x00",
    "/a\x7fb",
    "/ /evil.example",
    "/\u2028x",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_pointing_elsewhere_or_oddly_is_ignored(client, make_person, target):
    make_person("ada@example.org")
    response = sign_in(client, "ada@example.org", PASSWORD, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "X-Injected" not in response.headers


def test_a_header_split_in_next_is_ignored_at_sign_in(client, make_person):
    make_person("ada@example.org")
    page = client.get("/login?next=/%0d%0aX:1")
    assert page.status_code == 200
    data = {"email": "ada@example.org", "password": PASSWORD, "csrf_token": csrf_token(page.text)}
    response = client.post("/login?next=/%0d%0aX:1", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "X" not in response.headers


@pytest.mark.parametrize(
    "query", ["next=/%0d%0aX:1", "next=/%09/evil", "next=%2F%5Cevil", "next=%ff"]
)
def test_odd_next_when_already_signed_in_is_not_an_error(client, make_person, login, query):
    login(make_person("ada@example.org"))
    response = client.get(f"/login?{query}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_pages_send_anonymous_people_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_needs_post_and_ends_the_session(client, make_person, login):
    login(make_person("ada@example.org"))
    assert client.get("/logout").status_code == 405
    response = sign_out(client)
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert session_rows() == 0


def test_a_copied_session_cookie_stops_working_at_sign_out(app, client, make_person):
    make_person("ada@example.org")
    sign_in(client, "ada@example.org", PASSWORD)
    thief = copy_of(app, client, "session")
    assert thief.get("/").status_code == 200
    sign_out(client)
    assert thief.get("/").status_code == 302
    assert thief.get("/api/v1/me").status_code == 401


def test_a_copied_remember_me_cookie_stops_working_at_sign_out(app, client, make_person):
    make_person("ada@example.org")
    sign_in(client, "ada@example.org", PASSWORD, remember=True)
    stolen = client.get_cookie(REMEMBER_COOKIE).value
    assert holding_remember_cookie(app, stolen).get("/").status_code == 200
    sign_out(client)
    assert holding_remember_cookie(app, stolen).get("/").status_code == 302


def holding_remember_cookie(app, value: str):
    """A browser restarted with only a remember-me cookie (its session cookie is gone)."""
    browser = app.test_client()
    browser.set_cookie(REMEMBER_COOKIE, value)
    return browser


def test_remember_me_outlives_the_browser_session_but_not_idle_rules_for_others(
    app, client, make_person
):
    make_person("ada@example.org")
    sign_in(client, "ada@example.org", PASSWORD, remember=True)
    browser_restarted = holding_remember_cookie(app, client.get_cookie(REMEMBER_COOKIE).value)
    age_sessions(last_seen_at=utcnow() - timedelta(days=3))
    assert browser_restarted.get("/").status_code == 200
    age_sessions(expires_at=utcnow() - timedelta(seconds=1))
    again = holding_remember_cookie(app, client.get_cookie(REMEMBER_COOKIE).value)
    assert again.get("/").status_code == 302


def test_without_remember_me_there_is_no_remember_cookie(client, make_person):
    make_person("ada@example.org")
    response = sign_in(client, "ada@example.org", PASSWORD)
    assert REMEMBER_COOKIE not in response.headers.get("Set-Cookie", "")
    assert client.get_cookie(REMEMBER_COOKIE) is None


def set_cookie_header(response, name: str) -> str:
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    return header


def test_the_remember_me_cookie_is_short_lax_and_http_only(client, make_person):
    make_person("ada@example.org")
    response = sign_in(client, "ada@example.org", PASSWORD, remember=True)
    header = set_cookie_header(response, REMEMBER_COOKIE)
    expires = parsedate_to_datetime(header.partition("Expires=")[2].partition(";")[0])
    assert abs(expires - datetime.now(UTC) - timedelta(days=14)) < timedelta(minutes=1)
    assert "SameSite=Lax" in header
    assert "HttpOnly" in header
    assert "Secure" not in header
    assert "Secure" not in set_cookie_header(response, "session")


def test_cookies_are_secure_when_configured(app, client, make_person):
    app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    make_person("ada@example.org")
    response = sign_in(client, "ada@example.org", PASSWORD, remember=True)
    for name in (REMEMBER_COOKIE, "session", "awareness_device"):
        assert "; Secure" in set_cookie_header(response, name)


def test_an_idle_session_ends(client, make_person, login):
    login(make_person("ada@example.org"))
    age_sessions(last_seen_at=utcnow() - timedelta(minutes=119))
    assert client.get("/").status_code == 200
    db.session.commit()
    seen = db.session.scalar(select(LoginSession.last_seen_at))
    assert utcnow() - seen < timedelta(minutes=1)  # the request moved it on
    age_sessions(last_seen_at=utcnow() - timedelta(minutes=121))
    assert client.get("/").status_code == 302


def test_the_idle_limit_comes_from_the_configuration(app, client, make_person, login):
    app.config["SESSION_IDLE_MINUTES"] = 5
    login(make_person("ada@example.org"))
    age_sessions(last_seen_at=utcnow() - timedelta(minutes=6))
    assert client.get("/").status_code == 302


def test_a_recent_session_is_not_written_to_on_every_request(client, make_person, login):
    login(make_person("ada@example.org"))
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE LOGIN_SESSION")]


def test_signed_in_pages_and_api_answers_are_not_stored(client, make_person, login):
    assert client.get("/api/v1/me").headers["Cache-Control"] == "no-store"  # a 401 too
    login(make_person("ada@example.org"))
    for url in ("/", "/settings", "/api/v1/me", "/dashboard/"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_static_files_are_served_without_a_session_lookup(client, make_person, login):
    login(make_person("ada@example.org"))
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with client.get("/static/css/awareness.css") as response:
            assert response.status_code == 200
            assert response.headers.get("Cache-Control") != "no-store"
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert statements == []
