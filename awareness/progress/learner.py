"""One person's training: the modules assigned to them, and their optional reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Attempt, Module, Person
from awareness.models.types import utcnow
from awareness.progress import catalogue
from awareness.progress.status import URGENCY, due_of, status_of


@dataclass(frozen=True)
class PersonModule:
    """A module assigned to one person, with its status."""

    module: Module
    status: str
    due: date | None
    best_score: int | None
    completed_at: datetime | None
    attempts: int
    #: Passed an earlier major only: a major rise asked them to take it again.
    revised_since_pass: bool = False


@dataclass(frozen=True)
class OptionalModule:
    """A module for the person's layer that is optional reading, with their best result."""

    module: Module
    best_score: int | None
    passed: bool


def person_assignments(
    session: Session, person_id: int, now: datetime | None = None
) -> list[PersonModule]:
    """Every module assigned to one person, with its status, the most urgent first."""
    rank = {status: index for index, status in enumerate(URGENCY)}
    return sorted(
        _person_modules(session, now, Assignment.person_id == person_id),
        key=lambda item: (
            rank[item.status],
            item.due or date.max,
            catalogue.order_key(item.module),
        ),
    )


def person_assignment(
    session: Session, person_id: int, module_id: int, now: datetime | None = None
) -> PersonModule | None:
    """One module's assignment to one person with its status, or None if it is not assigned."""
    found = _person_modules(
        session, now, Assignment.person_id == person_id, Assignment.module_id == module_id
    )
    return found[0] if found else None


def _person_modules(
    session: Session, now: datetime | None, *conditions: ColumnElement[bool]
) -> list[PersonModule]:
    now = now or utcnow()
    query = (
        select(Assignment, Module, status_of(now), _passed_earlier_major())
        .join(Module, Module.id == Assignment.module_id)
        .where(*conditions)
    )
    return [
        PersonModule(
            module=module,
            status=status,
            due=due_of(status, assignment.due_on, assignment.expires_at),
            best_score=assignment.best_score,
            completed_at=assignment.last_passed_at if status == "completed" else None,
            attempts=assignment.attempts,
            revised_since_pass=bool(earlier) and assignment.last_passed_at is None,
        )
        for assignment, module, status, earlier in session.execute(query)
    ]


def _passed_earlier_major() -> ColumnElement[bool]:
    """Whether the assignment's person passed the module at a major before its current one."""
    return (
        exists()
        .where(
            Attempt.person_id == Assignment.person_id,
            Attempt.module_id == Assignment.module_id,
            Attempt.major < Module.major,
            Attempt.passed,
        )
        .label("passed_earlier_major")
    )


def last_pass(session: Session, person_id: int, module: Module) -> datetime | None:
    """When ``person_id`` last passed ``module`` at its current major (None: never)."""
    return session.scalar(
        select(func.max(Attempt.submitted_at)).where(
            Attempt.person_id == person_id,
            Attempt.module_id == module.id,
            Attempt.major == module.major,
            Attempt.passed,
        )
    )


def optional_modules(session: Session, person: Person) -> list[OptionalModule]:
    """Live modules for the person's layer that are optional reading, with their best result."""
    best = (
        select(
            Attempt.module_id,
            func.max(Attempt.score).label("best_score"),
            func.max(case((Attempt.passed, 1), else_=0)).label("passed"),
        )
        .join(Module, Module.id == Attempt.module_id)
        .where(Attempt.person_id == person.id, Attempt.major == Module.major)
        .group_by(Attempt.module_id)
        .subquery()
    )
    rows = session.execute(
        select(Module, best.c.best_score, best.c.passed)
        .outerjoin(best, best.c.module_id == Module.id)
        .where(~Module.retired, ~Module.required, catalogue.for_layer(person.layer_id))
        .order_by(*catalogue.ORDER)
    )
    return [OptionalModule(module, score, bool(passed)) for module, score, passed in rows]
