"""No URL answers 500 to anything a client sends: a clear 400, 404 or 413 instead.

Known cases first, each with the answer a person or a script should get; then
every rule of the URL map, walked with hostile values in its path, its query
string and its form fields, as anonymous, learner, manager and HR.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from awareness.extensions import db
from awareness.learn import form_keys
from awareness.models import Attempt
from awareness.people.accounts import issue_token
from awareness.progress import attempts
from tests.helpers import PASSWORD, XSS_PAYLOADS, csrf_token, module

#: Values that broke, or could break, something: numbers too large for the database or for
#: int(), digits that are not ASCII, characters no database or header takes, paths, patterns.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "٣",
    "1e9999",
    "NaN",
    "9" * 30,
    "9" * 5000,
    "2147483648",
    "9223372036854775808",
    "\x00",
    "a\x00b",
    "/\r\nX:1",
    "\t",
    "%",
    "_",
    "%00",
    "../../instance/secret_key",
    "//evil.example",
    "\\",
    "' OR 1=1 --",
    "\ufffd\u202e\u2028",
    "x" * 3000,
    *XSS_PAYLOADS[:2],
]
#: Query arguments and form fields that views read, and values that get past the first check.
ARGUMENTS = {
    "page": ["1", "2"],
    "department": ["Finance", "Finance/Payroll", "IT"],
    "layer": ["staff", "leadership"],
    "module": ["phishing", "welcome"],
    "status": ["overdue", "completed"],
    "by": ["department", "layer", "module"],
    "next": ["/", "/settings"],
    "q": ["pay", "Finance/Payroll"],
    "role": ["hr", "learner"],
    "active": ["active", "inactive", "all"],
    "overdue": ["y"],
}
#: Where each argument is read.
READERS = {
    "page": ["/dashboard/departments/Finance", "/admin/people"],
    "department": ["/dashboard/", "/api/v1/coverage?by=layer", "/admin/people"],
    "layer": ["/dashboard/people.csv", "/api/v1/coverage?by=department"],
    "module": ["/dashboard/", "/api/v1/coverage?by=module"],
    "status": ["/dashboard/assignments.csv"],
    "by": ["/dashboard/coverage.csv", "/api/v1/coverage"],
    "next": ["/login"],
    "q": ["/admin/people"],
    "role": ["/admin/people"],
    "active": ["/admin/people"],
    "overdue": ["/admin/people"],
}
FIELDS = {
    "email": ["ada@example.org", "hr@example.org"],
    "password": [PASSWORD],
    "remember": ["y"],
    "current_password": [PASSWORD],
    "new_password": ["a new long password"],
    "confirm": ["a new long password"],
    "language": ["en", "ur"],
    "acknowledge": ["y"],
    "q1": ["1", "2"],
    "q2": ["1", "3"],
    "department": ["Finance", "IT/Service Desk"],
    "layer": ["staff", "technical"],
    "roles": ["manager", "admin"],
    "token-label": ["script"],
}
SLUGS = ["phishing", "welcome", "cyber-risk"]


@pytest.fixture
def people(make_person):
    people = {
        "learner": make_person("ada@example.org", department="Finance/Payroll"),
        "manager": make_person(
            "boss@example.org", department="Finance", layer="management", roles="manager"
        ),
        "hr": make_person(
            "hr@example.org", department="IT", layer="leadership", roles="admin;author;hr"
        ),
    }
    phishing = module("phishing")
    attempts.submit(db.session, people["learner"], phishing, {1: frozenset({2})})
    tokens = {who: issue_token(db.session, person) for who, person in people.items()}
    db.session.commit()
    return People(people, tokens)


class People(dict):
    """The people of these tests by role, with an API token each."""

    def __init__(self, people: dict, tokens: dict[str, str]):
        super().__init__(people)
        self.tokens = tokens


def valid_key(person, slug: str) -> str:
    item = module(slug)
    return form_keys.issue("test-secret-key", person.id, item.id, item.major, item.source_hash)[0]


def csrf_of(browser, signed_in: bool) -> str:
    """A CSRF token for ``browser``'s session, so that hostile fields reach the views."""
    return csrf_token(browser.get("/settings" if signed_in else "/login").text)


def no_server_error(response) -> None:
    with response:
        assert response.status_code < 500, (response.request.url, response.status_code)
        if response.status_code >= 400 and response.request.path.startswith("/api/"):
            assert isinstance(response.get_json()["error"], str)


# -- the cases found so far ----------------------------------------------------


BAD_ADDRESSES = [
    ("/dashboard/departments/Finance?page=999999999999999999999", 400,
     "The page number must be a whole number from 1 to 1,000,000."),
    ("/dashboard/departments/Finance?page=-3", 400, "The page number must be"),
    ("/modules/phishing/attempts/99999999999999999999999", 404, "Not found"),
    ("/modules/phishing/attempts/2147483648", 404, "Not found"),
    ("/modules/phishing/attempts/0", 404, "Not found"),
    ("/modules/phishing/attempts/%C2%B2", 404, "Not found"),
    ("/modules/phishing/attempts/%D9%A3", 404, "Not found"),
    ("/modules/phish%00ing", 400, "The address contains a control character."),
    ("/dashboard/departments/Fin%0dance", 400, "The address contains a control character."),
    ("/dashboard/?department=Fin%00ance", 400, "The address contains a NUL character."),
    ("/api/v1/coverage?by=layer&layer=st%00aff", 400, "The address contains a NUL character."),
    ("/assets/diagram.svg%00.png", 400, "The address contains a control character."),
]  # fmt: skip


