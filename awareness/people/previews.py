"""People imports previewed in the browser: planned and kept in the database, applied once.

An upload is read and planned (:mod:`.importer`) without changing anyone, and
the plan is stored (:class:`~awareness.models.PeopleImport`), so whichever
server answers the confirmation finds it. Confirming applies it at most once
(a conditional update claims it in the applying transaction), and only while
the people it touches are as they were when it was planned; previews expire
after :data:`EXPIRES_AFTER` and are deleted when the next one is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from awareness.content.problems import Problem
from awareness.models import PeopleImport, PeopleImportStep, Person
from awareness.models.types import rows_affected
from awareness.people import editing, importer
from awareness.people.importer import ImportResult, Plan, Step

EXPIRES_AFTER = timedelta(hours=1)
PROBLEM = "problem"
#: Steps are written this many rows to a statement.
INSERT_CHUNK = 5000


class Refused(Exception):
    """A preview that cannot be applied; ``reason`` says why.

    ``gone`` (no such preview: expired and deleted), ``expired``, ``applied``
    (already, by an earlier confirmation), ``problems`` (the file has bad
    rows), ``stale`` (someone changed the people it touches since), or
    ``not_allowed`` (it makes a change only an administrator may make, see
    :func:`not_allowed`, and who confirmed is not one).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def save(
    session: Session,
    filename: str,
    planned: Plan | None,
    problems: Sequence[Problem],
    *,
    invite: bool,
    deactivate_missing: bool,
    by: Person | None,
    now: datetime,
) -> PeopleImport:
    """Store a preview: the plan, or the bad rows (with which nothing is planned). Flushes."""
    counts = planned.counts() if planned and not problems else ImportResult()
    preview = PeopleImport(
        created_at=now, created_by_id=by.id if by else None, filename=filename,
        deactivate_missing=deactivate_missing, invite=invite,
        fingerprint=planned.fingerprint if planned else "", created=counts.created,
        updated=counts.updated, deactivated=counts.deactivated, unchanged=counts.unchanged,
        problems=len(problems),
    )  # fmt: skip
    session.add(preview)
    session.flush()
    if problems:
        rows = [_problem_row(preview.id, n, p) for n, p in enumerate(problems)]
    else:
        rows = [_step_row(preview.id, n, s) for n, s in enumerate(planned.steps if planned else [])]
    table = cast(Table, PeopleImportStep.__table__)
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(insert(table), rows[start : start + INSERT_CHUNK])
    return preview


def _step_row(import_id: int, position: int, step: Step) -> dict[str, Any]:
    return {
        "import_id": import_id, "position": position, "kind": step.kind, "line": step.line,
        "email": step.email, "person_id": step.person_id, "name": step.name,
        "department": step.department, "layer": step.layer, "roles": step.roles,
        "changes": {name: list(values) for name, values in step.changes.items()} or None,
        "message": None,
    }  # fmt: skip


def _problem_row(import_id: int, position: int, problem: Problem) -> dict[str, Any]:
    return {
        "import_id": import_id, "position": position, "kind": PROBLEM, "line": problem.line or None,
        "email": "", "person_id": None, "name": "", "department": "", "layer": "", "roles": "",
        "changes": None, "message": problem.message,
    }  # fmt: skip


def not_allowed(planned: Plan, actor: Person, filename: str) -> list[Problem]:
    """The steps of ``planned`` that ``actor`` may not make from the browser, as bad rows.

    The rules of a person's page (:mod:`.editing`): only an administrator grants
    or removes ``admin`` or deactivates or reactivates an administrator; nobody
    removes their own ``admin`` or deactivates themselves. A deactivation has
    no line of the file: its problem has line 0 and names the person.
    """
    problems: list[Problem] = []
    for step in planned.steps:
        why = _refusal(step, actor)
        if why and step.line:
            problems.append(Problem(filename, step.line, why))
        elif why:
            problems.append(Problem(filename, 0, f"{step.email}: {why}"))
    return problems


def _refusal(step: Step, actor: Person) -> str | None:
    """Why ``actor`` may not make ``step``, or None."""
    roles = editing.role_list(step.roles)
    if step.kind == importer.DEACTIVATE:
        return editing.activation_refusal(actor, step.person_id, roles, False)
    if step.kind == importer.CREATE:
        return editing.role_refusal(actor, None, [], roles)
    old = editing.role_list(step.changes["roles"][0]) if "roles" in step.changes else roles
    why = editing.role_refusal(actor, step.person_id, old, roles)
    if why is None and "active" in step.changes:
        why = editing.activation_refusal(actor, step.person_id, roles, True)
    return why


