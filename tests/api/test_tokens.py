"""Bearer tokens: they alone decide who the caller is, and they stop when revoked."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from awareness.extensions import db
from awareness.models import ApiToken, Attempt, utcnow
from awareness.people.accounts import issue_token, revoke_tokens

PHISHING_ANSWERS = {"answers": {"1": [2], "2": [1, 2]}}


@pytest.fixture
def ada(make_person):
    return make_person("ada@example.org")


@pytest.fixture
def bob(make_person):
    return make_person("bob@example.org")


def bearer(person, label: str = "") -> dict[str, str]:
    token = issue_token(db.session, person, label)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def last_used() -> datetime | None:
    db.session.rollback()
    return db.session.scalar(select(ApiToken.last_used_at).order_by(ApiToken.id.desc()))


def test_no_authentication_is_a_401_that_asks_for_a_bearer_token(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json == {"error": "authentication required: a session or a bearer token"}


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "bearer", "Bearer  x y"])
def test_a_bad_bearer_token_is_a_401_even_with_a_valid_session_cookie(client, ada, login, header):
    login(ada)
    assert client.get("/api/v1/me").json["email"] == "ada@example.org"
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer error=invalid_token"
    assert response.json == {"error": "the bearer token is not valid"}


def test_a_revoked_token_is_a_401_even_with_a_valid_session_cookie(client, ada, login):
    headers = bearer(ada)
    login(ada)
    assert revoke_tokens(db.session, ada) == 1
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    submitted = client.post("/api/v1/modules/phishing/attempts", json={}, headers=headers)
    assert submitted.status_code == 401


def test_a_deactivated_owner_s_token_is_a_401_at_once(client, ada, login):
    headers = bearer(ada)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    ada.active = False
    db.session.commit()
    login(ada)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_valid_token_beside_someone_else_s_cookie_acts_as_the_token_s_owner(
    client, ada, bob, login
):
    login(bob)
    headers = bearer(ada)
    assert client.get("/api/v1/me", headers=headers).json["email"] == "ada@example.org"

    submitted = client.post(
        "/api/v1/modules/phishing/attempts", json=PHISHING_ANSWERS, headers=headers
    )
    assert submitted.status_code == 201  # no CSRF token: the bearer token authenticates
    db.session.rollback()
    owners = db.session.scalars(select(Attempt.person_id)).all()
    assert owners == [ada.id]
    assert client.get("/api/v1/me").json["email"] == "bob@example.org"  # the cookie still works


def test_last_used_at_moves_when_the_token_is_used_at_most_once_a_minute(client, ada):
    headers = bearer(ada)
    assert last_used() is None

    before = utcnow()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    first = last_used()
    assert first is not None and first >= before - timedelta(seconds=1)

    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert last_used() == first

    long_ago = first - timedelta(minutes=2)
    db.session.execute(update(ApiToken).values(last_used_at=long_ago))
    db.session.commit()
    assert (
        client.post(
            "/api/v1/modules/phishing/attempts", json=PHISHING_ANSWERS, headers=headers
        ).status_code
        == 201
    )
    assert last_used() >= first


def test_a_refused_token_is_not_marked_used(client, ada):
    headers = bearer(ada)
    revoke_tokens(db.session, ada)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert last_used() is None
