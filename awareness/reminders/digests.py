"""Managers' weekly digests: their departments' coverage and who is overdue.

A digest shows the manager's department and every department below it (the
manager's scope on the dashboard), never anyone outside them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Department, EmailMessage, Person
from awareness.people.directory import department_ids_under
from awareness.progress.status import is_completed, is_expired, is_past_due
from awareness.reminders.series import Planned
from awareness.reporting.coverage import coverage
from awareness.reporting.figures import Filters

#: At most once every this many days (docs/email.md: weekly).
EVERY_DAYS = 7
#: A digest names at most this many overdue people; the dashboard lists them all.
MAX_NAMES = 200


def eligible_for_digest(person: Any) -> bool:
    """Whether ``person`` manages departments, so a digest is offered to them."""
    return bool(
        getattr(person, "active", False)
        and person.has_role("manager")
        and person.department_id is not None
    )


def _recipient() -> ColumnElement[bool]:
    """Managers who want a digest. ``manager`` is the only role name containing "manager"."""
    return and_(
        Person.active,
        Person.wants_digest,
        Person.roles.like("%manager%"),
        Person.department_id.is_not(None),
    )


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person).where(_recipient())) or 0


def manager_batches(session: Session, size: int) -> Iterator[list[int]]:
    """The ids of managers who want a digest, ``size`` at a time."""
    last = 0
    while True:
        ids = list(
            session.scalars(
                select(Person.id)
                .where(_recipient(), Person.id > last)
                .order_by(Person.id)
                .limit(size)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def still_wanted() -> ColumnElement[bool]:
    """For an unsent digest: its person is still a manager who wants one."""
    return exists().where(Person.id == EmailMessage.person_id, _recipient())


def is_overdue(now: datetime) -> ColumnElement[bool]:
    """Overdue as the coverage figures count it: not completed, expired or past due."""
    return and_(~is_completed(now), or_(is_expired(now), is_past_due(now)))


def plan(
    session: Session, manager_ids: list[int], now: datetime, language_of: Any
) -> list[Planned]:
    managers = session.execute(
        select(Person.id, Person.email, Person.name, Person.language, Department.path)
        .join(Department, Department.id == Person.department_id)
        .where(Person.id.in_(manager_ids), _recipient())
    )
    return [
        Planned(
            person_id=manager.id,
            to_address=manager.email,
            language=language_of(manager.language),
            details={
                "name": manager.name,
                "root": manager.path,
                **summary(session, manager.path, now),
            },
        )
        for manager in managers
    ]


def summary(session: Session, root: str, now: datetime) -> dict[str, Any]:
    """Coverage of ``root`` and each department below it, and who in them is overdue."""
    scope = department_ids_under(session, [root])
    report = coverage(session, "department", Filters(department_ids=scope), now)
    departments = [
        {
            "path": row.key,
            "assigned": row.figures.assigned,
            "completed": row.figures.completed,
            "overdue": row.figures.overdue,
            "coverage": row.figures.coverage,
        }
        for row in report.rows
    ]
    overdue_people = session.execute(
        select(Person.name, Department.path, func.count())
        .select_from(Assignment)
        .join(Person, Person.id == Assignment.person_id)
        .join(Department, Department.id == Assignment.department_id)
        .where(Assignment.department_id.in_(scope), is_overdue(now))
        .group_by(Person.id, Person.name, Department.path)
        .order_by(Department.path, Person.name, Person.id)
        .limit(MAX_NAMES + 1)
    ).all()
    total_overdue_people = session.scalar(
        select(func.count(func.distinct(Assignment.person_id))).where(
            Assignment.department_id.in_(scope), is_overdue(now)
        )
    )
    return {
        "departments": departments,
        "total": {
            "assigned": report.total.assigned,
            "completed": report.total.completed,
            "overdue": report.total.overdue,
            "coverage": report.total.coverage,
        },
        "overdue_people": [
            {"name": name, "department": path, "modules": modules}
            for name, path, modules in overdue_people[:MAX_NAMES]
        ],
        "overdue_people_total": total_overdue_people or 0,
    }