def test_known_bad_addresses_are_answered_clearly(client, login, people):
    login(people["hr"])
    for url, status, message in BAD_ADDRESSES:
        response = client.get(url)
        assert (url, response.status_code) == (url, status)
        assert message in response.text, url
        assert "Traceback" not in response.text


def test_a_nul_in_a_sign_in_field_is_refused(app):
    """PostgreSQL cannot compare text holding NUL: refused before any query."""
    browser = app.test_client()
    token = csrf_of(browser, signed_in=False)
    for email in ("ada\x00@example.org", "\x00"):
        response = browser.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 400
        assert "A form field contains a NUL character." in response.text


ODD_QUIZ_FIELDS = [
    ({"q²": "1"}, 303),  # not an answer field: the quiz is scored without it
    ({"q1": "²"}, 400),
    ({"q1": "9" * 5000}, 400),
    ({"q" + "1" * 5000: "1"}, 400),
    ({"q1": "-1"}, 400),
    ({"q1": " 2"}, 400),
    ({"q1": ""}, 400),
    ({"q1": ["2", "2"]}, 303),  # the same option twice is that option
    ({"q1": ["1", "2"]}, 400),  # two options for a single choice
    ({"q9": "1"}, 400),  # no question 9
    ({"q0": "1"}, 400),
    ({"q1": "2\x00"}, 400),
    ({"q1\x00": "2"}, 400),
]


def test_odd_quiz_fields_are_refused_and_record_nothing(client, login, people):
    login(people["learner"])
    token = csrf_of(client, signed_in=True)
    for fields, status in ODD_QUIZ_FIELDS:
        key = valid_key(people["learner"], "phishing")
        data = {"csrf_token": token, "submission_key": key, **fields}
        before = attempt_count()
        response = client.post("/modules/phishing/quiz", data=data)
        assert (fields, response.status_code) == (fields, status)
        assert attempt_count() == before + (status == 303), fields
        if status == 400:
            assert "The answers do not fit this quiz" in response.text or "NUL" in response.text


def attempt_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt))


BAD_JSON = [
    ("[" * 100_000 + "]" * 100_000, "the request body is nested too deeply"),
    ('{"answers": ' + '{"1":' * 50_000 + "[2]" + "}" * 50_001, "the request body is nested"),
    ('{"answers": {"1": [NaN]}}', "NaN is not a JSON value"),
    ('{"answers": {"1": [1' + "0" * 5000 + "]}}", "the request body is not valid JSON"),
    ('{"answers": {"' + "9" * 5000 + '": [1]}}', "question number 9999999999999999999"),
    ('{"answers": {"²": [1]}}', "question number '²' is not a whole number"),
    ('{"answers": {"1": ["\\u0000"]}}', "NUL character"),
    ('{"answers": {"\\ud800": [1]}}', "unpaired surrogate"),
    (b'{"answers": {"1": [2]}\xff}', "the request body is not valid JSON"),
    ("[]", "the request body must be a JSON object"),
    ('{"answers": {"1": [2]}', "the request body is not valid JSON"),
]


def test_bad_json_is_a_400_that_says_why(client, people):
    bearer = {"Authorization": f"Bearer {people.tokens['learner']}"}
    for body, message in BAD_JSON:
        response = client.post(
            "/api/v1/modules/phishing/attempts",
            data=body,
            headers={**bearer, "Content-Type": "application/json"},
        )
        assert response.status_code == 400, body[:40]
        assert message in response.get_json()["error"]


def test_a_json_api_call_must_say_it_sends_json(client, people):
    token = issue_token(db.session, people["learner"])
    db.session.commit()
    response = client.post(
        "/api/v1/modules/phishing/attempts",
        data='{"answers": {"1": [2]}}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
    )
    assert response.status_code == 400
    assert "Content-Type: application/json" in response.get_json()["error"]


def test_oversized_bodies_get_a_clear_413(client, login, people):
    login(people["learner"])
    too_big = "x" * (2 * 1024 * 1024 + 1)
    page = client.post("/modules/phishing/quiz", data={"q1": too_big})
    assert page.status_code == 413
    assert "<h1>413 · Too large</h1>" in page.text
    assert "What you sent is larger than the limit of 2 MB." in page.text
    api = client.post(
        "/api/v1/modules/phishing/attempts", data=too_big, content_type="application/json"
    )
    assert api.status_code == 413
    assert api.get_json() == {"error": "What you sent is larger than the limit of 2 MB."}


def test_a_header_split_in_next_is_no_error(client, login, people):
    login(people["learner"])
    no_server_error(client.get("/login?next=/%0d%0aX:1"))


