"""Reading the people CSV (docs/cli.md): each row checked, every problem kept with its line."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.content.problems import Problem
from awareness.models import ROLES, Layer
from awareness.people.directory import normalised_path, shown

COLUMNS = ("email", "name", "department", "layer", "roles")
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class FileProblem(Problem):
    """A problem with the whole file (empty, or a wrong header): no row was read."""


@dataclass(frozen=True)
class PersonRow:
    line: int
    email: str
    name: str
    department: str
    layer: str
    roles: str  # normalised: sorted, ";"-separated, without "learner"


def read_rows(
    handle: TextIO, filename: str, layer_ids: set[str]
) -> tuple[list[PersonRow], list[Problem]]:
    """Parse and validate every row; return the rows and a problem per bad row."""
    reader = csv.reader(handle)
    problems: list[Problem] = []
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        return [], [
            FileProblem(filename, 1, "the file is empty; expected the header " + ",".join(COLUMNS))
        ]
    except csv.Error as error:
        return [], [FileProblem(filename, 1, f"not readable as CSV: {error}")]
    missing = [column for column in COLUMNS if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        details = []
        if missing:
            details.append("missing column(s): " + ", ".join(missing))
        if unknown:
            details.append("unknown column(s): " + ", ".join(map(shown, unknown)))
        if len(set(header)) != len(header):
            details.append("a column appears twice")
        detail = "; ".join(details)
        expected = ",".join(COLUMNS)
        return [], [FileProblem(filename, 1, f"bad header ({detail}); expected {expected}")]
    index = {column: header.index(column) for column in COLUMNS}

    rows: list[PersonRow] = []
    first_line: dict[str, int] = {}
    end = reader.line_num  # the line a record ends on; a quoted field may span lines
    line = end
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num  # a row is named by its first line
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(filename, line, f"expected {len(header)} fields, found {len(cells)}")
                )
                continue
            values = {column: cells[position].strip() for column, position in index.items()}
            row, message = _validate(values, line, layer_ids)
            if row is None:
                problems.append(Problem(filename, line, message or "not a valid row"))
                continue
            if row.email in first_line:
                problems.append(
                    Problem(
                        filename,
                        line,
                        f"email {row.email} appears again (first on line {first_line[row.email]})",
                    )
                )
                continue
            first_line[row.email] = line
            rows.append(row)
    except csv.Error as error:
        problems.append(Problem(filename, end + 1, f"not readable as CSV: {error}"))
    return rows, problems


def _validate(
    values: dict[str, str], line: int, layer_ids: set[str]
) -> tuple[PersonRow | None, str | None]:
    for column in COLUMNS:  # control characters, line breaks, bidi overrides...
        if not values[column].isprintable():
            return None, f"{column} must be one line of printable text"
    email = values["email"].lower()
    if not email:
        return None, "email is empty"
    if len(email) > 254 or not EMAIL.match(email):
        return None, f"'{shown(values['email'])}' is not an email address"
    if not values["name"]:
        return None, "name is empty"
    if len(values["name"]) > 200:
        return None, "name is longer than 200 characters"
    department, problem = normalised_path(values["department"])
    if department is None:
        return None, problem
    if values["layer"] not in layer_ids:
        known = ", ".join(sorted(layer_ids)) or "none: run 'content sync' first"
        return None, f"unknown layer '{shown(values['layer'])}' (known: {known})"
    roles = {role.strip().lower() for role in values["roles"].split(";") if role.strip()}
    bad = sorted(roles - set(ROLES))
    if bad:
        return None, f"unknown role(s) {shown(', '.join(bad))} (known: {', '.join(ROLES)})"
    return (
        PersonRow(
            line=line,
            email=email,
            name=values["name"],
            department=department,
            layer=values["layer"],
            roles=";".join(sorted(roles - {"learner"})),
        ),
        None,
    )


def known_layers(session: Session) -> set[str]:
    return set(session.scalars(select(Layer.id)))
