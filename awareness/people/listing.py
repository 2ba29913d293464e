"""The people administration's list: search, filters and pages, in SQL however many people.

A page is one narrow query over ``person`` (the ids of the page, ordered by
name, with how many match, as a window count), one for the details of those
50 and one over the ``assignment`` summary for their overdue counts: nothing
is read per row, so a page costs about the same at 50,000 people as at 50.
The overdue filter reads the summary once (``IN``), not once per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
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
    """The ids of the people ``filters`` choose (joined to their department only to search)."""
    query = select(Person.id)
    terms = search_terms(filters.q)
    if terms:
        query = query.outerjoin(Department, Department.id == Person.department_id)
    for term in terms:
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
        query = query.where(Person.id.in_(select(Assignment.person_id).where(is_overdue(now))))
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
    page = max(page, 1)
    matching = _matching(session, filters, now)
    ranked = session.execute(
        matching.add_columns(func.count().over().label("total"))
        .order_by(Person.name, Person.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if ranked:
        total = int(ranked[0].total)
    elif page == 1:
        total = 0
    else:  # past the last page: how many pages there are, for the answer
        total = int(session.scalar(select(func.count()).select_from(matching.subquery())) or 0)
    ids = [row.id for row in ranked]
    return PeoplePage(_rows(session, ids, now), total, page, per_page)


def _rows(session: Session, ids: list[int], now: datetime) -> list[PersonRow]:
    """These people's rows, in the order of ``ids``."""
    if not ids:
        return []
    query = (
        select(
            Person.id,
            Person.name,
            Person.email,
            Department.path,
            Person.layer_id,
            Person.roles,
            Person.active,
        )
        .outerjoin(Department, Department.id == Person.department_id)
        .where(Person.id.in_(ids))
    )
    found = {row.id: row for row in session.execute(query)}
    overdue = overdue_counts(session, ids, now)
    return [
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
        for row in (found[person_id] for person_id in ids)
    ]


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
