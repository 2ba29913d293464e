"""Who may reach what: every rule of the URL map, as each kind of person.

:data:`ACCESS` is the decision, one line per request. The test finds the rule
each line reaches through the URL map, and fails naming any rule and method
that no line reaches: a new route cannot be added without deciding who may
use it. HEAD and OPTIONS follow GET and are not listed.

How requests are made (so that each answer is about access, not about forms):
every POST carries the caller's CSRF token (form field and ``X-CSRFToken``);
a POST to a page sends back the hidden fields of the form a GET of the same
URL issued to the caller, and nothing else (so a quiz is submitted with no
answers, and an empty settings or sign-in form is shown again: 200); a POST
to the API sends the JSON in :data:`JSON_BODIES`.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from awareness.extensions import db
from awareness.live import planning
from awareness.models import ApiToken, Attempt, Module
from awareness.models.types import utcnow
from awareness.people import importer, previews
from awareness.people.accounts import issue_token
from awareness.people.rows import PersonRow
from tests.helpers import csrf_token

#: Who asks, in the order of the columns below (ano, lrn, mg+, mg-, hr, aut, adm).
#: ``manager-in`` and ``manager-out`` are the same manager (of Finance): ``{d}``
#: is a department inside their scope for ``manager-in`` (and everyone else)
#: and one outside it (IT) for ``manager-out``.
ROLES = ("anonymous", "learner", "manager-in", "manager-out", "hr", "author", "admin")

#: Placeholders: ``{d}`` a department path, ``{m}`` a module with a quiz,
#: ``{a}`` an attempt of the learner's (anyone else asking for it gets 404).
#: Answers: a status code; ``L`` a 302 to the sign-in page; ``H`` a 302 home; ``S`` a 302 to
#: the settings page.
# fmt: off
ACCESS = {
    # request                                                      ano lrn mg+ mg- hr  aut adm
    "GET /healthz":                                               "200 200 200 200 200 200 200",
    "GET /static/css/awareness.css":                              "200 200 200 200 200 200 200",
    "GET /login":                                                 "200 H   H   H   H   H   H",
    "POST /login":                                                "200 H   H   H   H   H   H",
    "POST /logout":                                               "L   L   L   L   L   L   L",
    "GET /settings":                                              "L   200 200 200 200 200 200",
    "POST /settings":                                             "L   200 200 200 200 200 200",
    "POST /settings/sessions":                                    "L   S   S   S   S   S   S",
    "POST /settings/digest":                                      "L   403 S   S   403 403 403",
    "GET /password/forgot":                                       "200 200 200 200 200 200 200",
    "POST /password/forgot":                                      "200 200 200 200 200 200 200",
    "GET /password/reset/no-such-link":                           "200 200 200 200 200 200 200",
    "POST /password/reset/no-such-link":                          "200 200 200 200 200 200 200",
    "GET /":                                                      "L   200 200 200 200 200 200",
    "GET /modules/{m}":                                           "L   200 200 200 200 200 200",
    "GET /modules/{m}/quiz":                                      "L   200 200 200 200 200 200",
    "POST /modules/{m}/quiz":                                     "L   303 303 303 303 303 303",
    "GET /modules/{m}/attempts/{a}":                              "L   200 404 404 404 404 404",
    "GET /assets/diagram.svg":                                    "L   200 200 200 200 200 200",
    "GET /dashboard/":                                            "L   403 200 200 200 403 200",
    "GET /dashboard/?department={d}":                             "L   403 200 403 200 403 200",
    "GET /dashboard/departments/{d}":                             "L   403 200 403 200 403 200",
    "GET /dashboard/modules/{m}?department={d}":                  "L   403 200 403 200 403 200",
    "GET /dashboard/modules/{m}/scores.csv?department={d}":       "L   403 200 403 200 403 200",
    "GET /dashboard/modules/{m}/questions.csv?department={d}":    "L   403 200 403 200 403 200",
    "GET /dashboard/coverage.csv?department={d}":                 "L   403 200 403 200 403 200",
    "GET /dashboard/heatmap.csv?department={d}":                  "L   403 200 403 200 403 200",
    "GET /dashboard/trend.csv?department={d}":                    "L   403 200 403 200 403 200",
    "GET /dashboard/assignments.csv?department={d}":              "L   403 200 403 200 403 200",
    "GET /dashboard/people.csv?department={d}":                   "L   403 200 403 200 403 200",
    "GET /admin/content":                                         "L   403 403 403 403 200 200",
    "GET /admin/content/modules/{m}":                             "L   403 403 403 403 200 200",
    "POST /admin/content/sync":                                   "L   403 403 403 403 403 200",
    # Without the fingerprint of a dry run (no GET issues the form): 400, nothing applied.
    "POST /admin/content/sync/confirm":                           "L   403 403 403 403 403 400",
    "GET /admin/audit":                                           "L   403 403 403 403 403 200",
    "GET /admin/audit.csv":                                       "L   403 403 403 403 403 200",
    "GET /api/v1/me":                                             "401 200 200 200 200 200 200",
    "GET /api/v1/coverage?by=layer&department={d}":               "401 403 200 403 200 403 200",
    "POST /api/v1/modules/{m}/attempts":                          "401 201 201 201 201 201 201",
    "GET /api/v1/openapi.json":                                   "200 200 200 200 200 200 200",
    # Live sessions: {s} upcoming, {c} upcoming (HR cancels it), {o} started an hour ago,
    # all open to everyone; {p} the learner. The facilitator: tests/live/test_pages.py.
    "GET /sessions/":                                             "L   200 200 200 200 200 200",
    "GET /sessions/{s}":                                          "L   200 200 200 200 200 200",
    "POST /sessions/{s}/register":                                "L   303 303 303 303 303 303",
    "POST /sessions/{s}/unregister":                              "L   303 303 303 303 303 303",
    "GET /sessions/{s}/calendar.ics":                             "L   200 200 200 200 200 200",
    "POST /sessions/{o}/code":                                    "L   303 303 303 303 303 303",
    "GET /sessions/code":                                         "L   200 200 200 200 200 200",
    "POST /sessions/code":                                        "L   200 200 200 200 200 200",
    "GET /sessions/new":                                          "L   403 403 403 200 403 200",
    "POST /sessions/new":                                         "L   403 403 403 200 403 200",
    "GET /sessions/{s}/edit":                                     "L   403 403 403 200 403 200",
    "POST /sessions/{s}/edit":                                    "L   403 403 403 200 403 200",
    "POST /sessions/{c}/cancel":                                  "L   403 403 403 303 403 303",
    "GET /sessions/{o}/roster":                                   "L   403 403 403 200 403 200",
    "POST /sessions/{o}/roster":                                  "L   403 403 403 303 403 303",
    "POST /sessions/{o}/roster/upload":                           "L   403 403 403 400 403 400",
    "POST /sessions/{o}/attendance/{p}/remove":                   "L   403 403 403 303 403 303",
    "GET /dashboard/sessions/":                                   "L   403 200 200 200 403 200",
    "GET /dashboard/sessions/{o}":                                "L   403 200 200 200 403 200",
    "GET /dashboard/sessions/{o}/roster.csv":                     "L   403 200 200 200 403 200",
    "GET /api/v1/sessions":                                       "401 200 200 200 200 200 200",
    "POST /api/v1/sessions":                                      "401 403 403 403 201 403 201",
    "GET /api/v1/sessions/{s}":                                   "401 200 200 200 200 200 200",
    "PATCH /api/v1/sessions/{s}":                                 "401 403 403 403 200 403 200",
    "POST /api/v1/sessions/{s}/registration":                     "401 201 201 201 201 201 201",
    "DELETE /api/v1/sessions/{s}/registration":                   "401 200 200 200 200 200 200",
    "POST /api/v1/sessions/{o}/attendance":                       "401 403 403 403 200 403 200",
    # The people import: {i} a preview (of a file adding one person). POST without a file: 400.
    # HR's confirmation applies it; the admin's, after, is refused as applied already (409).
    "GET /admin/people/import":                                   "L   403 403 403 200 403 200",
    "POST /admin/people/import":                                  "L   403 403 403 400 403 400",
    "GET /admin/people/import/{i}":                               "L   403 403 403 200 403 200",
    "GET /admin/people/import/{i}?show=created":                  "L   403 403 403 200 403 200",
    "POST /admin/people/import/{i}/confirm":                      "L   403 403 403 303 403 409",
    # People administration: {t} a learner to change, {k} one of their API tokens.
    "GET /admin/people":                                          "L   403 403 403 200 403 200",
    "GET /admin/people?q=pay&overdue=y&department={d}":           "L   403 403 403 200 403 200",
    "GET /admin/people/{t}":                                      "L   403 403 403 200 403 200",
    "POST /admin/people/{t}":                                     "L   403 403 403 200 403 200",
    "POST /admin/people/{t}/deactivate":                          "L   403 403 403 303 403 303",
    "POST /admin/people/{t}/reactivate":                          "L   403 403 403 303 403 303",
    "POST /admin/people/{t}/link":                                "L   403 403 403 303 403 303",
    "POST /admin/people/{t}/tokens/{k}/revoke":                   "L   403 403 403 403 403 303",
    "POST /settings/tokens":                                      "L   S   S   S   S   S   S",
    "POST /settings/tokens/{k}/revoke":                           "L   404 404 404 404 404 404",
}
# fmt: on

JSON_BODIES = {
    "POST /api/v1/modules/{m}/attempts": {"answers": {"1": [2], "2": [1, 2]}},
    "POST /api/v1/sessions": {
        "title": "Webinar",
        "kind": "webinar",
        "starts_at": "2030-01-01T09:00:00Z",
        "ends_at": "2030-01-01T10:00:00Z",
    },
    "PATCH /api/v1/sessions/{s}": {"location": "Room 2"},
    "POST /api/v1/sessions/{o}/attendance": {"emails": ["pay1@example.org"]},
}

REDIRECTS = {"L": "/login", "H": "/", "S": "/settings"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


class HiddenFields(HTMLParser):
    """The hidden fields of a page's POST forms, except the sign-out button in the nav."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.in_form = (attributes.get("method") or "").lower() == "post" and not (
                attributes.get("action") or ""
            ).endswith("/logout")
        elif tag == "input" and self.in_form and attributes.get("type") == "hidden":
            self.fields[attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def issued_form(client, url: str) -> dict[str, str]:
    parser = HiddenFields()
    with client.get(url) as page:
        if page.status_code == 200 and page.mimetype == "text/html":
            parser.feed(page.get_data(as_text=True))
    return parser.fields


def expected_answers(line: str) -> list[str]:
    answers = ACCESS[line].split()
    assert len(answers) == len(ROLES), f"{line!r}: one answer per role {ROLES} expected"
    return answers


def test_every_rule_answers_each_role_as_the_table_says(app, client, make_person, login, org):
    people = {
        "learner": org["pay1"],
        "manager-in": org["boss"],
        "manager-out": org["boss"],
        "hr": org["hr"],
        "author": make_person("author@example.org", roles="author"),
        "admin": make_person("admin@example.org", department="IT", roles="admin"),
    }
    attempt = db.session.scalar(
        select(Attempt.id)
        .join(Module, Module.id == Attempt.module_id)
        .where(Attempt.person_id == org["pay1"].id, Module.slug == "phishing")
    )
    values = {
        "d": "Finance/Payroll",
        "m": "phishing",
        "a": attempt,
        **live_sessions(org),
        **admin_targets(make_person),
    }
    values["i"] = import_preview(org)
    rules, wrong = rules_reached(app, values)
    for column, role in enumerate(ROLES):  # anonymous first, on a client nobody signed in yet
        for line in rules:
            method, template = line.split(" ", 1)
            expected = expected_answers(line)[column]
            url = template.format_map(values | ({"d": "IT"} if role == "manager-out" else {}))
            if role != "anonymous":
                login(people[role])  # again each time: a line may sign the person out
            with send(client, method, url, line, signed_in=role != "anonymous") as response:
                got = answer(response)
            if got != expected:
                wrong.append(f"{method} {url} as {role}: expected {expected}, got {got}")
    reached = set(rules.values())
    wrong.extend(
        f"{method} {rule.rule} (endpoint {rule.endpoint}): no line in ACCESS decides who may use it"
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - IGNORED_METHODS)
        if (rule.endpoint, method) not in reached
    )
    assert not wrong, "\n".join(wrong)


