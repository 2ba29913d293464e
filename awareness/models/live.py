"""Live sessions (seminars, roundtables, webinars, workshops), who registered and who attended.

Attending a session that covers a module writes an :class:`~awareness.models.Attempt`
(no score, passed) naming the session, so coverage counts it like any other
completion (see :mod:`awareness.live.attendance`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awareness.extensions import Model
from awareness.models.content import Module
from awareness.models.org import Person
from awareness.models.types import utcnow

#: The kinds of live session, in the order forms offer them.
KINDS = ("seminar", "roundtable", "webinar", "workshop")
#: How an attendance was recorded.
METHODS = ("roster", "upload", "code", "api")


class LiveSession(Model):
    """One planned session. Never deleted: a cancelled one keeps its row and its registrations."""

    __tablename__ = "live_session"
    __table_args__ = (Index("ix_live_session_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    #: UTC, naive, like every timestamp; shown in the organisation's time zone.
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    #: A place, or a joining link for a webinar.
    location: Mapped[str] = mapped_column(String(500), default="")
    #: At most this many registrations; None is no limit.
    capacity: Mapped[int | None] = mapped_column(Integer)
    #: The module attending completes, if any.
    module_id: Mapped[int | None] = mapped_column(ForeignKey("module.id"), index=True)
    #: Any person; they may take this session's attendance.
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    #: What attendees type in the room (see :mod:`awareness.live.codes`).
    attendance_code: Mapped[str] = mapped_column(String(16))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Raised by every change: the calendar entry's SEQUENCE.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    module: Mapped[Module | None] = relationship()
    facilitator: Mapped[Person | None] = relationship(foreign_keys=[facilitator_id])
    layers: Mapped[list[LiveSessionLayer]] = relationship(
        cascade="all, delete-orphan", order_by="LiveSessionLayer.layer_id"
    )
    departments: Mapped[list[LiveSessionDepartment]] = relationship(
        cascade="all, delete-orphan", order_by="LiveSessionDepartment.department_id"
    )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class LiveSessionLayer(Model):
    """A layer the session is open to. A session with no layer rows is open to every layer."""

    __tablename__ = "live_session_layer"

    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"), primary_key=True)
    layer_id: Mapped[str] = mapped_column(ForeignKey("layer.id"), primary_key=True)


class LiveSessionDepartment(Model):
    """A department (and every one below it) the session is open to; none means all of them."""

    __tablename__ = "live_session_department"

    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)


class Registration(Model):
    """A person's place at a session."""

    __table_args__ = (Index("ix_registration_person_id", "person_id"),)

    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Attendance(Model):
    """A person attended a session: at most one row each, however often it is recorded."""

    __table_args__ = (Index("ix_attendance_person_id", "person_id"),)

    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: Who recorded it (None for the attendee's own code, or the command line).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    #: One of :data:`METHODS`.
    method: Mapped[str] = mapped_column(String(8))
