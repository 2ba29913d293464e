"""The people directory import as a service: validation, upsert and departments."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from awareness.auth import sessions
from awareness.extensions import db
from awareness.models import Assignment, Department, LoginSession, Person, utcnow
from awareness.people.importer import apply_rows
from awareness.people.rows import read_rows

HEADER = "email,name,department,layer,roles\n"
LAYERS = {"leadership", "management", "staff", "technical"}
IDLE = timedelta(minutes=120)


def rows_of(text: str, layers: set[str] = LAYERS):
    return read_rows(io.StringIO(text), "people.csv", layers)


def problems_of(text: str) -> list[str]:
    _rows, problems = rows_of(text)
    return [str(problem) for problem in problems]


def load(text: str, **options):
    rows, problems = rows_of(text)
    assert problems == []
    result = apply_rows(db.session, rows, **options)
    db.session.commit()
    return result


def person(email: str) -> Person:
    return db.session.scalar(select(Person).where(Person.email == email))


# -- reading and validating rows -------------------------------------------


def test_good_rows_are_read_and_normalised():
    rows, problems = rows_of(
        HEADER + " Ann@Example.ORG , Ann Lee , Finance / Payroll ,staff, Manager ; learner;HR\n"
    )
    assert problems == []
    (row,) = rows
    assert (row.line, row.email, row.name) == (2, "ann@example.org", "Ann Lee")
    assert (row.department, row.layer, row.roles) == ("Finance/Payroll", "staff", "hr;manager")


def test_columns_may_come_in_any_order_and_blank_lines_are_skipped():
    text = "layer,roles,email,department,name\n\nstaff,,a@example.org,Ops,Ann\n"
    rows, problems = rows_of(text)
    assert problems == []
    assert [(r.line, r.email, r.name, r.department) for r in rows] == [
        (3, "a@example.org", "Ann", "Ops")
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("not-an-email,Ann,Ops,staff,", "'not-an-email' is not an email address"),
        (",Ann,Ops,staff,", "email is empty"),
        ("a@example.org,,Ops,staff,", "name is empty"),
        ("a@example.org,Ann,Ops,finance,",
         "unknown layer 'finance' (known: leadership, management, staff, technical)"),
        ("a@example.org,Ann,Ops,staff,boss",
         "unknown role(s) boss (known: learner, manager, hr, author, admin)"),
        ("a@example.org,Ann,Finance//Payroll,staff,",
         "department 'Finance//Payroll' must be a path such as Finance/Payroll"),
        ("a@example.org,Ann,,staff,", "department '' must be a path such as Finance/Payroll"),
        ("a@example.org,Ann,/Ops,staff,",
         "department '/Ops' must be a path such as Finance/Payroll"),
        ("a@example.org,Ann,Ops,staff", "expected 5 fields, found 4"),
    ],
)  # fmt: skip
def test_a_bad_row_is_reported_with_its_line(row, message):
    assert problems_of(HEADER + "ok@example.org,Ok,Ops,staff,\n" + row + "\n") == [
        f"people.csv:3: {message}"
    ]


def test_a_duplicate_email_is_reported_on_its_second_line():
    text = (
        HEADER
        + "a@example.org,Ann,Ops,staff,\nb@example.org,Bob,Ops,staff,\nA@EXAMPLE.org,X,Ops,staff,\n"
    )
    assert problems_of(text) == [
        "people.csv:4: email a@example.org appears again (first on line 2)"
    ]


def test_every_bad_row_is_reported():
    text = HEADER + "bad,Ann,Ops,staff,\nb@example.org,Bob,Ops,staff,\nc@example.org,,Ops,staff,\n"
    assert problems_of(text) == [
        "people.csv:2: 'bad' is not an email address",
        "people.csv:4: name is empty",
    ]


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("email,name,department,layer", "missing column(s): roles"),
        ("email,name,department,layer,roles,phone", "unknown column(s): phone"),
        ("mail,name,department,layer,roles", "missing column(s): email; unknown column(s): mail"),
    ],
)
def test_a_wrong_header_is_reported_on_line_1(header, detail):
    assert problems_of(header + "\n") == [
        f"people.csv:1: bad header ({detail}); expected email,name,department,layer,roles"
    ]


def test_an_empty_file_is_reported():
    assert problems_of("") == [
        "people.csv:1: the file is empty; expected the header email,name,department,layer,roles"
    ]


def test_a_quoted_field_may_hold_a_comma():
    rows, problems = rows_of(HEADER + 'a@example.org,"Lee, Ann",Ops,staff,\n')
    assert problems == []
    assert rows[0].name == "Lee, Ann"


# -- applying rows ---------------------------------------------------------


def test_people_are_created_with_departments_and_their_parents(content):
    result = load(
        HEADER
        + "ann@example.org,Ann,Finance/Payroll,staff,\n"
        + "bob@example.org,Bob,Finance/Procurement/Contracts,management,manager\n"
    )
    assert result.summary() == "created 2, updated 0, deactivated 0, unchanged 0"
    departments = db.session.scalars(select(Department).order_by(Department.path)).all()
    assert [(d.path, d.name, d.parent.path if d.parent else None) for d in departments] == [
        ("Finance", "Finance", None),
        ("Finance/Payroll", "Payroll", "Finance"),
        ("Finance/Procurement", "Procurement", "Finance"),
        ("Finance/Procurement/Contracts", "Contracts", "Finance/Procurement"),
    ]
    ann = person("ann@example.org")
    assert (ann.name, ann.department.path, ann.layer_id, ann.active) == (
        "Ann",
        "Finance/Payroll",
        "staff",
        True,
    )
    assert ann.role_set == {"learner"}
    assert person("bob@example.org").role_set == {"learner", "manager"}


def test_existing_people_are_updated_by_case_insensitive_email(content):
    load(HEADER + "ann@example.org,Ann,Finance,staff,\nbob@example.org,Bob,Finance,staff,\n")
    result = load(
        HEADER + "ANN@example.org,Ann Lee,Finance,staff,hr\nBob@Example.org,Bob,Finance,staff,\n"
    )
    assert result.summary() == "created 0, updated 1, deactivated 0, unchanged 1"
    ann = person("ann@example.org")
    assert (ann.name, ann.roles) == ("Ann Lee", "hr")
    assert db.session.scalar(select(func.count()).select_from(Person)) == 2


def test_moving_a_person_moves_their_assignments(content):
    load(HEADER + "ann@example.org,Ann,Finance,staff,\n")
    load(HEADER + "ann@example.org,Ann,IT,technical,\n")
    ann = person("ann@example.org")
    rows = db.session.execute(
        select(Assignment.department_id, Assignment.layer_id).where(Assignment.person_id == ann.id)
    ).all()
    assert set(rows) == {(ann.department_id, "technical")}
    assert len(rows) == 1  # welcome only: phishing is for staff and management


def test_deactivate_missing(content):
    load(HEADER + "ann@example.org,Ann,Ops,staff,\nbob@example.org,Bob,Ops,staff,\n")
    result = load(HEADER + "ann@example.org,Ann,Ops,staff,\n", deactivate_missing=True)
    assert result.summary() == "created 0, updated 0, deactivated 1, unchanged 1"
    bob = person("bob@example.org")
    assert bob is not None and not bob.active
    assert (
        db.session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.person_id == bob.id)
        )
        == 0
    )
    again = load(HEADER + "ann@example.org,Ann,Ops,staff,\n", deactivate_missing=True)
    assert again.summary() == "created 0, updated 0, deactivated 0, unchanged 1"


def test_deactivating_someone_signs_them_out_everywhere(content):
    load(HEADER + "ann@example.org,Ann,Ops,staff,\nbob@example.org,Bob,Ops,staff,\n")
    for email in ("ann@example.org", "bob@example.org", "bob@example.org"):
        sessions.start(db.session, person(email), remember=True, now=utcnow(), idle=IDLE)
    db.session.commit()
    load(HEADER + "ann@example.org,Ann,Ops,staff,\n", deactivate_missing=True)
    owners = db.session.scalars(select(LoginSession.person_id)).all()
    assert owners == [person("ann@example.org").id]


def test_without_deactivate_missing_absent_people_stay_active(content):
    load(HEADER + "ann@example.org,Ann,Ops,staff,\nbob@example.org,Bob,Ops,staff,\n")
    load(HEADER + "ann@example.org,Ann,Ops,staff,\n")
    assert person("bob@example.org").active


def test_a_deactivated_person_in_the_file_is_reactivated_from_today(content):
    load(HEADER + "ann@example.org,Ann,Ops,staff,\n")
    ann = person("ann@example.org")
    ann.active = False
    ann.activated_on = date(2020, 1, 1)
    db.session.commit()
    result = load(HEADER + "ann@example.org,Ann,Ops,staff,\n")
    assert result.summary() == "created 0, updated 1, deactivated 0, unchanged 0"
    ann = person("ann@example.org")
    assert ann.active
    assert ann.activated_on > date(2020, 1, 1)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.person_id == ann.id)
        )
        == 2
    )


def test_a_row_is_named_by_its_first_line_when_a_quoted_field_spans_lines():
    text = HEADER + 'a@example.org,"Ann\nLee",Ops,staff,\nbad,Bob,Ops,staff,\n'
    assert problems_of(text) == [
        "people.csv:2: name must be one line of printable text",
        "people.csv:4: 'bad' is not an email address",
    ]
