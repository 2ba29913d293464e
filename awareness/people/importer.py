"""Import the people directory from CSV: all rows or none.

The file is read by :mod:`.rows`; here a plan is worked out (what each row
would change) and applied.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from awareness import audit
from awareness.auth import sessions
from awareness.models import Department, Person
from awareness.models.types import utctoday
from awareness.people.directory import DepartmentCache
from awareness.people.editing import roles_change
from awareness.people.rows import PersonRow, known_layers
from awareness.progress import summary

REFRESH_CHUNK = 2000


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


# -- planning: what a file would change, worked out before anything changes ---------

CREATE, UPDATE, UNCHANGED, DEACTIVATE = "create", "update", "unchanged", "deactivate"
#: What a step changes, in the order a preview shows it.
FIELDS = ("name", "department", "layer", "roles", "active")
LOAD_CHUNK = 1000


class Current(NamedTuple):
    """A person as the directory holds them now: what a file row is compared with."""

    id: int
    email: str
    name: str
    department: str  # its path; "" when the person has none
    layer: str | None
    roles: str
    active: bool


@dataclass(frozen=True)
class Step:
    """What the import does to one person: ``create``, ``update``, ``unchanged``, ``deactivate``.

    ``name`` to ``roles`` are the values the person has afterwards (for a
    deactivation: the values they keep); ``changes`` maps each changed field
    of :data:`FIELDS` to its (old, new) value. ``line`` is the file's line
    (None for a deactivation), ``person_id`` None for a person to create.
    """

    kind: str
    email: str
    name: str
    department: str
    layer: str
    roles: str
    line: int | None = None
    person_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class Plan:
    """Every step of an import, rows first (in file order), then deactivations.

    ``fingerprint`` sums up the people the import touches as they were when it
    was planned (see :func:`fingerprint`): a plan whose fingerprint no longer
    matches was made before someone changed them, and must not be applied.
    """

    steps: list[Step]
    deactivate_missing: bool
    fingerprint: str

    def count(self, kind: str) -> int:
        return sum(1 for step in self.steps if step.kind == kind)

    def counts(self) -> ImportResult:
        """The counts the import would print, without applying it."""
        return ImportResult(
            created=self.count(CREATE),
            updated=self.count(UPDATE),
            deactivated=self.count(DEACTIVATE),
            unchanged=self.count(UNCHANGED),
        )

    def emails(self) -> set[str]:
        """The addresses of the file's rows."""
        return {step.email for step in self.steps if step.kind != DEACTIVATE}


def directory(session: Session) -> dict[str, Current]:
    """Everyone in the directory by email: one query over the columns an import compares."""
    query = select(
        Person.id, Person.email, Person.name, func.coalesce(Department.path, ""),
        Person.layer_id, Person.roles, Person.active,
    ).outerjoin(Department, Department.id == Person.department_id).order_by(Person.id)  # fmt: skip
    return {row[1]: Current(*row) for row in session.execute(query)}


def plan(
    session: Session,
    rows: Iterable[PersonRow],
    *,
    deactivate_missing: bool = False,
) -> Plan:
    """What importing ``rows`` would do, compared with the directory now; changes nothing."""
    people = directory(session)
    steps: list[Step] = []
    seen: set[str] = set()
    for row in rows:
        seen.add(row.email)
        values = (row.email, row.name, row.department, row.layer, row.roles)
        current = people.get(row.email)
        if current is None:
            steps.append(Step(CREATE, *values, line=row.line))
            continue
        changes = _changes(current, row)
        kind = UPDATE if changes else UNCHANGED
        steps.append(Step(kind, *values, line=row.line, person_id=current.id, changes=changes))
    if deactivate_missing:
        steps.extend(
            Step(
                DEACTIVATE,
                current.email,
                current.name,
                current.department,
                current.layer or "",
                current.roles,
                person_id=current.id,
                changes={"active": (True, False)},
            )
            for current in people.values()
            if current.active and current.email not in seen
        )
    return Plan(
        steps,
        deactivate_missing,
        fingerprint(touched(people, seen, deactivate_missing), known_layers(session)),
    )


def _changes(current: Current, row: PersonRow) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    for name, old, new in (
        ("name", current.name, row.name),
        ("department", current.department, row.department),
        ("layer", current.layer, row.layer),
        ("roles", current.roles, row.roles),
    ):
        if old != new:
            changes[name] = (old, new)
    if not current.active:
        changes["active"] = (False, True)
    return changes