def live_sessions(org) -> dict[str, int]:
    """Sessions for the live session lines: {s} upcoming, {c} to cancel, {o} under way."""
    now = utcnow().replace(microsecond=0)
    ids = {}
    for key, starts in (("s", now + timedelta(days=2)), ("c", now + timedelta(days=3)),
                        ("o", now - timedelta(hours=1))):  # fmt: skip
        draft = planning.Draft("Seminar", "seminar", starts, starts + timedelta(hours=2))
        ids[key] = planning.create(db.session, draft).id
    db.session.commit()
    return {**ids, "p": org["pay1"].id}


def import_preview(org) -> str:
    """The key of a people import preview that adds one person (see /admin/people/import)."""
    rows = [PersonRow(2, "added@example.org", "Added", "Ops", "staff", "")]
    planned = importer.plan(db.session, rows)
    preview = previews.save(
        db.session, "people.csv", planned, [], invite=False, deactivate_missing=False,
        by=org["hr"], now=utcnow(),
    )  # fmt: skip
    db.session.commit()
    return preview.key


def admin_targets(make_person) -> dict[str, int]:
    """A learner for the people administration lines to change ({t}), and their token ({k})."""
    target = make_person("target@example.org", department="Finance/Payroll")
    issue_token(db.session, target, "script")
    db.session.commit()
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.person_id == target.id))
    return {"t": target.id, "k": token_id}


