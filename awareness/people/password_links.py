"""Links to choose a password: a reset (valid one hour) or an invitation (14 days).

The token is shown once, in the link; only its SHA-256 is stored. A link works
once, until it expires, for an active person, and only while their password
is what it was when the link was issued: a password changed any other way
voids every earlier link.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, contains_eager

from awareness import audit
from awareness.mail import links
from awareness.mail.compose import Recipient, compose, language_of
from awareness.mail.outbox import Courier, rowcount
from awareness.models import EmailMessage, PasswordToken, Person, utcnow

VALID_FOR = {"reset": timedelta(hours=1), "invite": timedelta(days=14)}
#: The audit action of a link an administrator sends or is shown, by purpose.
AUDIT_ACTIONS = {"invite": "person.invite", "reset": "password.reset_link"}
#: Longer than any token we issue: anything longer is not looked up.
MAX_TOKEN_LENGTH = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_stamp(person: Person) -> str:
    """What a link remembers of the password it was issued under (a hash of its hash)."""
    return hashlib.sha256((person.password_hash or "").encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    token_id: int
    url: str
    expires_at: datetime


def issue(
    session: Session, person: Person, purpose: str, *, by: Person | None = None
) -> IssuedLink:
    """A new link for ``person`` to choose a password. The caller commits."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    issued = PasswordToken(
        person_id=person.id,
        token_hash=hash_token(token),
        purpose=purpose,
        created_at=now,
        expires_at=now + VALID_FOR[purpose],
        password_stamp=password_stamp(person),
        created_by_id=by.id if by is not None else None,
    )
    session.add(issued)
    session.flush()
    return IssuedLink(issued.id, links.link("auth.reset_password", token=token), issued.expires_at)


def purpose_for(person: Person) -> str:
    """What link a person needs: an invitation without a password, else a reset."""
    return "reset" if person.password_hash else "invite"


def shown_once(session: Session, person: Person, *, by: Person) -> IssuedLink:
    """Issue the link ``person`` needs, for an administrator to pass on (mail is not set up).

    Audited like an emailed one, with ``shown`` true; the caller commits and
    shows the link once. Raises ValueError for a deactivated person.
    """
    if not person.active:
        raise ValueError(f"{person.email} is deactivated")
    purpose = purpose_for(person)
    link = issue(session, person, purpose, by=by)
    audit.record(
        session,
        AUDIT_ACTIONS[purpose],
        person.email,
        actor=by,
        expires_at=link.expires_at.isoformat(),
        shown=True,
    )
    return link


def usable(session: Session, token: str, now: datetime | None = None) -> PasswordToken | None:
    """The link ``token`` opens, loaded with its person, if it still works; else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    now = now or utcnow()
    found: PasswordToken | None = session.scalar(
        select(PasswordToken)
        .join(PasswordToken.person)
        .options(contains_eager(PasswordToken.person))
        .where(PasswordToken.token_hash == hash_token(token))
    )
    if (
        found is None
        or found.used_at is not None
        or found.expires_at <= now
        or not found.person.active
        or found.password_stamp != password_stamp(found.person)
    ):
        return None
    return found


def use(session: Session, token: str, password: str) -> PasswordToken | None:
    """Set the password through the link ``token``, once; the link, or None if it does not work.

    The link is marked used by a conditional update, so of two submissions
    racing with one link only one sets a password. The caller signs the
    person in, ends their other sessions and commits.
    """
    now = utcnow()
    found = usable(session, token, now)
    if found is None:
        return None
    taken = rowcount(
        session.execute(
            update(PasswordToken)
            .where(PasswordToken.id == found.id, PasswordToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if taken != 1:
        return None
    found.person.set_password(password)
    audit.record(
        session, "password.reset", found.person.email, actor=found.person, purpose=found.purpose
    )
    return found


def send(
    session: Session,
    courier: Courier,
    person: Person,
    purpose: str,
    *,
    by: Person | None = None,
    audit_action: str | None = None,
    **details: Any,
) -> bool:
    """Issue a link and email it to ``person``; whether it went. Commits.

    The record of the email is committed before sending and its outcome right
    after, with the audit entry ``audit_action`` when it went. A link whose
    email failed is deleted: nobody has it.
    """
    link = issue(session, person, purpose, by=by)
    recipient = Recipient(person.email, person.name, language_of(person.language))
    record = EmailMessage(
        kind=purpose,
        person_id=person.id,
        to_address=person.email,
        language=recipient.language,
        details={"token_id": link.token_id, "expires_at": link.expires_at.isoformat(), **details},
        status="sending",
        attempts=1,
        attempted_at=utcnow(),
    )
    message = compose(
        purpose,
        recipient,
        SUBJECTS[purpose],
        key=f"{purpose}-{link.token_id}",
        person=person,
        url=link.url,
        expires_at=link.expires_at,
        valid_for=VALID_FOR[purpose],
    )
    session.add(record)
    session.commit()
    sent = courier.deliver(record.id, message)
    if not sent:
        session.execute(delete(PasswordToken).where(PasswordToken.id == link.token_id))
    elif audit_action:
        audit.record(
            session, audit_action, person.email, actor=by, expires_at=record.details["expires_at"]
        )
    session.commit()
    return sent


SUBJECTS = {
    "reset": lambda: _("Choose a new password for Awareness"),
    "invite": lambda: _("You are invited to security awareness training"),
}


def send_reset(session: Session, courier: Courier, email: str, **details: Any) -> bool | None:
    """Email a reset link to the active person ``email`` names: whether it went, or None when
    nobody active has that address (the caller answers the same either way)."""
    person = session.scalar(select(Person).where(Person.email == email.strip().lower()))
    if person is None or not person.active:
        return None
    return send(session, courier, person, "reset", **details)
