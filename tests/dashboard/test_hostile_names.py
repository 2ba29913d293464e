"""Names and department paths holding markup or formulas are inert wherever they appear.

People are imported (as an HR person would) with every payload of
``XSS_PAYLOADS`` as a name and in a department path; then every page, CSV
download and API answer that shows them is read as a browser, a spreadsheet
and a script would.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from awareness.extensions import db
from awareness.models import Person
from awareness.people.accounts import issue_token
from awareness.people.importer import apply_rows
from awareness.people.rows import COLUMNS, known_layers, read_rows
from awareness.reporting.export import FORMULA_STARTS
from tests.helpers import XSS_PAYLOADS

#: Each payload as a department below Hostile (a "/" in it makes a deeper department, and
#: the importer trims the spaces around each level).
DEPARTMENTS = [
    "/".join(filter(None, (level.strip() for level in f"Hostile/{payload}".split("/"))))
    for payload in XSS_PAYLOADS
]
LAYERS = {"leadership", "management", "staff", "technical"}
DOWNLOADS = [
    "/dashboard/coverage.csv?by=department",
    "/dashboard/heatmap.csv",
    "/dashboard/assignments.csv",
    "/dashboard/people.csv",
]


def csv_file(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([list(COLUMNS), *rows])
    return buffer.getvalue()


@pytest.fixture
def hostile(content):
    """People named by the payloads, in departments named by them; an HR person; a manager."""
    rows = [
        [f"p{index}@example.org", payload, department, "staff", ""]
        for index, (payload, department) in enumerate(zip(XSS_PAYLOADS, DEPARTMENTS, strict=True))
    ]
    rows += [
        ["hr@example.org", "Harriet", "Office", "leadership", "hr;admin"],
        ["boss@example.org", XSS_PAYLOADS[1], "Hostile", "management", "manager"],
    ]
    people, problems = read_rows(
        io.StringIO(csv_file(rows)), "people.csv", known_layers(db.session)
    )
    assert problems == []
    apply_rows(db.session, people)
    db.session.commit()
    return {person.email: person for person in db.session.query(Person)}


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would build them."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str, payloads=XSS_PAYLOADS) -> None:
    """No payload survives as markup: no handler, inline script or script link anywhere."""
    escaped = {str(escape(payload)) for payload in payloads}
    for payload in payloads:
        # A payload that is another one escaped is exactly how that one is shown.
        if set(payload) & set("<>\"'&") and payload not in escaped:
            assert payload not in html, payload
    for tag, attrs in Tags(html).tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert tag != "script" or attrs.get("src"), "an inline script"
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), (tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x"), attrs


def shown(html: str, text: str) -> bool:
    return str(escape(text)) in html


def test_dashboard_pages_show_hostile_names_as_text(client, login, hostile):
    login(hostile["hr@example.org"])
    overview = client.get("/dashboard/")
    assert overview.status_code == 200
    assert_inert(overview.text)
    for department in DEPARTMENTS:
        assert shown(overview.text, department)  # in the heat map's table
    links = re.findall(r'href="(/dashboard/departments/[^"]+)"', overview.text)
    assert len({unescape(link) for link in links}) >= len(DEPARTMENTS)
    for link in {unescape(link) for link in links}:
        page = client.get(link)
        assert page.status_code == 200, link  # the link names its department exactly
        assert_inert(page.text)
    roster = client.get("/dashboard/departments/Hostile").text
    for payload in XSS_PAYLOADS:
        assert shown(roster, payload)
    module = client.get("/dashboard/modules/phishing").text
    assert_inert(module)
    assert all(shown(module, department) for department in DEPARTMENTS)


def test_a_manager_of_a_hostile_department_sees_it_as_text(client, login, hostile):
    login(hostile["boss@example.org"])
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert_inert(page.text)
    assert "Your departments: Hostile" in page.text


def test_filters_and_error_pages_show_a_hostile_value_as_text(client, login, hostile):
    login(hostile["hr@example.org"])
    for department in DEPARTMENTS:
        chosen = client.get("/dashboard/", query_string={"department": department})
        assert chosen.status_code == 200
        assert_inert(chosen.text)
        assert f'<option selected value="{escape(department)}">' in chosen.text
    for payload in XSS_PAYLOADS:
        unknown = client.get("/dashboard/", query_string={"department": payload})
        assert unknown.status_code == 400
        assert_inert(unknown.text)
        assert shown(unknown.text, f"There is no department {payload}.")


def test_learner_pages_and_settings_show_a_hostile_name_as_text(client, login, hostile):
    for email in ("p0@example.org", "p1@example.org", "p4@example.org"):
        person = hostile[email]
        login(person)
        for url in ("/", "/modules/phishing", "/modules/phishing/quiz", "/modules/welcome"):
            response = client.get(url)
            assert response.status_code == 200
            assert_inert(response.text)
        settings = client.get("/settings").text
        assert_inert(settings)
        assert shown(settings, person.name) and shown(settings, person.department.path)


def test_csv_downloads_neutralise_formulas(client, login, hostile):
    login(hostile["hr@example.org"])
    for url in DOWNLOADS:
        response = client.get(url)
        assert (url, response.status_code, response.mimetype) == (url, 200, "text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        cells = [cell for row in rows for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], url
        if "name" in rows[0]:  # every name is there, a formula one made text by a quote
            names = {row[rows[0].index("name")] for row in rows[1:]}
            for payload in XSS_PAYLOADS:
                assert ("'" + payload if payload.startswith(FORMULA_STARTS) else payload) in names
        for department in DEPARTMENTS:
            assert department in cells, url  # markup needs no escaping in a CSV, only quoting


def test_the_api_returns_hostile_names_exactly_as_json(client, hostile):
    people = [hostile[f"p{index}@example.org"] for index in range(len(XSS_PAYLOADS))]
    tokens = {person.email: issue_token(db.session, person) for person in people}
    tokens["hr"] = issue_token(db.session, hostile["hr@example.org"])
    db.session.commit()
    for person in people:
        response = client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {tokens[person.email]}"}
        )
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert json.loads(response.text)["name"] == person.name
        assert json.loads(response.text)["department"] == person.department.path
    coverage = client.get(
        "/api/v1/coverage?by=department", headers={"Authorization": f"Bearer {tokens['hr']}"}
    ).get_json()
    paths = {row["key"] for row in coverage["rows"]}
    assert set(DEPARTMENTS) <= paths
    labels = {row["label"] for row in coverage["rows"]}
    assert {payload for payload in XSS_PAYLOADS if "/" not in payload} <= labels


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Ann\x1b[31mLee", "name must be one line of printable text"),
        ("Ann\u202eeeL", "name must be one line of printable text"),
        ("Ann\u2028Lee", "name must be one line of printable text"),
        ("Ann\x00", "name must be one line of printable text"),
    ],
)
def test_the_importer_refuses_control_characters_with_file_and_line(cell, message):
    rows = [
        ["a@example.org", "Ann", "Ops", "staff", ""],
        ["b@example.org", cell, "Ops", "staff", ""],
    ]
    _rows, problems = read_rows(io.StringIO(csv_file(rows)), "people.csv", LAYERS)
    assert [str(problem) for problem in problems] == [f"people.csv:3: {message}"]


@pytest.mark.parametrize("column", ["email", "department", "layer", "roles"])
def test_every_column_refuses_control_characters(column):
    row = dict(zip(COLUMNS, ["a@example.org", "Ann", "Ops", "staff", ""], strict=True))
    row[column] = row[column][:1] + "\x1b[2J" + row[column][1:]
    text = csv_file([[row[name] for name in COLUMNS]])
    _rows, problems = read_rows(io.StringIO(text), "people.csv", LAYERS)
    assert [str(problem) for problem in problems] == [
        f"people.csv:2: {column} must be one line of printable text"
    ]


def test_a_department_path_longer_than_the_database_holds_is_refused():
    long_path = "/".join(["d" * 200] * 3)
    rows = [["a@example.org", "Ann", long_path, "staff", ""]]
    _rows, problems = read_rows(io.StringIO(csv_file(rows)), "people.csv", LAYERS)
    assert [str(problem) for problem in problems] == [
        "people.csv:2: the department path is longer than 500 characters"
    ]
