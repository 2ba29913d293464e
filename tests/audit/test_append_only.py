"""The database itself refuses to change or remove an audit entry, on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from awareness import audit
from awareness.extensions import db
from awareness.models import AuditEvent
from tests.helpers import audit_log


@pytest.fixture
def entry(app) -> int:
    event = audit.record(db.session, "token.revoke", "ann@example.org", token_ids=[1])
    db.session.commit()
    return event.id


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(action="token.issue"),
        update(AuditEvent).values(details={}),
        delete(AuditEvent),
        text("DELETE FROM audit_event"),
    ],
    ids=["update action", "update details", "delete", "raw delete"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(entry, statement):
    with pytest.raises(DBAPIError, match="the audit log is append-only"):
        db.session.execute(statement)
    db.session.rollback()
    [kept] = audit_log()
    assert (kept.id, kept.action, kept.target, kept.details) == (
        entry,
        "token.revoke",
        "ann@example.org",
        {"token_ids": [1]},
    )


def test_changing_a_loaded_entry_fails_at_commit_and_changes_nothing(entry):
    event = db.session.get(AuditEvent, entry)
    event.target = "someone-else@example.org"
    with pytest.raises(DBAPIError, match="the audit log is append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.target)) == "ann@example.org"


def test_entries_can_still_be_added(entry):
    audit.record(db.session, "password.set", "bob@example.org")
    db.session.commit()
    assert [event.action for event in audit_log()] == ["token.revoke", "password.set"]
