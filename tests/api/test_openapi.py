"""The OpenAPI document (``awareness/api/openapi.json``) against the API's real answers.

The document is valid OpenAPI 3.1; it names every route of the API and no
other; every answer it documents (each operation's statuses) is produced
below by a real request, whose body must match the documented schema (no
missing field, no undocumented one, formats checked) and carry the documented
headers; and nothing the requests below get back is left undocumented.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from awareness import create_app
from awareness.api.openapi import document
from awareness.extensions import db
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


QUIZ = {"answers": {"1": [2], "2": [1, 3]}}
JSON = "application/json"


def exchanges(client, login, make_person, people, tmp_path):
    """Real requests, each with the documented (method, path) it exercises."""
    learner, hr, manager = people["learner"], people["hr"], people["manager"]

    def me(headers=None, *, via=client):
        return "GET", "/me", via.get(f"{PREFIX}/me", headers=headers)

    def attempt(slug, headers=None, *, via=client, **body):
        url = f"{PREFIX}/modules/{slug}/attempts"
        return "POST", "/modules/{slug}/attempts", via.post(url, headers=headers, **body)

    def coverage(query, headers=None, *, via=client):
        return "GET", "/coverage", via.get(f"{PREFIX}/coverage?{query}", headers=headers)

    yield me(learner)  # nothing attempted yet
    yield attempt("phishing", learner, json=QUIZ)
    yield attempt("welcome", learner, json={"acknowledge": True})
    yield attempt("phishing", learner, json={"answers": {"1": [7]}})
    yield attempt("phishing", learner, data="{", content_type=JSON)
    yield attempt("nope", learner, json=QUIZ)
    yield attempt("phishing", learner, data=b"[" * (3 * 1024 * 1024), content_type=JSON)
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

    login(make_person("cookie@example.org"))  # a signed-in browser: writes need the CSRF token
    yield attempt("phishing", json=QUIZ)
    yield attempt("phishing", {"X-CSRFToken": csrf_token(client.get("/").text)}, json=QUIZ)

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


def test_every_documented_answer_is_produced_and_matches_the_document(
    client, login, make_person, people, tmp_path
):
    documented = documented_answers()
    produced, wrong = set(), []
    for method, path, response in exchanges(client, login, make_person, people, tmp_path):
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
