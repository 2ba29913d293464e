"""Passwords and API tokens."""

from __future__ import annotations

import functools
import gzip
import hashlib
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session, joinedload

from awareness import audit
from awareness.models import ApiToken, Person, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MAX_LABEL_LENGTH = 100
#: How often a token's ``last_used_at`` moves at most: it is a hint, not a log.
USE_RECORDED_EVERY = timedelta(minutes=1)
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")


def _(text: str, **values: object) -> str:
    """The message in the person's language (Flask-Babel's gettext, typed)."""
    return str(gettext(text, **values))


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None when it is (docs/cli.md: set-password)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _(
            "the password must be at least %(count)d characters long", count=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return _(
            "the password must be at most %(count)d characters long", count=MAX_PASSWORD_LENGTH
        )
    if not password.strip():
        return _("the password must not be only spaces")
    if password.strip().lower() in common_passwords():
        return _("the password is too common: it is in a list of commonly used passwords")
    return None


@functools.cache
def common_passwords() -> frozenset[str]:
    """Django's list of 20,000 common passwords, in lower case (see COMMON-PASSWORDS-NOTICE)."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, person: Person, label: str = "") -> str:
    """Give ``person`` a new API token; only its hash is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    issued = ApiToken(person_id=person.id, token_hash=hash_token(token), label=label)
    session.add(issued)
    session.flush()  # the id goes in the audit log
    audit.record(session, "token.issue", person.email, token_id=issued.id, label=label)
    return token


def label_problem(label: str) -> str | None:
    """Why ``label`` cannot name a token, or None when it can."""
    if len(label) > MAX_LABEL_LENGTH:
        return f"the label must be at most {MAX_LABEL_LENGTH} characters long"
    if not label.isprintable():
        return "the label must be one line of printable text"
    return None


def live_token(session: Session, token: str) -> ApiToken | None:
    """The live API token ``token`` is, if its owner is active."""
    if not token:
        return None
    found = session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.person))
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    )
    return found if found is not None and found.person.active else None


def use_is_due(token: ApiToken, now: datetime) -> bool:
    """Whether a use of ``token`` now should move its ``last_used_at`` (once a minute at most)."""
    return token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY


def note_use(session: Session, token_id: int, now: datetime) -> None:
    """Set the token's ``last_used_at`` to ``now`` unless another request just did.

    The caller commits.
    """
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - USE_RECORDED_EVERY),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def live_tokens(session: Session, person_id: int) -> list[ApiToken]:
    """A person's tokens that are not revoked, the newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.person_id == person_id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_tokens(session: Session, person: Person) -> int:
    """Revoke every live token of ``person``; how many there were. The caller commits."""
    return len(_revoke(session, person, ApiToken.person_id == person.id))


def revoke_token(session: Session, token_id: int, *, owner: Person | None = None) -> bool:
    """Revoke one live token (only ``owner``'s, when given); whether there was one.

    The caller commits.
    """
    found = session.get(ApiToken, token_id)
    if found is None or (owner is not None and found.person_id != owner.id):
        return False
    return bool(_revoke(session, found.person, ApiToken.id == found.id))


def _revoke(session: Session, person: Person, which: ColumnElement[bool]) -> list[int]:
    """Revoke the live tokens ``which`` selects and record it; their ids."""
    ids = sorted(
        session.scalars(
            update(ApiToken)
            .where(which, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .returning(ApiToken.id)
        )
    )
    if ids:
        audit.record(session, "token.revoke", person.email, token_ids=ids)
    return ids


def find_person(session: Session, email: str) -> Person | None:
    return session.scalar(select(Person).where(Person.email == email.strip().lower()))
