"""Quiz and reading forms are accepted only as the server issued them, to that person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awareness import create_app
from awareness.extensions import db
from awareness.learn import form_keys
from awareness.learn.form_keys import FormKeyError, issue, read
from awareness.models import Attempt
from tests.helpers import csrf_token, form_key

SECRET = "secret"
DAY = 24 * 3600


def attempt_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt))


# -- the keys themselves -----------------------------------------------------


def refused(token: str, secret: str = SECRET, **expected) -> str:
    names = {"person_id": 7, "module_id": 3, "max_age": DAY, **expected}
    with pytest.raises(FormKeyError) as error:
        read(secret, token, **names)
    return error.value.reason


def test_a_key_names_who_may_submit_which_form():
    token, key = issue(SECRET, 7, 3, 2, "a" * 64)
    assert len(token) <= form_keys.MAX_LENGTH
    assert read(SECRET, token, person_id=7, module_id=3, max_age=DAY) == key
    assert (key.person_id, key.module_id, key.major, key.source_hash) == (7, 3, 2, "a" * 64)
    assert len(key.nonce) == 32 and issue(SECRET, 7, 3, 2, "a" * 64)[1].nonce != key.nonce


def test_forged_altered_and_misdirected_keys_are_refused():
    token, _ = issue(SECRET, 7, 3, 2, "a" * 64)
    head, _, signature = token.rpartition(".")
    # The first character: the last one of base64 also carries padding bits, ignored on decoding.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert refused(f"{head}.{flipped}") == form_keys.FORGED
    assert refused("0123456789abcdef0123456789abcdef") == form_keys.FORGED  # a made-up key
    assert refused(token, secret="another site") == form_keys.FORGED
    assert refused(token + "x" * form_keys.MAX_LENGTH) == form_keys.FORGED
    assert refused("é\x00²") == form_keys.FORGED
    assert refused(token, person_id=8) == form_keys.OTHER_PERSON
    assert refused(token, module_id=4) == form_keys.OTHER_MODULE
    other_salt = form_keys.URLSafeTimedSerializer(SECRET, salt="elsewhere").dumps([7, 3, 2, "", ""])
    assert refused(other_salt) == form_keys.FORGED


def test_a_key_expires_after_its_maximum_age():
    token, key = issue(SECRET, 7, 3, 2, "a" * 64)
    now = form_keys.current_time()
    later = now + timedelta(seconds=DAY + 5)
    assert refused(token, now=later) == form_keys.EXPIRED
    assert read(SECRET, token, person_id=7, module_id=3, max_age=2 * DAY, now=later) == key
    # Another server's clock may be a little behind, but not a day.
    assert read(SECRET, token, person_id=7, module_id=3, max_age=DAY, now=now - timedelta(
        seconds=30)) == key  # fmt: skip
    assert refused(token, now=now - timedelta(days=1)) == form_keys.EXPIRED


# -- on the pages ------------------------------------------------------------


def quiz_form(client) -> dict:
    page = client.get("/modules/phishing/quiz").text
    return {"csrf_token": csrf_token(page), "submission_key": form_key(page)}


def reading_form(client) -> dict:
    page = client.get("/modules/welcome").text
    return {"csrf_token": csrf_token(page), "submission_key": form_key(page), "acknowledge": "y"}


def test_a_made_up_quiz_key_is_refused_and_records_nothing(client, make_person, login):
    login(make_person("ada@example.org"))
    form = quiz_form(client)
    altered = "A" if form["submission_key"][-10] != "A" else "B"
    tampered = form["submission_key"][:-10] + altered + form["submission_key"][-9:]
    for key in ["0123456789abcdef0123456789abcdef", tampered, "x"]:
        response = client.post("/modules/phishing/quiz", data={**form, "submission_key": key})
        assert response.status_code == 400
        assert "This form was not made by this site. Please open the module again." in response.text
    assert attempt_count() == 0


def test_someone_else_s_quiz_form_is_refused(app, client, make_person, login):
    login(make_person("ada@example.org"))
    theirs = quiz_form(client)
    login(make_person("bob@example.org"))
    mine = quiz_form(client)
    response = client.post(
        "/modules/phishing/quiz",
        data={**mine, "submission_key": theirs["submission_key"], "q1": "2"},
    )
    assert response.status_code == 400
    assert "This form was made for someone else." in response.text
    assert attempt_count() == 0


def test_an_expired_quiz_form_is_refused(client, make_person, login, monkeypatch):
    login(make_person("ada@example.org"))
    form = quiz_form(client)
    tomorrow = form_keys.current_time() + timedelta(hours=24, seconds=5)
    monkeypatch.setattr(form_keys, "current_time", lambda: tomorrow)
    response = client.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    assert response.status_code == 400
    assert "This form has expired. Please open the module again." in response.text
    assert attempt_count() == 0


def test_the_maximum_age_is_configurable(client, make_person, login, monkeypatch, app):
    app.config["FORM_KEY_MAX_AGE"] = 48 * 3600
    login(make_person("ada@example.org"))
    form = quiz_form(client)
    tomorrow = form_keys.current_time() + timedelta(hours=24, seconds=5)
    monkeypatch.setattr(form_keys, "current_time", lambda: tomorrow)
    assert client.post("/modules/phishing/quiz", data={**form, "q1": "2"}).status_code == 303
    assert attempt_count() == 1


def test_any_server_accepts_a_form_another_issued(app, app_config, client, make_person, login):
    login(make_person("ada@example.org"))
    form = quiz_form(client)
    db.session.rollback()  # the test's own transaction would hold SQLite's write lock
    other_app = create_app(app_config)
    other_server = other_app.test_client()
    other_server.set_cookie("session", client.get_cookie("session").value)
    response = other_server.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    assert response.status_code == 303
    with other_app.app_context():
        db.engine.dispose()
    assert client.post("/modules/phishing/quiz", data={**form, "q1": "2"}).status_code == 303
    assert attempt_count() == 1  # the same form twice, on two servers: one attempt


def test_a_made_up_or_someone_else_s_reading_form_is_refused(client, make_person, login):
    login(make_person("ada@example.org"))
    theirs = reading_form(client)
    login(make_person("bob@example.org"))
    mine = reading_form(client)
    made_up = client.post("/modules/welcome/quiz", data={**mine, "submission_key": "0" * 32})
    assert made_up.status_code == 400
    assert "This form was not made by this site." in made_up.text
    stolen = client.post(
        "/modules/welcome/quiz", data={**mine, "submission_key": theirs["submission_key"]}
    )
    assert stolen.status_code == 400
    assert "This form was made for someone else." in stolen.text
    assert attempt_count() == 0
    assert client.post("/modules/welcome/quiz", data=mine).status_code == 303
    assert client.post("/modules/welcome/quiz", data=mine).status_code == 303
    assert attempt_count() == 1


def test_a_reading_form_cannot_complete_a_quiz(client, make_person, login):
    login(make_person("ada@example.org"))
    reading = reading_form(client)
    response = client.post("/modules/phishing/quiz", data={**reading, "q1": "2", "q2": ["1", "2"]})
    assert response.status_code == 400
    assert "This form belongs to another module." in response.text
    assert attempt_count() == 0
