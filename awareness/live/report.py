"""Live sessions in the dashboard: registrations against capacity, attendance by department.

Every figure is limited to a scope's departments (``None``: the whole
organisation), like the coverage figures: a manager counts their people only.
Department figures include the departments below.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, and_, func, or_, select
from sqlalchemy.orm import Session

from awareness.models import Attendance, Department, LiveSession, Module, Person, Registration
from awareness.people.directory import ancestors


@dataclass(frozen=True)
class SessionRow:
    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    cancelled: bool
    module: str | None  # the covered module's title
    registered_total: int
    registered: int  # in scope
    attended: int  # in scope

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.registered_total)


@dataclass(frozen=True)
class DepartmentRow:
    path: str
    name: str
    depth: int
    registered: int
    attended: int


def _counted(
    model: type[Registration] | type[Attendance],
    department_ids: frozenset[int] | None,
    *,
    scoped: bool = True,
) -> Subquery:
    """Per session: how many rows of ``model`` (registrations or attendances) in scope."""
    query = (
        select(model.session_id, func.count().label("n"))
        .select_from(model)
        .join(Person, Person.id == model.person_id)
        .group_by(model.session_id)
    )
    if scoped and department_ids is not None:
        query = query.where(Person.department_id.in_(department_ids))
    return query.subquery()


def sessions(
    session: Session,
    department_ids: frozenset[int] | None,
    *,
    now: datetime,
    upcoming: bool,
    since: datetime | None = None,
    limit: int = 200,
) -> list[SessionRow]:
    """Sessions that have not ended (``upcoming``), soonest first; else past ones, latest first."""
    total = _counted(Registration, department_ids, scoped=False)
    registered = _counted(Registration, department_ids)
    attended = _counted(Attendance, department_ids)
    query = (
        select(
            LiveSession.id,
            LiveSession.title,
            LiveSession.kind,
            LiveSession.starts_at,
            LiveSession.ends_at,
            LiveSession.capacity,
            LiveSession.cancelled_at.is_not(None),
            Module.title,
            func.coalesce(total.c.n, 0),
            func.coalesce(registered.c.n, 0),
            func.coalesce(attended.c.n, 0),
        )
        .outerjoin(Module, Module.id == LiveSession.module_id)
        .outerjoin(total, total.c.session_id == LiveSession.id)
        .outerjoin(registered, registered.c.session_id == LiveSession.id)
        .outerjoin(attended, attended.c.session_id == LiveSession.id)
        .limit(limit)
    )
    if upcoming:
        query = query.where(LiveSession.ends_at >= now).order_by(LiveSession.starts_at)
    else:
        query = query.where(LiveSession.ends_at < now).order_by(LiveSession.starts_at.desc())
        if since is not None:
            query = query.where(LiveSession.starts_at >= since)
    return [SessionRow(*row) for row in session.execute(query)]


def by_department(
    session: Session, live: LiveSession, department_ids: frozenset[int] | None
) -> list[DepartmentRow]:
    """Registered and attended per department in scope, rolled up; departments with none aside."""
    own: dict[int | None, list[int]] = {}
    people = [
        (Registration.person_id, Registration.session_id),
        (Attendance.person_id, Attendance.session_id),
    ]
    for index, (person_id, session_id) in enumerate(people):
        query = (
            select(Person.department_id, func.count())
            .select_from(person_id.class_)
            .join(Person, Person.id == person_id)
            .where(session_id == live.id)
            .group_by(Person.department_id)
        )
        if department_ids is not None:
            query = query.where(Person.department_id.in_(department_ids))
        for department_id, count in session.execute(query):
            own.setdefault(department_id, [0, 0])[index] += count
    departments = session.execute(select(Department.id, Department.path, Department.name)).all()
    if department_ids is not None:
        departments = [d for d in departments if d.id in department_ids]
    by_path = {d.path: [0, 0] for d in departments}
    for department in departments:
        counts = own.get(department.id)
        if counts is None:
            continue
        for path in ancestors(department.path):
            if path in by_path:
                by_path[path][0] += counts[0]
                by_path[path][1] += counts[1]
    return [
        DepartmentRow(d.path, d.name, d.path.count("/"), *by_path[d.path])
        for d in sorted(departments, key=lambda d: d.path)
        if any(by_path[d.path])
    ]


ROSTER_HEADER = [
    "email", "name", "department", "layer", "registered", "registered_at", "attended",
    "recorded_at", "method",
]  # fmt: skip


@dataclass(frozen=True)
class RosterEntry:
    person_id: int
    email: str
    name: str
    department: str | None
    layer: str | None
    registered_at: datetime | None
    recorded_at: datetime | None
    method: str | None

    @property
    def attended(self) -> bool:
        return self.recorded_at is not None

    def as_row(self) -> list[object]:
        return [
            self.email, self.name, self.department, self.layer,
            "yes" if self.registered_at else "no", self.registered_at,
            "yes" if self.attended else "no", self.recorded_at, self.method,
        ]  # fmt: skip


def roster(
    session: Session, live: LiveSession, department_ids: frozenset[int] | None = None
) -> Iterator[RosterEntry]:
    """Everyone registered for or attending ``live`` (in scope), by name."""
    registration = and_(Registration.session_id == live.id, Registration.person_id == Person.id)
    attendance = and_(Attendance.session_id == live.id, Attendance.person_id == Person.id)
    query = (
        select(
            Person.id,
            Person.email,
            Person.name,
            Department.path,
            Person.layer_id,
            Registration.registered_at,
            Attendance.recorded_at,
            Attendance.method,
        )
        .outerjoin(Department, Department.id == Person.department_id)
        .outerjoin(Registration, registration)
        .outerjoin(Attendance, attendance)
        .where(or_(Registration.person_id.is_not(None), Attendance.person_id.is_not(None)))
        .order_by(Person.name, Person.id)
    )
    if department_ids is not None:
        query = query.where(Person.department_id.in_(department_ids))
    for row in session.execute(query.execution_options(yield_per=1000)):
        yield RosterEntry(*row)
