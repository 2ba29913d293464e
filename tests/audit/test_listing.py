"""The audit log a page at a time (``awareness.audit.listing``) and its filters."""

from __future__ import annotations

import re
from datetime import date, datetime

import awareness.audit
from awareness.audit import ACTIONS, record
from awareness.audit.export import AuditFilters
from awareness.audit.listing import audit_page
from awareness.extensions import db


def entries(app):
    for day, actor, action, target in [
        (1, "cli:ops", "people.import", "people.csv"),
        (2, "admin@example.org", "roles.change", "ann@example.org"),
        (3, "ann@example.org", "password.change", "ann@example.org"),
    ]:
        event = record(db.session, action, target)
        event.actor, event.at = actor, datetime(2026, 3, day, 12)
    db.session.commit()


def actions(filters: AuditFilters, page: int = 1, per_page: int = 50) -> list[str]:
    return [e.action for e in audit_page(db.session, filters, page, per_page=per_page).entries]


def test_newest_first_and_paged(app):
    entries(app)
    assert actions(AuditFilters()) == ["password.change", "roles.change", "people.import"]
    second = audit_page(db.session, AuditFilters(), 2, per_page=2)
    assert ([e.action for e in second.entries], second.pages, second.total) == (
        ["people.import"], 2, 3,
    )  # fmt: skip
    assert audit_page(db.session, AuditFilters(), 9, per_page=2).entries == []


def test_a_person_is_who_acted_or_whom_it_was_about(app):
    entries(app)
    assert actions(AuditFilters(person="ann@example.org")) == ["password.change", "roles.change"]
    assert actions(AuditFilters(person="admin@example.org")) == ["roles.change"]
    assert actions(AuditFilters(person="cli:ops")) == ["people.import"]


def test_days_include_both_ends_and_the_last_day_does_not_overflow(app):
    entries(app)
    assert actions(AuditFilters(since=date(2026, 3, 2), until=date(2026, 3, 2))) == ["roles.change"]
    assert actions(AuditFilters(since=date(2026, 3, 3), actions=("people.import",))) == []


def test_an_empty_log_has_one_page(app):
    page = audit_page(db.session, AuditFilters())
    assert (page.entries, page.pages, page.total) == ([], 1, 0)


def test_every_documented_action_can_be_chosen():
    documented = re.findall(r"^- ``([a-z_]+\.[a-z_]+)``(?: / ``([a-z_]+\.[a-z_]+)``)?:",
                            awareness.audit.__doc__, re.M)  # fmt: skip
    listed = [action for pair in documented for action in pair if action]
    assert list(ACTIONS) == listed
