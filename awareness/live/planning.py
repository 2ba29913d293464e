"""Organising live sessions: create, edit and cancel, with every field checked.

The browser form and the JSON API both describe a session as a :class:`Draft`
and hand it to :func:`create` or :func:`update`, so the rules are the same.
A problem raises :class:`~awareness.live.problems.FieldError` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from awareness import audit
from awareness.live import codes
from awareness.live.audience import audience_labels
from awareness.live.problems import Closed, FieldError
from awareness.models import (
    Attendance,
    Department,
    Layer,
    LiveSession,
    LiveSessionDepartment,
    LiveSessionLayer,
    Module,
    Person,
    Registration,
)
from awareness.models.live import KINDS
from awareness.models.types import utcnow

TITLE_MAX = 200
LOCATION_MAX = 500
DESCRIPTION_MAX = 5000
CAPACITY_MAX = 100_000
#: The longest a session may last (a workshop over several days at most).
LONGEST = timedelta(days=7)


@dataclass
class Draft:
    """A session as described by a form or an API request (times in naive UTC)."""

    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    capacity: int | None = None
    module: str | None = None  # a slug
    facilitator: str | None = None  # an email
    layers: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)  # paths
    description: str = ""


@dataclass(frozen=True)
class Checked:
    """A draft whose references were found."""

    draft: Draft
    module: Module | None
    facilitator: Person | None
    layer_ids: list[str]
    department_ids: list[int]


def check(session: Session, draft: Draft) -> Checked:
    """Every field of ``draft`` checked, its module, facilitator and audience found."""
    draft.title = draft.title.strip()
    if not draft.title:
        raise FieldError(_("title: give the session a title."), "title")
    if len(draft.title) > TITLE_MAX:
        raise FieldError(_("title: at most %(n)d characters.", n=TITLE_MAX), "title")
    if draft.kind not in KINDS:
        raise FieldError(_("kind: must be one of %(kinds)s.", kinds=", ".join(KINDS)), "kind")
    if draft.ends_at <= draft.starts_at:
        raise FieldError(_("ends_at: the session must end after it starts."), "ends_at")
    if draft.ends_at - draft.starts_at > LONGEST:
        raise FieldError(_("ends_at: a session lasts at most 7 days."), "ends_at")
    draft.location = draft.location.strip()
    if len(draft.location) > LOCATION_MAX:
        raise FieldError(_("location: at most %(n)d characters.", n=LOCATION_MAX), "location")
    if len(draft.description) > DESCRIPTION_MAX:
        raise FieldError(
            _("description: at most %(n)d characters.", n=DESCRIPTION_MAX), "description"
        )
    if draft.capacity is not None and not 1 <= draft.capacity <= CAPACITY_MAX:
        raise FieldError(
            _("capacity: a whole number from 1 to %(n)s, or none.", n=f"{CAPACITY_MAX:,}"),
            "capacity",
        )
    return Checked(
        draft,
        _module(session, draft.module),
        _facilitator(session, draft.facilitator),
        _layers(session, draft.layers),
        _departments(session, draft.departments),
    )


def _module(session: Session, slug: str | None) -> Module | None:
    if not slug:
        return None
    module = session.scalar(select(Module).where(Module.slug == slug, ~Module.retired))
    if module is None:
        raise FieldError(_("module: there is no module %(slug)s.", slug=slug), "module")
    return module


def _facilitator(session: Session, email: str | None) -> Person | None:
    if not email:
        return None
    person: Person | None = session.scalar(
        select(Person).where(Person.email == email.strip().lower(), Person.active)
    )
    if person is None:
        raise FieldError(
            _("facilitator: nobody active has the address %(email)s.", email=email),
            "facilitator",
        )
    return person


def _layers(session: Session, wanted: list[str]) -> list[str]:
    known = set(session.scalars(select(Layer.id)))
    unknown = [layer for layer in wanted if layer not in known]
    if unknown:
        raise FieldError(_("audience: there is no layer %(id)s.", id=unknown[0]), "audience")
    return sorted(set(wanted))


def _departments(session: Session, paths: list[str]) -> list[int]:
    if not paths:
        return []
    found = dict(
        session.execute(
            select(Department.path, Department.id).where(Department.path.in_(paths))
        ).all()
    )
    unknown = [path for path in paths if path not in found]
    if unknown:
        raise FieldError(
            _("audience: there is no department %(path)s.", path=unknown[0]), "audience"
        )
    return sorted(set(found.values()))


def split_audience(session: Session, entries: list[str]) -> tuple[list[str], list[str]]:
    """The API's one ``audience`` list as (layer ids, department paths): a layer id wins."""
    layers = set(session.scalars(select(Layer.id)))
    return [e for e in entries if e in layers], [e for e in entries if e not in layers]