def touched(
    people: dict[str, Current], emails: Collection[str], deactivate_missing: bool
) -> Iterable[Current]:
    """The people an import of ``emails`` depends on: everyone with ``deactivate_missing``."""
    if deactivate_missing:
        return people.values()
    return [people[email] for email in emails if email in people]


def fingerprint(people: Iterable[Current], layers: Iterable[str]) -> str:
    """A digest of ``people`` (by email) and the layers: equal exactly when nothing differs."""
    digest = hashlib.sha256(repr(sorted(layers)).encode())
    for person in sorted(people, key=lambda current: current.email):
        digest.update(repr(tuple(person)).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def is_current(session: Session, planned: Plan) -> bool:
    """Whether the people ``planned`` touches are still as they were when it was planned."""
    people = directory(session)
    now = fingerprint(
        touched(people, planned.emails(), planned.deactivate_missing), known_layers(session)
    )
    return hmac.compare_digest(now, planned.fingerprint)


# -- applying a plan ------------------------------------------------------------------


def apply_rows(
    session: Session,
    rows: Iterable[PersonRow],
    *,
    deactivate_missing: bool = False,
    progress: Callable[[int], None] | None = None,
    source: str = "",
) -> ImportResult:
    """Plan ``rows`` and apply the plan at once (see :func:`apply`)."""
    planned = plan(session, rows, deactivate_missing=deactivate_missing)
    return apply(session, planned, progress=progress, source=source)


def apply(
    session: Session,
    planned: Plan,
    *,
    progress: Callable[[int], None] | None = None,
    source: str = "",
) -> ImportResult:
    """Carry out ``planned``; the caller commits or rolls back.

    The plan must be current (:func:`is_current`) when it was not made in the
    same transaction. The audit log gets an entry for the run (``source``
    names the file) and one per change of roles or activation; ``progress``
    is called once per row of the file.
    """
    today = utctoday()
    departments = DepartmentCache(session)
    updating = _load(session, [s.person_id for s in planned.steps if s.kind == UPDATE])
    result = ImportResult()
    new_people: list[Person] = []
    deactivated: list[int] = []
    changes: list[audit.Entry] = []
    for step in planned.steps:
        if step.kind == CREATE:
            new_people.append(_create(session, step, departments.get(step.department), today))
            result.created += 1
            if step.roles:
                changes.append(roles_change(step.email, None, step.roles))
        elif step.kind == UPDATE:
            person = updating[step.person_id]
            changes.extend(_update(person, step, departments.get(step.department), today))
            result.updated += 1
            result.changed_ids.add(person.id)
        elif step.kind == UNCHANGED:
            result.unchanged += 1
        else:
            deactivated.append(step.person_id or 0)
            changes.append(("person.deactivate", step.email, {"old": True, "new": False}))
        if progress and step.line is not None:
            progress(1)
    _deactivate(session, deactivated)
    result.deactivated = len(deactivated)
    result.changed_ids.update(deactivated)

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
        "deactivate_missing": planned.deactivate_missing,
    }
    audit.record_many(session, [("people.import", source, run), *changes])
    return result


def _load(session: Session, ids: list[int | None]) -> dict[int | None, Person]:
    """The people with these ids, read a chunk at a time."""
    people: dict[int | None, Person] = {}
    for start in range(0, len(ids), LOAD_CHUNK):
        chunk = ids[start : start + LOAD_CHUNK]
        people.update(
            (p.id, p) for p in session.scalars(select(Person).where(Person.id.in_(chunk)))
        )
    return people


def _create(session: Session, step: Step, department: Department, today: date) -> Person:
    person = Person(
        email=step.email, name=step.name, department=department, layer_id=step.layer,
        roles=step.roles, active=True, activated_on=today,
    )  # fmt: skip
    session.add(person)
    return person


def _update(person: Person, step: Step, department: Department, today: date) -> list[audit.Entry]:
    """Give ``person`` the values of ``step``; the audit entries its roles or activation need."""
    person.name = step.name
    person.department_id = department.id
    person.layer_id = step.layer
    person.roles = step.roles
    entries: list[audit.Entry] = []
    if "roles" in step.changes:
        entries.append(roles_change(step.email, step.changes["roles"][0], step.roles))
    if "active" in step.changes:
        person.active = True
        person.activated_on = today
        entries.append(("person.activate", step.email, {"old": False, "new": True}))
    return entries


def _deactivate(session: Session, ids: list[int]) -> None:
    """Deactivate these people and sign them out at once, wherever they are."""
    for start in range(0, len(ids), LOAD_CHUNK):
        chunk = ids[start : start + LOAD_CHUNK]
        session.execute(update(Person).where(Person.id.in_(chunk)).values(active=False))
    sessions.end_all(session, ids)
