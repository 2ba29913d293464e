"""The settings page: the language choice (password changes are in test_login.py)."""

from __future__ import annotations

import flask_babel

from awareness.extensions import db
from tests.helpers import PASSWORD, csrf_token


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


def test_no_language_choice_when_there_is_one_language(client, make_person, login):
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


def test_changing_password_ends_other_sessions(app, client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = person.get_id()
    response = change_password(client, PASSWORD, "a brand new passphrase", follow_redirects=True)
    assert "Your password has been changed." in response.text
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_the_password_form_still_works_beside_the_language_form(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en", "ur"]
    person = make_person("ada@example.org")
    login(person)
    response = change_password(client, PASSWORD, "a brand new passphrase")
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.check_password("a brand new passphrase") and person.language is None
