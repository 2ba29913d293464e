"""Passwords and API tokens."""

from __future__ import annotations

import functools
import gzip
import hashlib
import secrets
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.models import ApiToken, Person

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None when it is (CONTRACT section 2)."""
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
    session.add(ApiToken(person_id=person.id, token_hash=hash_token(token), label=label))
    return token


def person_for_token(session: Session, token: str) -> Person | None:
    """The active person a live bearer token belongs to."""
    if not token:
        return None
    found = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if found is None or not found.person.active:
        return None
    return found.person


def find_person(session: Session, email: str) -> Person | None:
    return session.scalar(select(Person).where(Person.email == email.strip().lower()))
