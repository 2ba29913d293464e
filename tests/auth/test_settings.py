"""The settings page: the language choice, the password and where one is signed in."""

from __future__ import annotations

import flask_babel
from sqlalchemy import func, select

from awareness.extensions import db
from awareness.models import LoginSession
from tests.helpers import PASSWORD, audit_log, csrf_token, open_session


def choose(client, language: str):
    page = client.get("/settings")
    return client.post(
        "/settings",
        data={
            "csrf_token": csrf_token(page.text),
            "language-language": language,
            "language-submit": "Save language",
        },
    )


def test_no_language_choice_when_there_is_one_language(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en"]
    login(make_person("ada@example.org"))
    page = client.get("/settings").text
    assert 'name="language-language"' not in page
    assert "Change your password" in page


def test_language_choice_lists_only_configured_languages(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en", "ur"]
    login(make_person("ada@example.org"))
    page = client.get("/settings").text
    assert '<option selected value="">' in page  # the browser's language, for now
    assert '<option value="en">English</option>' in page
    assert '<option value="ur">اردو</option>' in page
    assert page.count("<option") == 3


def test_chosen_language_is_stored_and_browser_default_is_none(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en", "ur"]
    person = make_person("ada@example.org")
    login(person)
    response = choose(client, "ur")
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.language == "ur"
    flask_babel.refresh()  # the tests keep one app context, where Flask-Babel caches the locale
    page = client.get("/settings").text
    assert '<html lang="ur" dir="rtl">' in page
    assert '<option selected value="ur">' in page
    assert choose(client, "").status_code == 302
    db.session.refresh(person)
    assert person.language is None


def test_a_language_that_is_not_offered_is_refused(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en", "ur"]
    person = make_person("ada@example.org")
    login(person)
    response = choose(client, "fr")
    assert response.status_code == 200
    assert "Not a valid choice" in response.text
    db.session.refresh(person)
    assert person.language is None


def change_password(client, current: str, new: str, **options):
    page = client.get("/settings")
    data = {
        "csrf_token": csrf_token(page.text),
        "current_password": current,
        "new_password": new,
        "confirm": new,
    }
    return client.post("/settings", data=data, **options)


def test_changing_password_needs_the_current_one(client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    response = change_password(client, "not my password", "a brand new passphrase")
    assert "That is not your current password." in response.text
    db.session.refresh(person)
    assert person.check_password(PASSWORD)


def test_changing_password_rejects_short_ones(client, make_person, login):
    login(make_person("ada@example.org"))
    response = change_password(client, PASSWORD, "short")
    assert "at least 12 characters" in response.text


def test_changing_password_rejects_common_ones_whatever_their_case(client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    response = change_password(client, PASSWORD, "Password1234")
    assert response.status_code == 200
    assert "the password is too common" in response.text
    db.session.refresh(person)
    assert person.check_password(PASSWORD)


def test_changing_password_ends_other_sessions_and_keeps_this_one(app, client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    other = app.test_client()
    open_session(other, person)
    remembered = app.test_client()
    open_session(remembered, person, remember=True)
    assert other.get("/").status_code == 200
    response = change_password(client, PASSWORD, "a brand new passphrase", follow_redirects=True)
    assert "Your password has been changed." in response.text
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert remembered.get("/").status_code == 302
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_a_copied_remember_me_cookie_stops_working_after_a_password_change(
    app, client, make_person, login
):
    person = make_person("ada@example.org")
    laptop = app.test_client()
    page = laptop.get("/login")
    laptop.post(
        "/login",
        data={
            "email": "ada@example.org",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": csrf_token(page.text),
        },
    )
    stolen = laptop.get_cookie("remember_token").value
    thief = app.test_client()
    thief.set_cookie("remember_token", stolen)
    assert thief.get("/").status_code == 200
    login(person)
    change_password(client, PASSWORD, "a brand new passphrase")
    thief = app.test_client()
    thief.set_cookie("remember_token", stolen)
    assert thief.get("/").status_code == 302


def test_a_password_change_is_audited_without_the_password(client, make_person, login):
    login(make_person("ada@example.org"))
    change_password(client, PASSWORD, "a brand new passphrase")
    [event] = audit_log("password.change")
    assert (event.action, event.actor, event.target) == (
        "password.change",
        "ada@example.org",
        "ada@example.org",
    )
    assert event.ip == "127.0.0.1"
    assert "passphrase" not in str(event.details)


def test_a_refused_password_change_is_not_audited(client, make_person, login):
    login(make_person("ada@example.org"))
    change_password(client, "not my password", "a brand new passphrase")
    assert audit_log("password.change") == []


def test_settings_list_where_i_am_signed_in(app, client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    phone = app.test_client()
    page = phone.get("/login", headers={"User-Agent": "PhoneBrowser/1.0"})
    phone.post(
        "/login",
        data={
            "email": "ada@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
        headers={"User-Agent": "PhoneBrowser/1.0"},
        environ_base={"REMOTE_ADDR": "192.0.2.44"},
    )
    open_session(app.test_client(), make_person("bob@example.org"))
    text = client.get("/settings").text
    assert "Where you are signed in" in text
    assert text.count("<dt>Last seen</dt>") == 2  # this browser and the phone, not Bob's
    assert "PhoneBrowser/1.0" in text and "192.0.2.44" in text
    assert "(this browser)" in text
    assert "Sign out everywhere else" in text


def test_signing_out_everywhere_else(app, client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    other = app.test_client()
    open_session(other, person)
    bob = app.test_client()
    open_session(bob, make_person("bob@example.org"))
    assert client.post("/settings/sessions").status_code == 400  # no CSRF token
    assert other.get("/").status_code == 200
    token = csrf_token(client.get("/settings").text)
    response = client.post(
        "/settings/sessions", data={"sessions-csrf_token": token}, follow_redirects=True
    )
    assert "Signed out of 1 other session." in response.text
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert bob.get("/").status_code == 200
    assert "Sign out everywhere else" not in client.get("/settings").text


def test_signing_out_everywhere_else_needs_a_session(client):
    assert client.post("/settings/sessions").status_code in (302, 400)


def test_the_password_form_still_works_beside_the_language_form(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en", "ur"]
    person = make_person("ada@example.org")
    login(person)
    response = change_password(client, PASSWORD, "a brand new passphrase")
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.check_password("a brand new passphrase") and person.language is None
