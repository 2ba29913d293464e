"""The people importer on arbitrary text: rows or ``FILE:LINE`` problems, never a crash."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from awareness.content.problems import Problem
from awareness.extensions import db
from awareness.models import Person
from awareness.people.importer import apply_rows
from awareness.people.rows import COLUMNS, PersonRow, read_rows
from tests.helpers import XSS_PAYLOADS

LAYERS = {"leadership", "management", "staff", "technical"}
PROBLEM = re.compile(r"people\.csv:[1-9][0-9]*: \S")

#: Cells that are nearly right, and characters that upset CSV readers and databases.
CELLS = st.one_of(
    st.sampled_from(
        ["a@example.org", "B@Example.ORG", "Ann", "Finance/Payroll", "staff", "manager;hr", ""]
    ),
    st.text(alphabet=st.sampled_from(',"\r\n\t\x00/;@ aZ\u202e\u2028é²%_\\'), max_size=12),
    st.text(max_size=30),
    st.builds(lambda n: "x" * n, st.integers(150, 600)),
)
ROW = st.lists(CELLS, min_size=4, max_size=6)


def csv_text(header: list[str], rows: list[list[str]], newline: str) -> str:
    def line(cells: list[str]) -> str:
        return ",".join('"' + c.replace('"', '""') + '"' if set(c) & set(',"\r\n') else c
                        for c in cells)  # fmt: skip

    return newline.join(line(cells) for cells in [header, *rows]) + newline


TEXTS = st.one_of(
    st.text(max_size=300),
    st.builds(
        csv_text,
        st.one_of(st.just(list(COLUMNS)), st.permutations(COLUMNS), st.lists(CELLS, max_size=6)),
        st.lists(ROW, max_size=6),
        st.sampled_from(["\n", "\r\n", "\r"]),
    ),
)


def check(text: str) -> tuple[list[PersonRow], list[Problem]]:
    rows, problems = read_rows(io.StringIO(text, newline=""), "people.csv", LAYERS)
    for problem in problems:
        assert PROBLEM.match(str(problem)), problem
        assert str(problem).isprintable()  # nothing that could move a terminal's cursor
    for row in rows:
        assert row.email and row.name and row.department and row.layer in LAYERS
        assert all(value.isprintable() for value in (row.email, row.name, row.department))
    return rows, problems


@settings(max_examples=300, deadline=None, database=None)
@given(TEXTS)
def test_any_text_gives_rows_or_problems_naming_their_line(text):
    check(text)


#: Text the importer should accept, from every script (and markup, and formulas).
PRINTABLE = st.text(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
    min_size=1,
    max_size=60,
).filter(lambda text: text.strip() and "/" not in text)
NAMES = st.one_of(PRINTABLE, st.sampled_from(XSS_PAYLOADS), st.text(min_size=1, max_size=250))
PEOPLE_ROWS = st.lists(
    st.tuples(
        st.emails(),
        NAMES,
        st.lists(NAMES, min_size=1, max_size=4).map("/".join),
        st.sampled_from(["", "manager", "hr;author", "admin;learner"]),
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(PEOPLE_ROWS)
def test_rows_the_importer_accepts_are_stored_as_read(content, rows):
    """Whatever passes validation is stored exactly, on either database (no NUL, no overflow)."""
    text = csv_text(list(COLUMNS), [[e, n, d, "staff", r] for e, n, d, r in rows], "\n")
    accepted, problems = check(text)
    event("accepted" if not problems else "refused")
    if problems:
        return
    apply_rows(db.session, accepted)
    db.session.commit()
    for row in accepted:
        person = db.session.scalar(select(Person).where(Person.email == row.email))
        assert (person.name, person.department.path) == (row.name, row.department)
