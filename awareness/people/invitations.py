"""Inviting people to choose a password (``people invite``, ``people import --invite``).

An invitation is a link valid for 14 days (see :mod:`.password_links`),
emailed to the person, or shown once to an administrator when mail is not set
up (:func:`invitation_link`). Each invitation is in the audit log as
``person.invite``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from awareness import audit
from awareness.mail.outbox import Courier
from awareness.models import PasswordToken, Person, utcnow
from awareness.people import password_links

#: ``--all`` leaves out people invited more recently than this.
INVITE_AGAIN_AFTER = timedelta(days=7)
BATCH = 500


@dataclass
class Invitations:
    invited: int = 0
    #: (email, why): deactivated, or already has a password.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: (email, what went wrong) for invitations whose email did not go.
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return f"invited {self.invited}, skipped {len(self.skipped)}"


def why_not(person: Person) -> str | None:
    """Why ``person`` cannot be invited, or None when they can."""
    if not person.active:
        return "deactivated"
    if person.password_hash:
        return "already has a password (they can use 'Forgot your password?')"
    return None


def invitation_link(session: Session, person: Person, *, by: Person | None = None) -> str:
    """Issue an invitation for ``person`` and return its link, to be shown once.

    For the administration pages when mail is not configured. Audited; the
    caller commits. Raises ValueError when ``person`` cannot be invited.
    """
    reason = why_not(person)
    if reason:
        raise ValueError(f"{person.email} cannot be invited: {reason}")
    link = password_links.issue(session, person, "invite", by=by)
    audit.record(
        session, "person.invite", person.email, actor=by, expires_at=link.expires_at.isoformat()
    )
    return link.url


def send_invitation(
    session: Session, courier: Courier, person: Person, *, by: Person | None = None
) -> bool:
    """Email ``person`` an invitation; whether it went. Commits (see password_links.send)."""
    return password_links.send(
        session, courier, person, "invite", by=by, audit_action="person.invite"
    )


def unknown(session: Session, emails: Collection[str]) -> list[str]:
    """The addresses among ``emails`` that name nobody."""
    wanted = {email.strip().lower() for email in emails}
    known = set(session.scalars(select(Person.email).where(Person.email.in_(wanted))))
    return sorted(wanted - known)


def named(session: Session, emails: Collection[str]) -> list[Person]:
    wanted = {email.strip().lower() for email in emails}
    return list(session.scalars(select(Person).where(Person.email.in_(wanted)).order_by(Person.id)))


def by_ids(session: Session, ids: list[int]) -> Iterator[Person]:
    """These people, read a batch at a time."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        yield from session.scalars(select(Person).where(Person.id.in_(chunk)).order_by(Person.id))


def recently_invited(now: datetime) -> ColumnElement[bool]:
    return exists().where(
        PasswordToken.person_id == Person.id,
        PasswordToken.purpose == "invite",
        PasswordToken.created_at > now - INVITE_AGAIN_AFTER,
    )


def _waiting(now: datetime) -> ColumnElement[bool]:
    """Active, no password, not invited lately: whom ``people invite --all`` invites."""
    return Person.active & Person.password_hash.is_(None) & ~recently_invited(now)


def count_waiting(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person).where(_waiting(utcnow()))) or 0


def waiting(session: Session) -> Iterator[Person]:
    """Everyone ``--all`` invites, read a batch at a time."""
    now, last = utcnow(), 0
    while True:
        batch = list(
            session.scalars(
                select(Person)
                .where(_waiting(now), Person.id > last)
                .order_by(Person.id)
                .limit(BATCH)
            )
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def invite(
    session: Session,
    courier: Courier,
    people: Iterable[Person],
    *,
    by: Person | None = None,
    progress: Callable[[int], None] | None = None,
) -> Invitations:
    """Invite each of ``people`` who can be; each invitation is committed as it goes."""
    result = Invitations()
    for person in people:
        reason = why_not(person)
        if reason:
            result.skipped.append((person.email, reason))
        elif send_invitation(session, courier, person, by=by):
            result.invited += 1
        else:
            result.failed.append((person.email, courier.last_error or ""))
        if progress:
            progress(1)
    return result
