"""Live sessions in the JSON API (docs/api.md).

- ``GET /api/v1/sessions``: upcoming sessions open to the caller (HR and admins: all).
- ``POST /api/v1/sessions`` (HR, admins): plan one; 201 with it.
- ``GET /api/v1/sessions/<id>``, ``PATCH`` (HR, admins) to change fields or cancel
  (``{"cancelled": true}``).
- ``POST|DELETE /api/v1/sessions/<id>/registration``: register (201; 200 when
  already registered) or cancel (200).
- ``POST /api/v1/sessions/<id>/attendance`` (HR, admins): ``{"emails": [...]}``.

Times: ISO-8601; with an offset as given, without one in the organisation's
time zone; answers give UTC with a ``Z``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, make_response
from flask_login import current_user

from awareness.api.base import bp, json_body
from awareness.extensions import db
from awareness.live import attendance, audience, planning, registration, times
from awareness.live.problems import FieldError, LiveError
from awareness.models import LiveSession
from awareness.models.types import utcnow
from awareness.reminders import sessions as session_mail

FIELDS = {
    "title", "kind", "starts_at", "ends_at", "location", "capacity", "audience", "module",
    "facilitator", "description",
}  # fmt: skip


def fail(error: LiveError) -> NoReturn:
    abort(error.status, description=error.message)


def as_json(live: LiveSession, registered: int | None = None) -> dict[str, Any]:
    layers, departments = audience.audience_labels(db.session, live)
    if registered is None:
        registered = planning.registrations(db.session, live)
    return {
        "id": live.id,
        "title": live.title,
        "kind": live.kind,
        "starts_at": times.iso(live.starts_at),
        "ends_at": times.iso(live.ends_at),
        "location": live.location,
        "capacity": live.capacity,
        "registered": registered,
        "module": live.module.slug if live.module else None,
        "audience": layers + departments,
        "facilitator": live.facilitator.email if live.facilitator else None,
        "description": live.description,
        "cancelled": live.cancelled,
    }


def organiser_only() -> None:
    if not audience.organises(current_user):
        abort(403, description="organising sessions is for HR and administrators")


def found(session_id: int) -> LiveSession:
    live = db.session.get(LiveSession, session_id)
    if live is None or not audience.can_see(db.session, live, current_user):
        abort(404, description=f"no session {session_id}")
    return live


@bp.get("/sessions")
def list_sessions():
    """Upcoming sessions open to the caller; HR and admins see every one, cancelled too."""
    listings = audience.sessions_for(
        db.session, current_user, utcnow(), everything=audience.organises(current_user)
    )
    return {"sessions": [as_json(entry.live, entry.registered) for entry in listings]}


@bp.post("/sessions")
def create_session():
    organiser_only()
    body = json_body()
    try:
        live = planning.create(db.session, draft(body), by=current_user)
    except FieldError as error:
        fail(error)
    db.session.commit()
    return as_json(live, 0), 201


@bp.get("/sessions/<id:session_id>")
def get_session(session_id: int):
    return as_json(found(session_id))


@bp.patch("/sessions/<id:session_id>")
def change_session(session_id: int):
    """Change any fields (the others keep their values); ``{"cancelled": true}`` cancels."""
    organiser_only()
    live = found(session_id)
    body = json_body()
    cancelling = body.pop("cancelled", None)
    if cancelling not in (None, True):
        abort(400, description="cancelled: only true (a cancelled session stays cancelled)")
    now, emails = utcnow(), []
    try:
        if body:
            changes = planning.update(
                db.session, live, draft({**current(live), **body}), by=current_user
            )
            emails = session_mail.on_change(db.session, live, changes, now)
        if cancelling and planning.cancel(db.session, live, by=current_user):
            emails = session_mail.on_cancel(db.session, live, now)
    except LiveError as error:
        fail(error)
    db.session.commit()
    response = make_response(as_json(live))
    session_mail.send_soon(response, emails)
    return response


@bp.post("/sessions/<id:session_id>/registration")
def register(session_id: int):
    live = found_for_registration(session_id)
    now, person = utcnow(), current_user._get_current_object()
    try:
        created = registration.register(db.session, live, person, now)
        emails = session_mail.on_register(db.session, live, person, now) if created else []
    except LiveError as error:
        fail(error)
    db.session.commit()
    response = make_response(
        {"registered": True, "session": as_json(live)}, 201 if created else 200
    )
    session_mail.send_soon(response, emails)
    return response


@bp.delete("/sessions/<id:session_id>/registration")
def unregister(session_id: int):
    """Give the caller's place back: 404 for a session they may not see (nor hold a place at)."""
    live = found(session_id)
    person = current_user._get_current_object()
    try:
        if registration.unregister(db.session, live, person, utcnow()):
            session_mail.on_unregister(db.session, live, person)
    except LiveError as error:
        fail(error)
    db.session.commit()
    return {"registered": False, "session": as_json(live)}


def found_for_registration(session_id: int) -> LiveSession:
    """The session (404 when there is none): outside its audience, registering is a 403."""
    live = db.session.get(LiveSession, session_id)
    if live is None:
        abort(404, description=f"no session {session_id}")
    return live


@bp.post("/sessions/<id:session_id>/attendance")
def record_attendance(session_id: int):
    """Record attendees by email: ``{"recorded": N, "unknown": [...]}`` (N: newly recorded)."""
    organiser_only()
    live = found(session_id)
    emails = json_body().get("emails")
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        abort(400, description='emails: expected {"emails": ["someone@example.org", ...]}')
    try:
        result = attendance.record_emails(
            db.session, live, emails, method="api", now=utcnow(), by=current_user
        )
    except LiveError as error:
        fail(error)
    db.session.commit()
    return {"recorded": result.recorded, "already": result.already, "unknown": result.unknown}


# -- reading a request -----------------------------------------------------


def current(live: LiveSession) -> dict[str, Any]:
    """The session's fields as a request body would give them (for a partial change)."""
    fields = as_json(live)
    return {key: value for key, value in fields.items() if key in FIELDS}


def draft(body: dict[str, Any]) -> planning.Draft:
    """A request body as a draft; FieldError (400) naming the first bad field."""
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise FieldError(f"{unknown[0]}: not a field of a session", unknown[0])
    zone = times.zone()
    values: dict[str, Any] = {}
    for name in ("title", "kind"):
        values[name] = text(body, name, required=True)
    for name in ("location", "description"):
        values[name] = text(body, name) or ""
    for name in ("module", "facilitator"):
        values[name] = text(body, name)
    for name in ("starts_at", "ends_at"):
        raw = text(body, name, required=True) or ""
        try:
            values[name] = times.parse_iso(raw, zone)
        except ValueError:
            message = f"{name}: not an ISO-8601 time such as 2026-03-01T09:00:00Z"
            raise FieldError(message, name) from None
    capacity = body.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or isinstance(capacity, bool)):
        raise FieldError("capacity: a whole number, or null for no limit", "capacity")
    entries = body.get("audience", [])
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise FieldError("audience: a list of layer ids and department paths", "audience")
    layers, departments = planning.split_audience(db.session, entries)
    return planning.Draft(capacity=capacity, layers=layers, departments=departments, **values)


def text(body: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise FieldError(f"{name}: {'required, ' if required else ''}a string", name)
    return value
