"""Passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.models import ApiToken, Person

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must be at least {MIN_PASSWORD_LENGTH} characters long"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password must be at most {MAX_PASSWORD_LENGTH} characters long"
    if not password.strip():
        return "the password must not be only spaces"
    return None


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
