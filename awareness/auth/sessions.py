"""Server-side sign-in sessions: one :class:`LoginSession` row per signed-in browser.

The browser holds a random key (in Flask's signed session cookie and, with
"Keep me signed in", in Flask-Login's remember-me cookie); the table holds
only its SHA-256. Deleting a row signs that browser out, wherever copies of
its cookies are. An ordinary session ends after ``idle`` without a request,
and at the latest :data:`LIFETIME` after sign-in; a remembered one ends
:data:`~awareness.config.REMEMBER_DURATION` after sign-in, however idle.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, or_, select, update
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.sql.elements import ColumnElement

from awareness.config import REMEMBER_DURATION
from awareness.models import LoginSession, Person
from awareness.models.types import rows_affected

#: An ordinary session ends this long after sign-in, however active (ASVS 3.3.2).
LIFETIME = timedelta(hours=12)
#: ``last_seen_at`` moves at most this often, so most requests write nothing.
TOUCH_EVERY = timedelta(minutes=1)
#: How many of the oldest rows each sign-in looks at for anyone's ended sessions.
PURGE_WINDOW = 1000
USER_AGENT_LENGTH = 200
#: People per statement when many are signed out at once (SQLite limits parameters).
CHUNK = 500


def idle_timeout(config: Mapping[str, Any]) -> timedelta:
    """How long a session may go without a request (``AWARENESS_SESSION_IDLE_MINUTES``)."""
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"])


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(
    session: Session,
    person: Person,
    *,
    remember: bool,
    now: datetime,
    idle: timedelta,
    ip: str | None = None,
    user_agent: str = "",
) -> str:
    """Open a sign-in session for ``person`` and return its key (only its hash is kept).

    Expired sessions are deleted on the way: all of this person's, and a
    bounded batch of anyone's. The caller commits.
    """
    purge_expired(session, now=now, idle=idle, person_id=person.id)
    key = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            key_hash=hash_key(key),
            person_id=person.id,
            created_at=now,
            last_seen_at=now,
            remember=remember,
            expires_at=now + (REMEMBER_DURATION if remember else LIFETIME),
            ip=ip,
            user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
        )
    )
    return key


def find(session: Session, key: str, *, now: datetime, idle: timedelta) -> LoginSession | None:
    """The live session with ``key`` of an active person (loaded with it), else None."""
    if not key:
        return None
    return session.scalar(
        select(LoginSession)
        .join(LoginSession.person)
        .options(contains_eager(LoginSession.person))
        .where(LoginSession.key_hash == hash_key(key), Person.active.is_(True), _live(now, idle))
    )


def due_for_touch(login: LoginSession, now: datetime) -> bool:
    return now - login.last_seen_at >= TOUCH_EVERY


def touch(bind: Session | Engine, login_id: int, now: datetime) -> None:
    """Move ``last_seen_at`` on to ``now``.

    Given an engine, this is its own short transaction (so a reading request
    takes no write lock); given a session, it joins that session's transaction.
    On PostgreSQL a row another transaction is writing is skipped, not waited
    for: the next request moves it on.
    """
    row = (
        select(LoginSession.id).where(LoginSession.id == login_id).with_for_update(skip_locked=True)
    )
    statement = (
        update(LoginSession)
        .where(LoginSession.id.in_(row))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            connection.execute(statement)
    else:
        bind.execute(statement)


def end(session: Session, login_id: int) -> None:
    """Sign one browser out. The caller commits."""
    session.execute(_delete(LoginSession.id == login_id))


def end_others(session: Session, person_id: int, keep_id: int | None) -> int:
    """Sign ``person_id`` out everywhere but the session ``keep_id``; return how many ended."""
    condition = LoginSession.person_id == person_id
    if keep_id is not None:
        condition = and_(condition, LoginSession.id != keep_id)
    return rows_affected(session.execute(_delete(condition)))


def end_all(session: Session, person_ids: list[int]) -> int:
    """Sign these people out everywhere; return how many sessions ended."""
    ended = 0
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        ended += rows_affected(session.execute(_delete(LoginSession.person_id.in_(chunk))))
    return ended


def active(
    session: Session, person_id: int, *, now: datetime, idle: timedelta
) -> list[LoginSession]:
    """A person's live sessions, the most recently used first."""
    return list(
        session.scalars(
            select(LoginSession)
            .where(LoginSession.person_id == person_id, _live(now, idle))
            .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
        )
    )


def purge_expired(
    session: Session, *, now: datetime, idle: timedelta, person_id: int | None = None
) -> int:
    """Delete a person's ended sessions, and those among the oldest :data:`PURGE_WINDOW` rows.

    Both are index lookups, so a sign-in pays little for the clean-up however
    big the table. A person's own ended sessions go at their next sign-in; the
    oldest rows catch the sessions of people who never come back. Returns how
    many rows went.
    """
    deleted = 0
    if person_id is not None:
        deleted += rows_affected(
            session.execute(_delete(and_(LoginSession.person_id == person_id, _expired(now, idle))))
        )
    oldest = select(LoginSession.id).order_by(LoginSession.id).limit(PURGE_WINDOW)
    deleted += rows_affected(
        session.execute(_delete(and_(LoginSession.id.in_(oldest), _expired(now, idle))))
    )
    return deleted


def _live(now: datetime, idle: timedelta) -> ColumnElement[bool]:
    return and_(
        LoginSession.expires_at > now,
        or_(LoginSession.remember.is_(True), LoginSession.last_seen_at > now - idle),
    )


def _expired(now: datetime, idle: timedelta) -> ColumnElement[bool]:
    return or_(
        LoginSession.expires_at.is_(None),
        LoginSession.expires_at <= now,
        and_(LoginSession.remember.is_(False), LoginSession.last_seen_at <= now - idle),
    )


def _delete(condition: ColumnElement[bool]):
    return delete(LoginSession).where(condition).execution_options(synchronize_session=False)
