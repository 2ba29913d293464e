"""Stored import previews, without HTTP: applied once, and only while current."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awareness.extensions import db
from awareness.models import Person, utcnow
from awareness.people import importer, previews
from awareness.people.rows import PersonRow


def preview_of(*rows: PersonRow, deactivate_missing: bool = False):
    planned = importer.plan(db.session, rows, deactivate_missing=deactivate_missing)
    preview = previews.save(
        db.session, "people.csv", planned, [], invite=False,
        deactivate_missing=deactivate_missing, by=None, now=utcnow(),
    )  # fmt: skip
    db.session.commit()
    return preview


def row(email: str, name: str = "Someone", department: str = "Ops") -> PersonRow:
    return PersonRow(2, email, name, department, "staff", "")


def test_a_stored_plan_is_the_plan_made(make_person):
    make_person("ann@example.org", name="Ann")
    rows = [row("ann@example.org", "Ann Lee"), row("bob@example.org")]
    planned = importer.plan(db.session, rows)
    preview = preview_of(*rows)
    assert previews.plan_of(db.session, preview) == planned
    assert [s.kind for s in planned.steps] == ["update", "create"]
    assert planned.steps[0].changes == {
        "name": ("Ann", "Ann Lee"),
        "department": ("Finance/Payroll", "Ops"),
    }


def test_a_preview_is_applied_once(content):
    preview = preview_of(row("bob@example.org"))
    result = previews.confirm(db.session, preview.key, by=None, now=utcnow())
    db.session.commit()
    assert result.created == 1
    with pytest.raises(previews.Refused) as refused:
        previews.confirm(db.session, preview.key, by=None, now=utcnow())
    assert refused.value.reason == "applied"


def test_a_preview_of_people_changed_since_is_refused(make_person):
    ann = make_person("ann@example.org", name="Ann")
    preview = preview_of(row("ann@example.org", "Ann Lee"))
    ann.roles = "hr"
    db.session.commit()
    with pytest.raises(previews.Refused) as refused:
        previews.confirm(db.session, preview.key, by=None, now=utcnow())
    assert refused.value.reason == "stale"
    db.session.rollback()
    assert db.session.scalar(select(Person.name).where(Person.email == "ann@example.org")) == "Ann"


def test_a_change_to_someone_else_leaves_the_preview_current(make_person):
    make_person("ann@example.org", name="Ann")
    other = make_person("cat@example.org", name="Cat")
    preview = preview_of(row("ann@example.org", "Ann Lee"))
    other.name = "Catherine"
    db.session.commit()
    assert previews.confirm(db.session, preview.key, by=None, now=utcnow()).updated == 1


def test_an_expired_preview_is_refused_and_cleaned_up(content):
    key = preview_of(row("bob@example.org")).key
    later = utcnow() + previews.EXPIRES_AFTER + timedelta(seconds=1)
    with pytest.raises(previews.Refused) as refused:
        previews.confirm(db.session, key, by=None, now=later)
    assert refused.value.reason == "expired"
    db.session.rollback()
    assert previews.clean_up(db.session, later) == 1
    assert previews.find(db.session, key) is None
