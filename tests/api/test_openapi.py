"""The OpenAPI document (``awareness/api/openapi.json``) against the API's real answers.

The document is valid OpenAPI 3.1; it names every route of the API and no
other; every answer it documents (each operation's statuses) is produced
below by a real request, whose body must match the documented schema (no
missing field, no undocumented one, formats checked) and carry the documented
headers; and nothing the requests below get back is left undocumented. The
request schemas take the bodies the API takes, and refuse those it answers
400 (naming the field); what only the server can know is listed apart.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from awareness import create_app
from awareness.api.openapi import document
from awareness.extensions import db
from awareness.live import planning, registration
from awareness.models import LiveSession, Person
from awareness.models.types import utcnow
from awareness.people.accounts import issue_token
from tests.helpers import csrf_token

DOCUMENT = json.loads(document())
URI = "urn:awareness:openapi"
REGISTRY = Registry().with_resource(
    URI, Resource.from_contents(DOCUMENT, default_specification=DRAFT202012)
)
PREFIX = "/api/v1"
DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"
)
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def is_date(value: object) -> bool:
    return not isinstance(value, str) or date.fromisoformat(value).isoformat() == value


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value: object) -> bool:
    """RFC 3339: a full date and time with an offset (or ``Z``)."""
    if not isinstance(value, str):
        return True
    return DATE_TIME.fullmatch(value) is not None and datetime.fromisoformat(value) is not None


def pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def resolved(item: dict) -> dict:
    """An OpenAPI object, following its ``$ref`` within the document."""
    while "$ref" in item:
        item = REGISTRY.resolver(URI).lookup(URI + item["$ref"]).contents
    return item


def schema_errors(location: str, instance: object) -> list[str]:
    """How ``instance`` fails the schema at ``location`` (a JSON pointer into the document)."""
    validator = Draft202012Validator(
        {"$ref": URI + "#" + quote(location)}, registry=REGISTRY, format_checker=FORMATS
    )
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


def documented_answers() -> dict[tuple[str, str, str], str]:
    """(method, path, status) of every documented answer, and where its JSON schema is."""
    answers = {}
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                where = pointer("paths", path, method, "responses", status)
                if "$ref" in answer:
                    where = answer["$ref"].removeprefix("#")
                answers[(method.upper(), path, status)] = where + pointer(
                    "content", "application/json", "schema"
                )
    return answers


# -- the document itself -------------------------------------------------------


def test_the_document_is_valid_openapi_3_1():
    assert DOCUMENT["openapi"].startswith("3.1.")
    validate(DOCUMENT)  # raises, saying what is wrong, for an invalid document


def test_it_names_every_route_of_the_api_and_no_other(app):
    routes = {
        (method, re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix(PREFIX)))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(PREFIX + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (method.upper(), path) for path, item in DOCUMENT["paths"].items() for method in item
    }
    assert documented == routes


def test_its_examples_match_their_schemas():
    checked = 0
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            where = pointer("paths", path, method)
            media = [("requestBody", operation.get("requestBody", {}))]
            media += [(f"responses/{s}", a) for s, a in operation["responses"].items()]
            for place, answer in media:
                content = resolved(answer).get("content", {}).get("application/json", {})
                schema = f"{where}/{place}/content/application~1json/schema"
                if "$ref" in answer:
                    schema = answer["$ref"].removeprefix("#") + "/content/application~1json/schema"
                examples = [content["example"]] if "example" in content else []
                examples += [e["value"] for e in content.get("examples", {}).values()]
                for example in examples:
                    assert schema_errors(schema, example) == [], f"{method} {path} {place}"
                    checked += 1
    assert checked >= 7


# -- the document against real answers ----------------------------------------


@pytest.fixture
def people(make_person):
    learner = make_person("ada@example.org", department="Finance/Payroll", layer="staff")
    hr = make_person("hr@example.org", department="HR", roles="hr")
    manager = make_person("boss@example.org", department="Finance", roles="manager")
    make_person("it@example.org", department="IT", layer="technical")
    tokens = {who.email: issue_token(db.session, who) for who in (learner, hr, manager)}
    db.session.commit()
    return {
        name: {"Authorization": f"Bearer {tokens[email]}"}
        for name, email in [
            ("learner", "ada@example.org"),
            ("hr", "hr@example.org"),
            ("manager", "boss@example.org"),
        ]
    }


@pytest.fixture
def live(people):
    """Live sessions by name: ``open`` (one place, staff), ``hidden`` (technical only),
    ``started`` an hour ago (the learner registered the day before), ``later``."""
    now = utcnow().replace(microsecond=0)

    def plan(title: str, starts_in: timedelta, **fields) -> int:
        starts = now + starts_in
        draft = planning.Draft(title, "seminar", starts, starts + timedelta(hours=2), **fields)
        return planning.create(db.session, draft).id

    ids = {
        "open": plan("Open", timedelta(days=2), capacity=1, layers=["staff"], module="welcome"),
        "hidden": plan("Hidden", timedelta(days=2), layers=["technical"]),
        "started": plan("Started", -timedelta(hours=1), module="welcome"),
        "later": plan("Later", timedelta(days=5), capacity=10),
    }
    ada = db.session.scalar(select(Person).where(Person.email == "ada@example.org"))
    started = db.session.get(LiveSession, ids["started"])
    registration.register(db.session, started, ada, now - timedelta(days=1))
    db.session.commit()
    return ids


QUIZ = {"answers": {"1": [2], "2": [1, 3]}}
JSON = "application/json"
TOO_BIG = b"[" * (3 * 1024 * 1024)
NOBODY = 999_999  # no session has this id
#: A session as ``POST /sessions`` takes it, with only the required fields.
SESSION = {
    "title": "Leadership roundtable",
    "kind": "roundtable",
    "starts_at": "2030-03-01T09:00:00Z",
    "ends_at": "2030-03-01T11:00:00Z",
}


def exchanges(client, login, make_person, people, live, tmp_path):
    """Real requests, each with the documented (method, path) it exercises."""
    learner, hr, manager = people["learner"], people["hr"], people["manager"]

    def me(headers=None, *, via=client):
        return "GET", "/me", via.get(f"{PREFIX}/me", headers=headers)

    def attempt(slug, headers=None, *, via=client, **body):
        url = f"{PREFIX}/modules/{slug}/attempts"
        return "POST", "/modules/{slug}/attempts", via.post(url, headers=headers, **body)

    def coverage(query, headers=None, *, via=client):
        return "GET", "/coverage", via.get(f"{PREFIX}/coverage?{query}", headers=headers)

    def sessions(method, path, session=None, headers=None, *, via=client, **body):
        """``path`` as documented; ``session`` a name in ``live`` (or an id) for its id."""
        url = PREFIX + path.replace("{session_id}", str(live.get(session, session)))
        return method, path, via.open(url, method=method, headers=headers, **body)

    yield me(learner)  # nothing attempted yet
    yield attempt("phishing", learner, json=QUIZ)
    yield attempt("welcome", learner, json={"acknowledge": True})
    yield attempt("phishing", learner, json={"answers": {"1": [7]}})
    yield attempt("phishing", learner, data="{", content_type=JSON)
    yield attempt("nope", learner, json=QUIZ)
    yield attempt("phishing", learner, data=TOO_BIG, content_type=JSON)
    yield attempt("phishing", json=QUIZ)
    yield attempt("phishing", {"Authorization": "Bearer nope"}, json=QUIZ)
    yield me(learner)
    yield me()
    for by in ("department", "layer", "module"):
        yield coverage(f"by={by}", hr)
    yield coverage("by=department&department=Finance&layer=staff&module=phishing", manager)
    yield coverage("by=people", hr)
    yield coverage("by=layer&department=Nowhere", hr)
    yield coverage("by=layer", learner)
    yield coverage("by=layer&department=IT", manager)
    yield coverage("by=layer")
    yield "GET", "/openapi.json", client.get(f"{PREFIX}/openapi.json")
    yield from session_exchanges(sessions, learner, hr, manager)

    login(make_person("cookie@example.org"))  # a signed-in browser: writes need the CSRF token
    yield attempt("phishing", json=QUIZ)
    yield attempt("phishing", {"X-CSRFToken": csrf_token(client.get("/").text)}, json=QUIZ)
    signed = {"X-CSRFToken": csrf_token(client.get("/").text)}
    registration_url = "/sessions/{session_id}/registration"
    yield sessions("POST", registration_url, "open")
    yield sessions("DELETE", registration_url, "open")
    yield sessions("POST", registration_url, "open", signed)  # the place the learner gave back

    down = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/awareness.db",
        }
    ).test_client()  # its database cannot be opened
    yield attempt("phishing", learner, via=down, json=QUIZ)
    yield me(learner, via=down)
    yield coverage("by=layer", hr, via=down)
    for method, path in [
        ("GET", "/sessions"),
        ("POST", "/sessions"),
        ("GET", "/sessions/{session_id}"),
        ("PATCH", "/sessions/{session_id}"),
        ("POST", "/sessions/{session_id}/registration"),
        ("DELETE", "/sessions/{session_id}/registration"),
        ("POST", "/sessions/{session_id}/attendance"),
    ]:
        yield sessions(method, path, "open", hr, via=down, json={})


def session_exchanges(sessions, learner, hr, manager):
    """The live session routes, with bearer tokens (``sessions`` as in :func:`exchanges`)."""
    one, registration_url = "/sessions/{session_id}", "/sessions/{session_id}/registration"
    attendance_url = "/sessions/{session_id}/attendance"
    yield sessions("GET", "/sessions", headers=learner)
    yield sessions("GET", "/sessions", headers=hr)
    yield sessions("GET", "/sessions")
    body = SESSION | {
        "location": "Board room",
        "capacity": 30,
        "module": "cyber-risk",
        "audience": ["leadership", "management"],
        "facilitator": "ada@example.org",
    }
    yield sessions("POST", "/sessions", headers=hr, json=body)
    yield sessions("POST", "/sessions", headers=hr, json=body | {"capacity": "thirty"})
    yield sessions("POST", "/sessions", headers=learner, json=body)
    yield sessions("POST", "/sessions", json=body)
    yield sessions("POST", "/sessions", headers=hr, data=TOO_BIG, content_type=JSON)

    yield sessions("GET", one, "open", learner)
    yield sessions("GET", one, "hidden", learner)  # outside their audience
    yield sessions("GET", one, NOBODY, learner)
    yield sessions("GET", one, "open")

    yield sessions("PATCH", one, "later", hr, json={"location": "Hall", "capacity": None})
    yield sessions("PATCH", one, "later", hr, json={"ends_at": "yesterday"})
    yield sessions("PATCH", one, "later", learner, json={"location": "Hall"})
    yield sessions("PATCH", one, NOBODY, hr, json={"location": "Hall"})
    yield sessions("PATCH", one, "later", hr, data=TOO_BIG, content_type=JSON)
    yield sessions("PATCH", one, "later", json={"location": "Hall"})
    yield sessions("PATCH", one, "later", hr, json={"cancelled": True})
    yield sessions("PATCH", one, "later", hr, json={"title": "Back on"})  # cancelled: 409

    yield sessions("POST", registration_url, "open", learner)
    yield sessions("POST", registration_url, "open", learner)  # again: 200
    yield sessions("POST", registration_url, "open", manager)  # full
    yield sessions("POST", registration_url, "started", manager)
    yield sessions("POST", registration_url, "hidden", learner)  # outside the audience
    yield sessions("POST", registration_url, NOBODY, learner)
    yield sessions("POST", registration_url, "open")
    yield sessions("DELETE", registration_url, "started", learner)  # it has started
    yield sessions("DELETE", registration_url, "open", learner)
    yield sessions("DELETE", registration_url, NOBODY, learner)
    yield sessions("DELETE", registration_url, "open")

    emails = {"emails": ["ADA@example.org", "ghost@example.org"]}
    yield sessions("POST", attendance_url, "started", hr, json=emails)
    yield sessions("POST", attendance_url, "started", hr, json={"emails": "ada@example.org"})
    yield sessions("POST", attendance_url, "started", learner, json=emails)
    yield sessions("POST", attendance_url, NOBODY, hr, json=emails)
    yield sessions("POST", attendance_url, "open", hr, json=emails)  # opens before the start
    yield sessions("POST", attendance_url, "started", hr, data=TOO_BIG, content_type=JSON)
    yield sessions("POST", attendance_url, "started", json=emails)


def test_every_documented_answer_is_produced_and_matches_the_document(
    client, login, make_person, people, live, tmp_path
):
    documented = documented_answers()
    produced, wrong = set(), []
    for method, path, response in exchanges(client, login, make_person, people, live, tmp_path):
        answer = (method, path, str(response.status_code))
        produced.add(answer)
        where = documented.get(answer)
        if where is None:
            wrong.append(f"{method} {path}: {response.status_code} is not documented")
            continue
        if response.mimetype != "application/json":
            wrong.append(f"{method} {path} {response.status_code}: {response.mimetype}")
            continue
        wrong += [
            f"{method} {path} {response.status_code}: {error}"
            for error in schema_errors(where, response.get_json())
        ]
        for header in resolved_answer(method, path, str(response.status_code)).get("headers", {}):
            if header not in response.headers:
                wrong.append(f"{method} {path} {response.status_code}: no {header} header")
    wrong += [f"{m} {p} {s}: documented, never produced" for m, p, s in set(documented) - produced]
    assert not wrong, "\n".join(wrong)


def resolved_answer(method: str, path: str, status: str) -> dict:
    return resolved(DOCUMENT["paths"][path][method.lower()]["responses"][status])


def test_it_is_served_to_anyone_as_the_file(client):
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == DOCUMENT


def test_the_schemas_catch_what_the_api_would_not_answer():
    """The comparison above can fail: a missing field, an extra one, a wrong type or format."""
    body = {
        "email": "ada@example.org", "name": "Ada", "department": None, "layer": "staff",
        "modules": [
            {"slug": "phishing", "title": "Phishing", "status": "completed", "due": "2027-01-31",
             "best_score": 100, "completed_at": "2026-01-31T12:00:00Z"},
        ],
    }  # fmt: skip
    me = pointer("components", "schemas", "Me")
    assert schema_errors(me, body) == []
    assert schema_errors(me, {key: value for key, value in body.items() if key != "layer"})
    assert schema_errors(me, body | {"roles": ["learner"]})
    module = body["modules"][0]
    assert schema_errors(me, body | {"modules": [module | {"status": "done"}]})
    assert schema_errors(me, body | {"modules": [module | {"due": "31/01/2027"}]})
    assert schema_errors(me, body | {"modules": [module | {"completed_at": "2026-01-31 12:00"}]})
    row = {"key": "IT", "label": "IT", "assigned": 1, "completed": 0, "overdue": 1,
           "coverage": 0.0, "avg_score": None}  # fmt: skip
    coverage = pointer("components", "schemas", "Coverage")
    report = {"by": "department", "as_of": "2026-12-01T09:30:00+00:00", "rows": [row]}
    assert schema_errors(coverage, report | {"total": dict(list(row.items())[2:])}) == []
    assert schema_errors(coverage, report | {"total": row})  # key and label are rows' only
    assert schema_errors(coverage, report | {"rows": [row | {"people": 3}], "total": {}})


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"1": [2], "2": [1, 3]}},
        {"answers": {"1": 2}},
        {"answers": {}},
        {"acknowledge": True},
    ],
)
def test_the_request_schema_takes_what_the_api_takes(body):
    assert schema_errors(pointer("components", "schemas", "AttemptRequest"), body) == []


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"one": [1]}},
        {"answers": {"1": "2"}},
        {"answers": {"2": [1, 1]}},
        {"answers": [1, 2]},
        {"acknowledge": False},
        {},
        ["not", "an", "object"],
    ],
)
def test_the_request_schema_refuses_what_the_api_refuses(client, people, body):
    url = f"{PREFIX}/modules/phishing/attempts"
    response = client.post(url, json=body, headers=people["learner"])
    assert response.status_code == 400
    assert schema_errors(pointer("components", "schemas", "AttemptRequest"), body)


# -- the live session request schemas against the API --------------------------

MISSING = object()  # a field left out of the body


def session_body(changes: dict) -> dict:
    return {key: value for key, value in (SESSION | changes).items() if value is not MISSING}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"starts_at": "2030-03-01T14:00+05:00", "ends_at": "2030-03-01T15:30:00.5+05:00"},
        {"starts_at": "2030-03-01T09:00", "ends_at": "2030-03-01 11:00:00"},  # local time
        {
            "location": None,
            "capacity": None,
            "module": None,
            "facilitator": None,
            "description": None,
            "audience": [],
        },
        {
            "location": "https://meet.example.org/x",
            "capacity": 1,
            "module": "cyber-risk",
            "facilitator": "ADA@example.org",
            "audience": ["leadership", "Finance"],
            "description": "Bring questions.",
        },
        {"module": "", "facilitator": ""},
    ],
)
def test_the_session_schema_takes_what_the_api_takes(client, people, changes):
    body = session_body(changes)
    assert schema_errors(pointer("components", "schemas", "SessionRequest"), body) == []
    response = client.post(f"{PREFIX}/sessions", json=body, headers=people["hr"])
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": MISSING}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": None}, "title"),
        ({"kind": "lecture"}, "kind"),
        ({"kind": MISSING}, "kind"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"starts_at": 1_900_000_000}, "starts_at"),
        ({"ends_at": "01/03/2030 11:00"}, "ends_at"),
        ({"ends_at": MISSING}, "ends_at"),
        ({"location": "x" * 501}, "location"),
        ({"capacity": "thirty"}, "capacity"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": True}, "capacity"),
        ({"capacity": 100_001}, "capacity"),
        ({"audience": "leadership"}, "audience"),
        ({"audience": [1]}, "audience"),
        ({"audience": None}, "audience"),
        ({"module": 7}, "module"),
        ({"facilitator": ["ada@example.org"]}, "facilitator"),
        ({"description": "x" * 5001}, "description"),
        ({"cancelled": True}, "cancelled"),  # only a change cancels
        ({"colour": "blue"}, "colour"),
    ],
)
def test_the_session_schema_refuses_what_the_api_refuses(client, people, changes, field):
    body = session_body(changes)
    response = client.post(f"{PREFIX}/sessions", json=body, headers=people["hr"])
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"{field}: ")
    assert schema_errors(pointer("components", "schemas", "SessionRequest"), body)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2030-03-01T08:00:00Z"}, "ends_at"),  # before the start
        ({"ends_at": "2030-03-08T09:00:01Z"}, "ends_at"),  # longer than 7 days
        ({"starts_at": "2030-03-01T25:00"}, "starts_at"),  # no such hour
        ({"audience": ["astronauts"]}, "audience"),
        ({"module": "no-such"}, "module"),
        ({"facilitator": "ghost@example.org"}, "facilitator"),
    ],
)
def test_what_only_the_server_knows_is_a_400_naming_the_field(client, people, changes, field):
    """The schema cannot see these (the document says them in prose): the API refuses them."""
    body = session_body(changes)
    assert schema_errors(pointer("components", "schemas", "SessionRequest"), body) == []
    response = client.post(f"{PREFIX}/sessions", json=body, headers=people["hr"])
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"{field}: ")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"location": "Hall", "capacity": 80},
        {"capacity": None, "module": None, "facilitator": None, "description": None},
        {"title": "Renamed", "audience": ["staff"]},
        {"cancelled": True},
    ],
)
def test_the_change_schema_takes_what_the_api_takes(client, people, live, body):
    assert schema_errors(pointer("components", "schemas", "SessionChange"), body) == []
    url = f"{PREFIX}/sessions/{live['later']}"
    response = client.patch(url, json=body, headers=people["hr"])
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cancelled": False}, "cancelled"),
        ({"title": None}, "title"),
        ({"kind": "party"}, "kind"),
        ({"capacity": 0}, "capacity"),
        ({"audience": "staff"}, "audience"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_the_change_schema_refuses_what_the_api_refuses(client, people, live, body, field):
    url = f"{PREFIX}/sessions/{live['later']}"
    response = client.patch(url, json=body, headers=people["hr"])
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"{field}: ")
    assert schema_errors(pointer("components", "schemas", "SessionChange"), body)


@pytest.mark.parametrize(
    "body",
    [
        {"emails": []},
        {"emails": ["ADA@example.org", " ", "ghost@example.org", "ada@example.org"]},
    ],
)
def test_the_attendance_schema_takes_what_the_api_takes(client, people, live, body):
    assert schema_errors(pointer("components", "schemas", "AttendanceRequest"), body) == []
    url = f"{PREFIX}/sessions/{live['started']}/attendance"
    response = client.post(url, json=body, headers=people["hr"])
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    "body",
    [{}, {"emails": None}, {"emails": "ada@example.org"}, {"emails": [1]}, ["ada@example.org"]],
)
def test_the_attendance_schema_refuses_what_the_api_refuses(client, people, live, body):
    url = f"{PREFIX}/sessions/{live['started']}/attendance"
    response = client.post(url, json=body, headers=people["hr"])
    assert response.status_code == 400
    assert schema_errors(pointer("components", "schemas", "AttendanceRequest"), body)


def test_the_session_schemas_catch_what_the_api_would_not_answer():
    session = DOCUMENT["paths"]["/sessions"]["get"]["responses"]["200"]["content"][JSON]
    [body] = session["example"]["sessions"]
    schema = pointer("components", "schemas", "Session")
    assert schema_errors(schema, body) == []
    assert schema_errors(schema, {key: value for key, value in body.items() if key != "cancelled"})
    assert schema_errors(schema, body | {"code": "K7M2QX"})  # the attendance code stays hidden
    assert schema_errors(schema, body | {"kind": "party"})
    assert schema_errors(schema, body | {"starts_at": "2030-03-01T09:00"})  # no zone
    result = pointer("components", "schemas", "AttendanceResult")
    assert schema_errors(result, {"recorded": 1, "already": 0, "unknown": []}) == []
    assert schema_errors(result, {"recorded": 1, "unknown": []})
