"""The people administration's list: search, filters and pages, in SQL however many people.

A page is two queries over ``person`` (its rows, ordered by name, and how many
match) and one over the ``assignment`` summary for the overdue counts of the
people on it: nothing is read per row, so a page costs the same at 50,000
people as at 50.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Department, Person, utcnow
from awareness.people.directory import department_ids_under
from awareness.people.editing import role_list
from awareness.progress.status import is_completed, is_expired, is_past_due

PER_PAGE = 50
#: The words of a search after which the rest are ignored, and the longest one.
MAX_TERMS = 6
MAX_SEARCH = 200
#: What the ``active`` filter can be.
ACTIVITY = ("active", "inactive", "all")
#: The ``role`` filter's value for people who hold no role beyond learner.
LEARNER_ONLY = "learner"


@dataclass(frozen=True)
class PeopleFilters:
    """What to list. Empty values are no filter."""

    q: str = ""
    department: str | None = None  # a path: that department and every one below it
    layer: str | None = None
    role: str | None = None  # a role; ``learner``: nobody with a role beyond learner
    active: str = "all"
    overdue: bool = False


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    email: str
    department: str | None
    layer: str | None
    roles: list[str]
    active: bool
    overdue: int


@dataclass(frozen=True)
class PeoplePage:
    people: list[PersonRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_terms(q: str) -> list[str]:
    """The words of a search, at most :data:`MAX_TERMS` of them."""
    return q[:MAX_SEARCH].split()[:MAX_TERMS]


def is_overdue(now: datetime) -> ColumnElement[bool]:
    """An assignment counted as overdue (docs/metrics.md): not completed, past due or expired."""
    return case((is_completed(now), 0), (or_(is_expired(now), is_past_due(now)), 1), else_=0) == 1


def _matching(session: Session, filters: PeopleFilters, now: datetime) -> Select[Any]:
    """``person`` (with its department) narrowed to ``filters``; the caller chooses the columns."""
    query = select(Person.id).outerjoin(Department, Department.id == Person.department_id)
    for term in search_terms(filters.q):
        query = query.where(
            or_(
                Person.name.icontains(term, autoescape=True),
                Person.email.icontains(term, autoescape=True),
                Department.path.icontains(term, autoescape=True),
            )
        )
    if filters.department:
        ids = department_ids_under(session, [filters.department])
        query = query.where(Person.department_id.in_(ids))
    if filters.layer:
        query = query.where(Person.layer_id == filters.layer)
    if filters.role == LEARNER_ONLY:
        query = query.where(Person.roles == "")
    elif filters.role:
        wrapped = literal(";") + Person.roles + literal(";")
        query = query.where(wrapped.contains(f";{filters.role};", autoescape=True))
    if filters.active == "active":
        query = query.where(Person.active.is_(True))
    elif filters.active == "inactive":
        query = query.where(Person.active.is_(False))
    if filters.overdue:
        query = query.where(
            exists().where(and_(Assignment.person_id == Person.id, is_overdue(now)))
        )
    return query


def people_page(
    session: Session,
    filters: PeopleFilters,
    page: int = 1,
    *,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> PeoplePage:
    """One page of the people ``filters`` choose, by name, each with their overdue count."""
    now = now or utcnow()
    matching = _matching(session, filters, now)
    total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    rows = session.execute(
        matching.with_only_columns(
            Person.id,
            Person.name,
            Person.email,
            Department.path,
            Person.layer_id,
            Person.roles,
            Person.active,
        )
        .order_by(Person.name, Person.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    overdue = overdue_counts(session, [row.id for row in rows], now)
    people = [
        PersonRow(
            id=row.id,
            name=row.name,
            email=row.email,
            department=row.path,
            layer=row.layer_id,
            roles=role_list(row.roles),
            active=row.active,
            overdue=overdue.get(row.id, 0),
        )
        for row in rows
    ]
    return PeoplePage(people, int(total), page, per_page)


def overdue_counts(session: Session, person_ids: list[int], now: datetime) -> dict[int, int]:
    """How many overdue assignments each of these people has (absent: none)."""
    if not person_ids:
        return {}
    query = (
        select(Assignment.person_id, func.count())
        .where(Assignment.person_id.in_(person_ids), is_overdue(now))
        .group_by(Assignment.person_id)
    )
    return {person_id: int(count) for person_id, count in session.execute(query)}
