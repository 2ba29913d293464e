from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from awareness.extensions import db
from awareness.models import ApiToken, Attempt, Module
from awareness.people.accounts import issue_token
from tests.helpers import csrf_token


@pytest.fixture
def ada(make_person):
    return make_person("ada@example.org", department="Finance/Payroll", layer="staff")


@pytest.fixture
def bearer(ada):
    token = issue_token(db.session, ada)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_me_needs_authentication(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "error" in response.json


def test_a_wrong_token_is_refused(client, ada):
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_me_lists_every_assigned_module(client, bearer):
    response = client.get("/api/v1/me", headers=bearer)
    assert response.status_code == 200
    body = response.json
    assert body["email"] == "ada@example.org"
    assert body["department"] == "Finance/Payroll"
    assert body["layer"] == "staff"
    modules = {m["slug"]: m for m in body["modules"]}
    assert set(modules) == {"phishing", "welcome"}
    assert modules["phishing"]["status"] == "not_started"
    assert modules["phishing"]["best_score"] is None
    assert modules["phishing"]["completed_at"] is None
    assert len(modules["phishing"]["due"]) == 10  # YYYY-MM-DD
    assert set(modules["phishing"]) == {
        "slug",
        "title",
        "status",
        "due",
        "best_score",
        "completed_at",
    }


def test_me_works_with_the_session_cookie(client, ada, login):
    login(ada)
    assert client.get("/api/v1/me").json["email"] == "ada@example.org"


def test_posting_answers_scores_them(client, bearer):
    response = client.post(
        "/api/v1/modules/phishing/attempts",
        json={"answers": {"1": [2], "2": [1, 3]}},
        headers=bearer,
    )
    assert response.status_code == 201
    assert response.json == {
        "score": 50,
        "passed": False,
        "passing_score": 80,
        "results": [
            {
                "question": 1,
                "correct": True,
                "explanation": "Opening an unexpected link is how most compromises start.",
            },
            {"question": 2, "correct": False, "explanation": ""},
        ],
    }


def test_an_omitted_question_is_wrong(client, bearer):
    response = client.post(
        "/api/v1/modules/phishing/attempts", json={"answers": {"2": [1, 2]}}, headers=bearer
    )
    assert response.json["score"] == 50


def test_passing_shows_in_me(client, bearer):
    client.post(
        "/api/v1/modules/phishing/attempts",
        json={"answers": {"1": [2], "2": [1, 2]}},
        headers=bearer,
    )
    phishing = next(
        m
        for m in client.get("/api/v1/me", headers=bearer).json["modules"]
        if m["slug"] == "phishing"
    )
    assert phishing["status"] == "completed"
    assert phishing["best_score"] == 100
    assert phishing["completed_at"].endswith("Z")


def test_a_reading_is_acknowledged(client, bearer):
    response = client.post(
        "/api/v1/modules/welcome/attempts", json={"acknowledge": True}, headers=bearer
    )
    assert response.status_code == 201
    assert response.json["score"] == 100 and response.json["passed"] is True
    refused = client.post("/api/v1/modules/welcome/attempts", json={"answers": {}}, headers=bearer)
    assert refused.status_code == 400
    assert "acknowledge" in refused.json["error"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"answers": {"9": [1]}}, "no question 9"),
        ({"answers": {"1": [7]}}, "no option 7"),
        ({"answers": {"1": "2"}}, "list of option numbers"),
        ({"answers": {"one": [1]}}, "not a whole number"),
        ({"answers": {"1": [1, 2]}}, "single option"),
        ({"answers": {"2": [1, 1]}}, "twice"),
        ({"answers": [1, 2]}, "object"),
        ({}, "expected"),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_malformed_answers_get_a_clear_400(client, bearer, body, message):
    response = client.post("/api/v1/modules/phishing/attempts", json=body, headers=bearer)
    assert response.status_code == 400
    assert message in response.json["error"]
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_unknown_and_retired_modules_are_404(client, bearer):
    assert (
        client.post(
            "/api/v1/modules/nope/attempts", json={"answers": {}}, headers=bearer
        ).status_code
        == 404
    )
    module = db.session.scalar(select(Module).where(Module.slug == "phishing"))
    module.retired = True
    db.session.commit()
    response = client.post(
        "/api/v1/modules/phishing/attempts", json={"answers": {}}, headers=bearer
    )
    assert response.status_code == 404


def test_cookie_writes_need_a_csrf_token_and_bearer_writes_do_not(client, ada, login, bearer):
    login(ada)
    body = {"answers": {"1": [2]}}
    refused = client.post("/api/v1/modules/phishing/attempts", json=body)
    assert refused.status_code == 400
    token = csrf_token(client.get("/").text)
    accepted = client.post(
        "/api/v1/modules/phishing/attempts", json=body, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    fresh = client.application.test_client()
    assert (
        fresh.post("/api/v1/modules/phishing/attempts", json=body, headers=bearer).status_code
        == 201
    )


def test_a_revoked_token_stops_working(client, ada, bearer):
    issue_token(db.session, ada)
    db.session.execute(update(ApiToken).values(revoked_at=func.now()))
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_deactivated_people_s_tokens_stop_working(client, ada, bearer):
    ada.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