def test_a_database_error_shows_no_stack_trace(app, client, login, people, monkeypatch):
    """Outside tests an unexpected error becomes the plain error page (JSON for the API)."""
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    login(people["learner"])

    def broken(*args, **kwargs):
        raise OperationalError("SELECT secret FROM person", {}, Exception("server closed"))

    monkeypatch.setattr("awareness.progress.learner.person_assignments", broken)
    page = client.get("/")
    api = client.get("/api/v1/me")
    for response in (page, api):
        assert response.status_code in (500, 503)
        assert "Traceback" not in response.text
        assert "SELECT" not in response.text and "server closed" not in response.text
    assert "Nothing you submitted was half-saved" in page.text or "503" in page.text
    assert set(api.get_json()) == {"error"}


# -- every rule, walked with hostile values --------------------------------------

PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def rules(app) -> list[tuple[str, str]]:
    """(method, rule) for every rule of the URL map, except Flask's own HEAD and OPTIONS."""
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


def path_values(converter: str | None, name: str):
    if converter == "id":
        valid = st.integers(1, 3).map(str)
    elif name == "slug":
        valid = st.sampled_from(SLUGS)
    else:
        valid = st.sampled_from(["Finance", "Finance/Payroll", "IT", "diagram.svg"])
    return st.one_of(valid, st.sampled_from(HOSTILE), TEXT)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def hostile_or(valid: list[str]):
    return st.one_of(st.sampled_from(valid), st.sampled_from(HOSTILE), TEXT)


@st.composite
def requests(draw, rule: str, method: str):
    """A URL for ``rule`` and query and form values, any of them hostile."""

    def fill(match: re.Match) -> str:
        value = draw(path_values(match.group(1), match.group(2)))
        return quote(value, safe="/" if match.group(1) == "path" else "")

    url = PLACEHOLDER.sub(fill, rule)
    argument = st.one_of(st.sampled_from(list(ARGUMENTS)), TEXT).flatmap(
        lambda name: st.tuples(st.just(name), hostile_or(ARGUMENTS.get(name, ["1"])))
    )
    query = draw(st.lists(argument, max_size=4))
    form = draw(
        st.dictionaries(
            st.one_of(st.sampled_from(list(FIELDS)), st.sampled_from(["q²", "q99", "q1x"])),
            st.one_of(st.sampled_from(["1", "2", PASSWORD]), st.sampled_from(HOSTILE), TEXT),
            max_size=5,
        )
    )
    if query:
        url += "?" + urlencode(query, encoding="utf-8")
    return url, form


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_rule_answers_500_to_anything(app, client, login, people, data):
    method, rule = data.draw(st.sampled_from(rules(app)), label="rule")
    url, form = data.draw(requests(rule, method), label="request")
    who = data.draw(st.sampled_from(["anonymous", "learner", "manager", "hr"]), label="who")
    browser, headers = (app.test_client() if who == "anonymous" else client), {}
    if who != "anonymous":
        login(people[who])
        if url.startswith("/modules/") and data.draw(st.booleans(), label="with a form key"):
            slug = data.draw(st.sampled_from(SLUGS), label="form key for")
            form["submission_key"] = valid_key(people[who], slug)
        if url.startswith("/api/") and data.draw(st.booleans(), label="with a bearer token"):
            headers["Authorization"] = f"Bearer {people.tokens[who]}"
    if method != "GET" and data.draw(st.booleans(), label="with a CSRF token"):
        form["csrf_token"] = csrf_of(browser, who != "anonymous")
    response = browser.open(
        url, method=method, data=form if method != "GET" else None, headers=headers
    )
    no_server_error(response)
    db.session.rollback()


def test_every_path_and_argument_takes_each_hostile_value(app, client, login, people):
    """Each value of the corpus once in every path placeholder, then in every argument."""
    login(people["hr"])
    token = csrf_of(client, signed_in=True)
    for value in HOSTILE:
        try_everywhere(app, client, token, people, value)


def try_everywhere(app, client, token: str, people: People, value: str) -> None:
    for method, rule in rules(app):
        if PLACEHOLDER.search(rule):
            url = PLACEHOLDER.sub(lambda m: quote(value, safe=""), rule)
            no_server_error(client.open(url, method=method))
    for name, urls in READERS.items():
        for url in urls:
            no_server_error(
                client.get(f"{url}{'&' if '?' in url else '?'}{urlencode({name: value})}")
            )
    # "confirm" differs, so no password hash is checked (slow on purpose); the walk above does.
    fields = {**dict.fromkeys(FIELDS, value), "confirm": value + "!", "csrf_token": token}
    no_server_error(client.post("/settings", data=fields))
    no_server_error(client.post(f"/admin/people/{people['learner'].id}", data=fields))
    for name in ("q1", "q2"):
        key = valid_key(people["hr"], "phishing")
        no_server_error(
            client.post(
                "/modules/phishing/quiz",
                data={"csrf_token": token, "submission_key": key, name: value},
            )
        )
    db.session.rollback()
