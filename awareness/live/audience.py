"""Who a live session is for, and the sessions a person sees.

A session's audience is a set of layers and a set of departments. Within a set
any one matches; across the two, both must: layers ``[leadership]`` with
departments ``[Finance]`` is Finance's leadership. An empty set is no limit, so
a session with neither is for everyone. A department includes every department
below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from awareness.models import (
    Attendance,
    Department,
    LiveSession,
    LiveSessionDepartment,
    LiveSessionLayer,
    Person,
    Registration,
)
from awareness.people.directory import ancestors


def department_chain(session: Session, person: Person) -> list[int]:
    """The ids of the person's department and every department above it."""
    if person.department is None:
        return []
    paths = ancestors(person.department.path)
    return list(session.scalars(select(Department.id).where(Department.path.in_(paths))))


def open_to(person: Person, chain: list[int]) -> ColumnElement[bool]:
    """SQL: the live session is for ``person`` (``chain`` from :func:`department_chain`)."""
    layer_rows = LiveSessionLayer.session_id == LiveSession.id
    department_rows = LiveSessionDepartment.session_id == LiveSession.id
    return and_(
        or_(
            ~exists().where(layer_rows),
            exists().where(layer_rows, LiveSessionLayer.layer_id == person.layer_id),
        ),
        or_(
            ~exists().where(department_rows),
            exists().where(department_rows, LiveSessionDepartment.department_id.in_(chain)),
        ),
    )


def is_open_to(session: Session, live: LiveSession, person: Person) -> bool:
    """Whether ``live`` is for ``person``."""
    layers = {row.layer_id for row in live.layers}
    if layers and person.layer_id not in layers:
        return False
    departments = {row.department_id for row in live.departments}
    return not departments or not departments.isdisjoint(department_chain(session, person))


def audience_labels(session: Session, live: LiveSession) -> tuple[list[str], list[str]]:
    """The session's layer ids and department paths (both empty: everyone)."""
    ids = [row.department_id for row in live.departments]
    paths = (
        sorted(session.scalars(select(Department.path).where(Department.id.in_(ids))))
        if ids
        else []
    )
    return [row.layer_id for row in live.layers], paths


@dataclass(frozen=True)
class Listing:
    """A session as a person sees it in a list."""

    live: LiveSession
    registered: int
    mine: bool  # the person is registered
    attended: bool

    @property
    def places_left(self) -> int | None:
        capacity = self.live.capacity
        return None if capacity is None else max(0, capacity - self.registered)

    @property
    def full(self) -> bool:
        return self.places_left == 0


def registered_count() -> ScalarSelect[int]:
    """A correlated SQL count of a session's registrations."""
    return (
        select(func.count())
        .select_from(Registration)
        .where(Registration.session_id == LiveSession.id)
        .scalar_subquery()
    )


def sessions_for(
    session: Session, person: Person, now: datetime, *, everything: bool = False
) -> list[Listing]:
    """Sessions that have not ended: those for the person (cancelled ones only if registered).

    The person's own registrations and the sessions they facilitate are
    always there. ``everything`` (HR) lists every session, cancelled too.
    """
    mine = exists().where(
        Registration.session_id == LiveSession.id, Registration.person_id == person.id
    )
    attended = exists().where(
        Attendance.session_id == LiveSession.id, Attendance.person_id == person.id
    )
    shown = or_(
        and_(
            LiveSession.cancelled_at.is_(None), open_to(person, department_chain(session, person))
        ),
        mine,
        LiveSession.facilitator_id == person.id,
    )
    query = (
        select(LiveSession, registered_count(), mine, attended)
        .where(LiveSession.ends_at >= now)
        .order_by(LiveSession.starts_at, LiveSession.id)
        .options(selectinload(LiveSession.module))
    )
    if not everything:
        query = query.where(shown)
    return [Listing(*row) for row in session.execute(query)]


def attended_by(session: Session, person: Person, limit: int = 20) -> list[LiveSession]:
    """The sessions the person attended, the latest first."""
    query = (
        select(LiveSession)
        .join(Attendance, Attendance.session_id == LiveSession.id)
        .where(Attendance.person_id == person.id)
        .order_by(LiveSession.starts_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def next_for(session: Session, person: Person, now: datetime) -> LiveSession | None:
    """The next session the person registered for that is not cancelled and has not ended."""
    query = (
        select(LiveSession)
        .join(Registration, Registration.session_id == LiveSession.id)
        .where(
            Registration.person_id == person.id,
            LiveSession.cancelled_at.is_(None),
            LiveSession.ends_at >= now,
        )
        .order_by(LiveSession.starts_at, LiveSession.id)
        .limit(1)
    )
    return session.scalar(query)


def listing(session: Session, live: LiveSession, person: Person) -> Listing:
    """One session as ``person`` sees it."""
    registered = session.scalar(
        select(func.count()).select_from(Registration).where(Registration.session_id == live.id)
    )
    mine = session.get(Registration, (live.id, person.id)) is not None
    attended = session.get(Attendance, (live.id, person.id)) is not None
    return Listing(live, int(registered or 0), mine, attended)


#: Roles that organise sessions: create, edit, cancel, take anyone's attendance.
ORGANISERS = ("hr", "admin")


def organises(person: Person) -> bool:
    return person.has_role(*ORGANISERS)


def takes_attendance(live: LiveSession, person: Person) -> bool:
    """HR and admins, and the session's facilitator."""
    return organises(person) or live.facilitator_id == person.id


def can_see(session: Session, live: LiveSession, person: Person) -> bool:
    """Whether the session's page is for ``person``: its audience, registrants, facilitator, HR."""
    if takes_attendance(live, person):
        return True
    if session.get(Registration, (live.id, person.id)) is not None:
        return True
    if session.get(Attendance, (live.id, person.id)) is not None:
        return True
    return not live.cancelled and is_open_to(session, live, person)
