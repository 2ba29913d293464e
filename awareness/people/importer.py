"""Import the people directory from CSV: all rows or none."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness import audit
from awareness.auth import sessions
from awareness.content.problems import Problem
from awareness.models import ROLES, Department, Layer, Person
from awareness.models.types import utctoday
from awareness.people.directory import DepartmentCache, normalised_path, shown
from awareness.people.editing import roles_change
from awareness.progress import summary

COLUMNS = ("email", "name", "department", "layer", "roles")
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
REFRESH_CHUNK = 2000


@dataclass(frozen=True)
class PersonRow:
    line: int
    email: str
    name: str
    department: str
    layer: str
    roles: str  # normalised: sorted, ";"-separated, without "learner"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    changed_ids: set[int] = field(default_factory=set)
    created_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"deactivated {self.deactivated}, unchanged {self.unchanged}"
        )


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
            Problem(filename, 1, "the file is empty; expected the header " + ",".join(COLUMNS))
        ]
    except csv.Error as error:
        return [], [Problem(filename, 1, f"not readable as CSV: {error}")]
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
        return [], [Problem(filename, 1, f"bad header ({detail}); expected {','.join(COLUMNS)}")]
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


def apply_rows(
    session: Session,
    rows: Iterable[PersonRow],
    *,
    deactivate_missing: bool = False,
    progress: Callable[[int], None] | None = None,
    source: str = "",
) -> ImportResult:
    """Create or update a person per row (by email); the caller commits or rolls back.

    The audit log gets an entry for the run (``source`` names the file) and one
    per change of roles or activation.
    """
    today = utctoday()
    people = {person.email: person for person in session.scalars(select(Person))}
    departments = DepartmentCache(session)
    result = ImportResult()
    seen: set[str] = set()
    new_people: list[Person] = []
    changes: list[audit.Entry] = []
    for row in rows:
        seen.add(row.email)
        department = departments.get(row.department)
        person = people.get(row.email)
        if person is None:
            person = Person(
                email=row.email, name=row.name, department=department, layer_id=row.layer,
                roles=row.roles, active=True, activated_on=today,
            )  # fmt: skip
            session.add(person)
            new_people.append(person)
            result.created += 1
            if row.roles:
                changes.append(roles_change(row.email, None, row.roles))
        else:
            changes.extend(_update_and_count(person, row, department, today, result))
        if progress:
            progress(1)

    if deactivate_missing:
        deactivated = []
        for email, person in people.items():
            if person.active and email not in seen:
                person.active = False
                result.deactivated += 1
                result.changed_ids.add(person.id)
                changes.append(("person.deactivate", email, {"old": True, "new": False}))
                deactivated.append(person.id)
        sessions.end_all(session, deactivated)  # signed out at once, wherever they are

    session.flush()
    result.created_ids = [person.id for person in new_people]
    result.changed_ids.update(result.created_ids)
    ids = sorted(result.changed_ids)
    for start in range(0, len(ids), REFRESH_CHUNK):
        summary.refresh(session, person_ids=ids[start : start + REFRESH_CHUNK])
    run = {
        "created": result.created,
        "updated": result.updated,
        "deactivated": result.deactivated,
        "unchanged": result.unchanged,
        "deactivate_missing": deactivate_missing,
    }
    audit.record_many(session, [("people.import", source, run), *changes])
    return result


def _update_and_count(
    person: Person, row: PersonRow, department: Department, today: date, result: ImportResult
) -> list[audit.Entry]:
    """Apply ``row`` to ``person`` and count it; the audit entries its roles or activation need."""
    roles, active = person.roles, person.active
    if not _update(person, row, department, today):
        result.unchanged += 1
        return []
    result.updated += 1
    result.changed_ids.add(person.id)
    changes = []
    if person.roles != roles:
        changes.append(roles_change(row.email, roles, person.roles))
    if not active:
        changes.append(("person.activate", row.email, {"old": False, "new": True}))
    return changes


def _update(person: Person, row: PersonRow, department: Department, today: date) -> bool:
    """Apply ``row`` to ``person``; return whether anything changed."""
    changed = False
    for attribute, value in (
        ("name", row.name),
        ("department_id", department.id),
        ("layer_id", row.layer),
        ("roles", row.roles),
    ):
        if getattr(person, attribute) != value:
            setattr(person, attribute, value)
            changed = True
    if not person.active:
        person.active = True
        person.activated_on = today
        changed = True
    return changed
