"""Passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.models import Person
from awareness.models.types import utcnow

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


def issue_token(person: Person) -> str:
    """Give ``person`` a new API token, replacing any earlier one; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    person.token_hash = hash_token(token)
    person.token_created_at = utcnow()
    return token


def person_for_token(session: Session, token: str) -> Person | None:
    """The active person a bearer token belongs to."""
    if not token:
        return None
    person = session.scalar(select(Person).where(Person.token_hash == hash_token(token)))
    return person if person is not None and person.active else None


def find_person(session: Session, email: str) -> Person | None:
    return session.scalar(select(Person).where(Person.email == email.strip().lower()))
