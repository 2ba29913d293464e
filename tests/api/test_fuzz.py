"""The JSON API on arbitrary bodies and query strings: 2xx, or 4xx with ``{"error": ...}``."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awareness.extensions import db
from awareness.people.accounts import issue_token

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
#: Any JSON document, with numbers and keys near what the API expects.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | TEXT
    | st.sampled_from(["1", "2", "answers", "acknowledge"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            TEXT | st.sampled_from(["1", "2", "answers", "acknowledge"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)
ANSWERS = st.dictionaries(
    st.integers(-2, 5).map(str) | TEXT,
    st.lists(st.integers(-2, 5) | JSON, max_size=4) | JSON,
    max_size=4,
)
BODIES = st.one_of(
    JSON,
    st.fixed_dictionaries({"answers": ANSWERS}),
    st.fixed_dictionaries({"acknowledge": JSON}),
)


@pytest.fixture
def bearers(make_person):
    people = {
        "learner": make_person("ada@example.org"),
        "manager": make_person(
            "boss@example.org", department="Finance", layer="management", roles="manager"
        ),
        "hr": make_person("hr@example.org", department="IT", roles="hr"),
    }
    tokens = {who: issue_token(db.session, person) for who, person in people.items()}
    db.session.commit()
    return {who: {"Authorization": f"Bearer {token}"} for who, token in tokens.items()}


def answered_as_the_contract_says(response, success: int) -> None:
    assert response.mimetype == "application/json"
    body = response.get_json()
    if response.status_code >= 400:
        assert response.status_code < 500, body
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    else:
        assert response.status_code == success


@FUZZ
@given(slug=st.sampled_from(["phishing", "welcome", "cyber-risk", "nothing"]), body=BODIES)
def test_attempts_take_any_json_body(client, bearers, slug, body):
    response = client.post(
        f"/api/v1/modules/{slug}/attempts", json=body, headers=bearers["learner"]
    )
    answered_as_the_contract_says(response, 201)
    if response.status_code == 201:
        assert 0 <= response.get_json()["score"] <= 100


@FUZZ
@given(raw=st.binary(max_size=200) | JSON.map(lambda value: json.dumps(value).encode()))
def test_attempts_take_any_bytes(client, bearers, raw):
    response = client.post(
        "/api/v1/modules/phishing/attempts",
        data=raw,
        headers={**bearers["learner"], "Content-Type": "application/json"},
    )
    answered_as_the_contract_says(response, 201)


QUERIES = st.lists(
    st.tuples(
        st.sampled_from(["by", "department", "layer", "module"]) | TEXT,
        st.sampled_from(["department", "layer", "module", "Finance", "staff", "phishing", "IT"])
        | TEXT,
    ),
    max_size=5,
)


@FUZZ
@given(who=st.sampled_from(["learner", "manager", "hr"]), query=QUERIES)
def test_coverage_takes_any_query_string(client, bearers, who, query):
    response = client.get(
        "/api/v1/coverage?" + urlencode(query, encoding="utf-8"), headers=bearers[who]
    )
    answered_as_the_contract_says(response, 200)
    if who == "learner":  # no figures for learners; but text no database holds is refused first
        nul = any("\x00" in name + value for name, value in query)
        assert response.status_code == (400 if nul else 403)
