"""What the people administration shows of one person beyond their assignments.

Their attempts, each with the exact content version it was made on (the
module's major and the hash of the text shown, see ModuleRevision), the live
sessions they attended, and whether they can sign in yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from awareness.models import (
    Attempt,
    Attendance,
    LiveSession,
    Module,
    ModuleRevision,
    PasswordToken,
    Person,
    utcnow,
)

#: The most recent attempts a person's page lists.
ATTEMPTS_SHOWN = 100
SESSIONS_SHOWN = 100


@dataclass(frozen=True)
class AttemptEntry:
    """One attempt and the content version it was made on."""

    id: int
    submitted_at: datetime
    module_slug: str
    module_title: str
    score: int | None
    passed: bool
    major: int
    #: The module's major now: an attempt at an earlier one no longer counts.
    current_major: int
    source_hash: str
    #: The language of the text shown ("" for the original), when the revision is known.
    language: str | None
    live_session_id: int | None
    live_session_title: str | None

    @property
    def counts(self) -> bool:
        return self.major == self.current_major


@dataclass(frozen=True)
class AttendedSession:
    id: int
    title: str
    kind: str
    starts_at: datetime
    method: str
    recorded_at: datetime
    cancelled: bool


def attempts(
    session: Session, person_id: int, limit: int = ATTEMPTS_SHOWN
) -> tuple[list[AttemptEntry], int]:
    """The person's latest attempts, newest first, and how many they made in all."""
    total = session.scalar(
        select(func.count()).select_from(Attempt).where(Attempt.person_id == person_id)
    )
    query = (
        select(
            Attempt.id,
            Attempt.submitted_at,
            Module.slug.label("module_slug"),
            Module.title.label("module_title"),
            Attempt.score,
            Attempt.passed,
            Attempt.major,
            Module.major.label("current_major"),
            Attempt.source_hash,
            ModuleRevision.language,
            Attempt.live_session_id,
            LiveSession.title.label("live_session_title"),
        )
        .join(Module, Module.id == Attempt.module_id)
        .outerjoin(
            ModuleRevision,
            and_(
                ModuleRevision.module_id == Attempt.module_id,
                ModuleRevision.source_hash == Attempt.source_hash,
            ),
        )
        .outerjoin(LiveSession, LiveSession.id == Attempt.live_session_id)
        .where(Attempt.person_id == person_id)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(limit)
    )
    entries = [AttemptEntry(**row._mapping) for row in session.execute(query)]
    return entries, int(total or 0)


def attended(
    session: Session, person_id: int, limit: int = SESSIONS_SHOWN
) -> list[AttendedSession]:
    """The live sessions the person attended, the latest first."""
    query = (
        select(
            LiveSession.id,
            LiveSession.title,
            LiveSession.kind,
            LiveSession.starts_at,
            Attendance.method,
            Attendance.recorded_at,
            LiveSession.cancelled_at.is_not(None),
        )
        .join(Attendance, Attendance.session_id == LiveSession.id)
        .where(Attendance.person_id == person_id)
        .order_by(LiveSession.starts_at.desc(), LiveSession.id.desc())
        .limit(limit)
    )
    return [AttendedSession(*row) for row in session.execute(query)]


def sign_in_state(session: Session, person: Person, now: datetime | None = None) -> str:
    """``password`` (they have one), ``invited`` (a live invitation waits) or ``none``."""
    if person.password_hash:
        return "password"
    now = now or utcnow()
    waiting = session.scalar(
        select(func.count())
        .select_from(PasswordToken)
        .where(
            PasswordToken.person_id == person.id,
            PasswordToken.purpose == "invite",
            PasswordToken.used_at.is_(None),
            PasswordToken.expires_at > now,
        )
    )
    return "invited" if waiting else "none"