def clean_up(session: Session, now: datetime) -> int:
    """Delete the previews older than :data:`EXPIRES_AFTER`, applied or not; how many."""
    old = select(PeopleImport.id).where(PeopleImport.created_at < now - EXPIRES_AFTER)
    session.execute(delete(PeopleImportStep).where(PeopleImportStep.import_id.in_(old)))
    return rows_affected(session.execute(delete(PeopleImport).where(PeopleImport.id.in_(old))))


def expired(preview: PeopleImport, now: datetime) -> bool:
    return preview.created_at < now - EXPIRES_AFTER


def steps(
    session: Session, preview_id: int, kind: str, *, offset: int = 0, limit: int | None = None
) -> list[PeopleImportStep]:
    """The preview's steps of one kind (or its bad rows: ``problem``), in file order."""
    query = (
        select(PeopleImportStep)
        .where(PeopleImportStep.import_id == preview_id, PeopleImportStep.kind == kind)
        .order_by(PeopleImportStep.position)
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(query))


def count(session: Session, preview_id: int, kind: str) -> int:
    query = select(func.count()).where(
        PeopleImportStep.import_id == preview_id, PeopleImportStep.kind == kind
    )
    return session.scalar(query) or 0


def plan_of(session: Session, preview: PeopleImport) -> Plan:
    """The stored plan, as :func:`importer.plan` made it."""
    query = (
        select(PeopleImportStep)
        .where(PeopleImportStep.import_id == preview.id, PeopleImportStep.kind != PROBLEM)
        .order_by(PeopleImportStep.position)
        .execution_options(yield_per=INSERT_CHUNK)
    )
    planned = [
        Step(
            row.kind,
            row.email,
            row.name,
            row.department,
            row.layer,
            row.roles,
            line=row.line,
            person_id=row.person_id,
            changes={name: (old, new) for name, (old, new) in (row.changes or {}).items()},
        )
        for row in session.scalars(query)
    ]
    return Plan(planned, preview.deactivate_missing, preview.fingerprint)


def find(session: Session, key: str) -> PeopleImport | None:
    """The preview whose address names ``key``."""
    return session.scalar(select(PeopleImport).where(PeopleImport.key == key))


def confirm(session: Session, key: str, *, by: Person | None, now: datetime) -> ImportResult:
    """Apply the preview, once; raise :class:`Refused` when it cannot be. The caller commits.

    The claim (``applied_at``) is made by a conditional update in the same
    transaction as the changes: a second confirmation, on any server, finds it
    taken and changes nothing; a refusal after the claim is rolled back with it.
    """
    claimed = session.execute(
        update(PeopleImport)
        .where(
            PeopleImport.key == key,
            PeopleImport.applied_at.is_(None),
            PeopleImport.problems == 0,
            PeopleImport.created_at >= now - EXPIRES_AFTER,
        )
        .values(applied_at=now, applied_by_id=by.id if by else None)
        .execution_options(synchronize_session=False)
    )
    preview = session.scalar(
        select(PeopleImport)
        .where(PeopleImport.key == key)
        .execution_options(populate_existing=True)
    )
    if preview is None:
        raise Refused("gone")
    if not rows_affected(claimed):
        raise Refused(_why_not(preview))
    _lock_people(session)
    planned = plan_of(session, preview)
    if by is not None and not_allowed(planned, by, preview.filename):
        raise Refused("not_allowed")
    if not importer.is_current(session, planned):
        raise Refused("stale")
    result = importer.apply(session, planned, source=preview.filename)
    preview.outcome = outcome(result)
    return result


def _why_not(preview: PeopleImport) -> str:
    if preview.applied_at is not None:
        return "applied"
    if preview.problems:
        return "problems"
    return "expired"


def _lock_people(session: Session) -> None:
    """Keep others from changing people until this transaction ends (SQLite: it holds the
    write lock already, taken when the request began)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE person IN EXCLUSIVE MODE"))


def outcome(result: ImportResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "deactivated": result.deactivated,
        "unchanged": result.unchanged,
    }
