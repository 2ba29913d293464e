"""Registering for a live session and cancelling, within its audience and its capacity.

Two people racing for the last place never both get it: on PostgreSQL the
session's row is locked (``SELECT ... FOR UPDATE``) before the places are
counted; on SQLite every writing transaction holds the write lock from its
start (see ``awareness.extensions``), so writers take turns already.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from awareness.live.audience import is_open_to
from awareness.live.problems import Closed, Full, NotInAudience
from awareness.models import LiveSession, Person, Registration


def lock(session: Session, live: LiveSession) -> LiveSession:
    """``live`` read afresh, its row locked until the transaction ends (PostgreSQL)."""
    query = select(LiveSession).where(LiveSession.id == live.id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one()


def register(session: Session, live: LiveSession, person: Person, now: datetime) -> bool:
    """Give ``person`` a place; False when they had one already.

    Closed for a cancelled or started session, NotInAudience outside its
    audience, Full when every place is taken.
    """
    live = lock(session, live)
    if live.cancelled:
        raise Closed(_("This session was cancelled."))
    if live.starts_at <= now:
        raise Closed(_("Registration closed when the session started."))
    if session.get(Registration, (live.id, person.id)) is not None:
        return False
    if not is_open_to(session, live, person):
        raise NotInAudience(_("This session is not open to you."))
    if live.capacity is not None:
        taken = session.scalar(
            select(func.count()).select_from(Registration).where(Registration.session_id == live.id)
        )
        if (taken or 0) >= live.capacity:
            raise Full(_("This session is full: every place is taken."))
    session.add(Registration(session_id=live.id, person_id=person.id, registered_at=now))
    session.flush()
    return True


def unregister(session: Session, live: LiveSession, person: Person, now: datetime) -> bool:
    """Give the person's place back; False when they had none. Closed once it started."""
    if session.get(Registration, (live.id, person.id)) is None:
        return False
    if live.starts_at <= now and not live.cancelled:
        raise Closed(_("The session has started: registration can no longer be cancelled."))
    session.execute(
        delete(Registration).where(
            Registration.session_id == live.id, Registration.person_id == person.id
        )
    )
    return True
