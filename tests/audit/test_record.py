"""Who an audit entry names as the actor, and from which address."""

from __future__ import annotations

import pytest

from awareness import audit
from awareness.extensions import db, login_manager
from tests.helpers import audit_log, cli_actor

ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def ann(make_person):
    return make_person("ann@example.org", password=None)


def test_a_command_is_named_by_its_user_and_has_no_address(ann):
    audit.record(db.session, "password.set", "ann@example.org")
    audit.record_many(db.session, [("person.deactivate", "ann@example.org", {})])
    db.session.commit()
    assert [
        (e.actor, e.actor_id, e.ip) for e in audit_log("password.set", "person.deactivate")
    ] == [
        (cli_actor(), None, None),
        (cli_actor(), None, None),
    ]


def test_a_request_names_the_signed_in_person_and_the_client_address(app, ann):
    with app.test_request_context(environ_base=ADDRESS):
        login_manager._update_request_context_with_user(ann)
        audit.record(db.session, "password.set", "ann@example.org")
        audit.record_many(db.session, [("roles.change", "bob@example.org", {})])
        db.session.commit()
    entries = audit_log("password.set", "roles.change")
    assert [(e.actor, e.actor_id, e.ip) for e in entries] == [
        ("ann@example.org", ann.id, "203.0.113.7"),
        ("ann@example.org", ann.id, "203.0.113.7"),
    ]


def test_a_request_without_anyone_signed_in_is_anonymous_not_the_server_s_user(app):
    with app.test_request_context(environ_base=ADDRESS):
        audit.record(db.session, "password.set", "ann@example.org")
        db.session.commit()
    [entry] = audit_log("password.set")
    assert (entry.actor, entry.actor_id, entry.ip) == ("anonymous", None, "203.0.113.7")


def test_an_explicit_actor_wins(app, ann):
    audit.record(db.session, "password.set", "bob@example.org", actor=ann)
    db.session.commit()
    [entry] = audit_log("password.set")
    assert (entry.actor, entry.actor_id) == ("ann@example.org", ann.id)
