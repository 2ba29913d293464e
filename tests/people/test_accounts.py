"""Accounts as a service: the password rule, and API tokens issued, looked up, revoked and used."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awareness.extensions import db, login_manager
from awareness.models import ApiToken
from awareness.people.accounts import (
    common_passwords,
    issue_token,
    live_token,
    note_use,
    password_problem,
    revoke_token,
    revoke_tokens,
    use_is_due,
)
from tests.helpers import at, audit_log, token_owner


@pytest.fixture
def ann(make_person):
    return make_person("ann@example.org", password=None)


@pytest.fixture
def bob(make_person):
    return make_person("bob@example.org", password=None)


def issue(person, label: str = "") -> tuple[str, int]:
    token = issue_token(db.session, person, label)
    db.session.commit()
    return token, live_token(db.session, token).id


def test_revoke_token_revokes_only_that_token_once(ann):
    first, first_id = issue(ann)
    second, _ = issue(ann)
    assert revoke_token(db.session, first_id) is True
    db.session.commit()
    assert token_owner(first) is None
    assert token_owner(second) == ann
    assert revoke_token(db.session, first_id) is False  # already revoked
    assert revoke_token(db.session, 10_000) is False
    assert [entry.details for entry in audit_log("token.revoke")] == [{"token_ids": [first_id]}]


def test_revoke_token_with_an_owner_leaves_other_people_s_tokens_alone(ann, bob):
    token, token_id = issue(ann)
    assert revoke_token(db.session, token_id, owner=bob) is False
    assert token_owner(token) == ann
    assert revoke_token(db.session, token_id, owner=ann) is True


def test_revoke_tokens_counts_only_live_tokens(ann):
    _, first_id = issue(ann)
    issue(ann)
    revoke_token(db.session, first_id)
    assert revoke_tokens(db.session, ann) == 1
    assert revoke_tokens(db.session, ann) == 0
    db.session.commit()
    assert db.session.scalar(select(ApiToken).where(ApiToken.revoked_at.is_(None))) is None


def test_revocation_from_a_request_names_the_signed_in_person_and_address(app, ann, bob):
    _, token_id = issue(ann)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        login_manager._update_request_context_with_user(bob)
        revoke_token(db.session, token_id)
        db.session.commit()
    [entry] = audit_log("token.revoke")
    assert (entry.actor, entry.actor_id, entry.ip, entry.target) == (
        "bob@example.org",
        bob.id,
        "203.0.113.7",
        "ann@example.org",
    )


def test_use_is_noted_at_most_once_a_minute(ann):
    _, token_id = issue(ann)
    token = db.session.get(ApiToken, token_id)
    first = at("2026-03-01 09:00:00")
    assert use_is_due(token, first)
    note_use(db.session, token_id, first)
    db.session.commit()
    assert token.last_used_at == first
    assert not use_is_due(token, first + timedelta(seconds=59))
    note_use(db.session, token_id, first + timedelta(seconds=59))  # another request raced
    db.session.commit()
    assert token.last_used_at == first
    assert use_is_due(token, first + timedelta(minutes=1))
    note_use(db.session, token_id, first + timedelta(minutes=1, seconds=1))
    db.session.commit()
    assert token.last_used_at == first + timedelta(minutes=1, seconds=1)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "the password must be at least 12 characters long"),
        ("x" * 257, "the password must be at most 256 characters long"),
        (" " * 12, "the password must not be only spaces"),
        ("q1w2e3r4t5y6", "the password is too common: it is in a list of commonly used passwords"),
        ("QWERTY123456", "the password is too common: it is in a list of commonly used passwords"),
        ("correct horse battery", None),
    ],
)
def test_password_problem(app, password, problem):
    assert password_problem(password) == problem


def test_the_common_password_list_is_loaded_once_in_lower_case():
    passwords = common_passwords()
    assert common_passwords() is passwords
    assert len(passwords) > 19_000
    assert "password" in passwords
    assert all(p == p.lower() for p in passwords)