def rules_reached(app, values: dict) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """The (endpoint, method) each line of ACCESS reaches, and the lines that reach none."""
    adapter = app.url_map.bind("localhost")
    rules, stale = {}, []
    for line in ACCESS:
        method, template = line.split(" ", 1)
        try:
            endpoint, _ = adapter.match(urlsplit(template.format(**values)).path, method=method)
        except HTTPException:
            stale.append(f"{line}: reaches no rule of the URL map; correct or remove it")
            continue
        rules[line] = (endpoint, method)
    return rules, stale


def send(browser, method: str, url: str, line: str, *, signed_in: bool):
    if method == "GET":
        return browser.get(url)
    with browser.get("/" if signed_in else "/login") as page:
        token = csrf_token(page.get_data(as_text=True))
    headers = {"X-CSRFToken": token}
    if url.startswith("/api/"):
        return browser.open(url, method=method, json=JSON_BODIES.get(line, {}), headers=headers)
    form = {"csrf_token": token, **issued_form(browser, url)}
    return browser.open(url, method=method, data=form, headers=headers)


def answer(response) -> str:
    """The response in the table's terms: ``L``/``H`` for those redirects, else the status."""
    if response.status_code == 302:
        target = urlsplit(response.headers["Location"]).path
        for code, path in REDIRECTS.items():
            if target == path:
                return code
        return f"302 to {target}"
    return str(response.status_code)