def create(session: Session, draft: Draft, *, by: Person | None = None) -> LiveSession:
    """A new session from ``draft`` (audited); FieldError names a bad field."""
    checked = check(session, draft)
    live = LiveSession(attendance_code=codes.new_code(), created_by_id=by.id if by else None)
    _apply(live, checked)
    session.add(live)
    session.flush()
    audit.record(session, "live_session.create", _target(live), actor=by, **_details(session, live))
    return live


def update(
    session: Session, live: LiveSession, draft: Draft, *, by: Person | None = None
) -> dict[str, list[Any]]:
    """Change ``live`` to ``draft`` (audited with the old and new values); returns the changes.

    A cancelled session cannot change; once attendance is recorded, neither
    its module nor its start can (attendance completed the module on that day);
    the capacity cannot fall below the registrations.
    """
    if live.cancelled:
        raise Closed(_("This session was cancelled: it can no longer be changed."))
    checked = check(session, draft)
    if session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.session_id == live.id)
    ):
        if checked.module is not live.module:
            raise FieldError(
                _("module: attendance is recorded, so the module it completed cannot change."),
                "module",
            )
        if draft.starts_at != live.starts_at:
            raise FieldError(
                _("starts_at: attendance is recorded, so the start cannot change."), "starts_at"
            )
    registered = registrations(session, live)
    if draft.capacity is not None and draft.capacity < registered:
        raise FieldError(
            _("capacity: %(n)d people are already registered.", n=registered), "capacity"
        )
    before = _details(session, live)
    _apply(live, checked)
    session.flush()
    after = _details(session, live)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        live.sequence += 1
        audit.record(session, "live_session.update", _target(live), actor=by, changes=changes)
    return changes


def cancel(session: Session, live: LiveSession, *, by: Person | None = None) -> bool:
    """Cancel ``live`` (audited); False when it already was. Refused once attendance is recorded."""
    if live.cancelled:
        return False
    if session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.session_id == live.id)
    ):
        raise Closed(
            _("Attendance is recorded for this session: remove it before cancelling the session.")
        )
    live.cancelled_at = utcnow()
    live.sequence += 1
    audit.record(
        session, "live_session.cancel", _target(live), actor=by,
        registered=registrations(session, live),
    )  # fmt: skip
    return True


def registrations(session: Session, live: LiveSession) -> int:
    count = session.scalar(
        select(func.count()).select_from(Registration).where(Registration.session_id == live.id)
    )
    return int(count or 0)


def _apply(live: LiveSession, checked: Checked) -> None:
    draft = checked.draft
    live.title = draft.title
    live.kind = draft.kind
    live.description = draft.description
    live.starts_at = draft.starts_at
    live.ends_at = draft.ends_at
    live.location = draft.location
    live.capacity = draft.capacity
    live.module = checked.module
    live.facilitator = checked.facilitator
    if [row.layer_id for row in live.layers] != checked.layer_ids:
        live.layers = [LiveSessionLayer(layer_id=layer) for layer in checked.layer_ids]
    if [row.department_id for row in live.departments] != checked.department_ids:
        live.departments = [LiveSessionDepartment(department_id=i) for i in checked.department_ids]


def _target(live: LiveSession) -> str:
    return f"{live.id}: {live.title}"


def _details(session: Session, live: LiveSession) -> dict[str, Any]:
    """The session's fields as the audit log keeps them."""
    layers, departments = audience_labels(session, live)
    return {
        "title": live.title,
        "kind": live.kind,
        "starts_at": live.starts_at.isoformat(),
        "ends_at": live.ends_at.isoformat(),
        "location": live.location,
        "capacity": live.capacity,
        "module": live.module.slug if live.module else None,
        "facilitator": live.facilitator.email if live.facilitator else None,
        "layers": layers,
        "departments": departments,
        "description": live.description,
    }
