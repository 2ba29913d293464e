"""Organising sessions: every field checked and named, changes audited, times in UTC."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from awareness import create_app
from awareness.extensions import db
from awareness.live import attendance, planning, registration, times
from awareness.live.problems import Closed, FieldError
from awareness.models import Department
from awareness.models.types import utcnow
from tests.helpers import audit_log

START = datetime(2030, 3, 1, 9, 0)


def draft(**changes) -> planning.Draft:
    values = {
        "title": "Ransomware roundtable",
        "kind": "roundtable",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "location": "Board room",
        **changes,
    }
    return planning.Draft(**values)


def test_a_session_is_created_with_its_audience_module_and_facilitator(org):
    live = planning.create(
        db.session,
        draft(
            capacity=12,
            module="cyber-risk",
            facilitator="BOSS@example.org",
            layers=["leadership", "management"],
            departments=["Finance", "Executive"],
        ),
        by=org["hr"],
    )
    db.session.commit()
    assert (live.module.slug, live.facilitator.email, live.capacity) == (
        "cyber-risk",
        "boss@example.org",
        12,
    )
    assert [row.layer_id for row in live.layers] == ["leadership", "management"]
    assert len(live.departments) == 2
    assert len(live.attendance_code) == 6 and live.attendance_code.isalnum()
    [entry] = audit_log("live_session.create")
    assert entry.actor == "hr@example.org"
    assert entry.details["departments"] == ["Executive", "Finance"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "party"}, "kind"),
        ({"ends_at": START}, "ends_at"),
        ({"ends_at": START + timedelta(days=8)}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"location": "x" * 501}, "location"),
        ({"module": "no-such-module"}, "module"),
        ({"facilitator": "nobody@example.org"}, "facilitator"),
        ({"layers": ["astronauts"]}, "audience"),
        ({"departments": ["Finance/Nowhere"]}, "audience"),
    ],
)
def test_a_bad_field_is_refused_by_name_and_nothing_is_written(org, changes, field):
    with pytest.raises(FieldError) as raised:
        planning.create(db.session, draft(**changes))
    assert raised.value.field == field
    assert raised.value.message.startswith(field)
    db.session.rollback()
    assert audit_log("live_session.create") == []


def test_an_edit_is_audited_with_old_and_new_values_and_moves_the_calendar_sequence(org):
    live = planning.create(db.session, draft(capacity=10))
    changes = planning.update(db.session, live, draft(capacity=20, title="New title"))
    db.session.commit()
    assert changes == {"capacity": [10, 20], "title": ["Ransomware roundtable", "New title"]}
    assert live.sequence == 1
    assert audit_log("live_session.update")[0].details["changes"]["capacity"] == [10, 20]
    assert planning.update(db.session, live, draft(capacity=20, title="New title")) == {}
    assert live.sequence == 1


def test_capacity_cannot_fall_below_the_registrations(org):
    live = planning.create(
        db.session,
        draft(
            starts_at=utcnow() + timedelta(days=1), ends_at=utcnow() + timedelta(days=1, hours=1)
        ),
    )
    for key in ("pay1", "pay2"):
        registration.register(db.session, live, org[key], utcnow())
    with pytest.raises(FieldError, match="capacity: 2 people are already registered"):
        planning.update(
            db.session, live, draft(starts_at=live.starts_at, ends_at=live.ends_at, capacity=1)
        )


def test_once_attendance_is_recorded_the_module_and_start_stay(org):
    start = (utcnow() - timedelta(days=3)).replace(microsecond=0)
    fields = {"starts_at": start, "ends_at": start + timedelta(hours=1), "module": "welcome"}
    live = planning.create(db.session, draft(**fields))
    attendance.record(db.session, live, [org["it"].id], method="roster", now=utcnow())
    with pytest.raises(FieldError, match=r"^module"):
        planning.update(db.session, live, draft(**{**fields, "module": "phishing"}))
    with pytest.raises(FieldError, match=r"^starts_at"):
        planning.update(
            db.session, live, draft(**{**fields, "starts_at": start - timedelta(hours=1)})
        )
    assert planning.update(db.session, live, draft(**{**fields, "location": "Hall"}))
    with pytest.raises(Closed):
        planning.cancel(db.session, live)


def test_a_cancelled_session_is_audited_and_cannot_be_edited(org):
    live = planning.create(db.session, draft())
    assert planning.cancel(db.session, live, by=org["hr"])
    assert not planning.cancel(db.session, live)
    db.session.commit()
    assert live.cancelled and live.sequence == 1
    assert [e.action for e in audit_log("live_session.cancel")] == ["live_session.cancel"]
    with pytest.raises(Closed):
        planning.update(db.session, live, draft(title="Again"))


def test_the_api_audience_list_splits_into_layers_and_departments(org):
    assert planning.split_audience(db.session, ["leadership", "Finance", "IT"]) == (
        ["leadership"],
        ["Finance", "IT"],
    )
    assert db.session.query(Department).filter_by(path="IT").one()


def test_local_times_convert_to_utc_and_back():
    karachi = times.ZoneInfo("Asia/Karachi")
    assert times.to_utc(datetime(2030, 3, 1, 9, 0), karachi) == datetime(2030, 3, 1, 4, 0)
    assert times.to_local(datetime(2030, 3, 1, 4, 0), karachi) == datetime(2030, 3, 1, 9, 0)
    assert times.parse_iso("2030-03-01T09:00:00+05:00", karachi) == datetime(2030, 3, 1, 4, 0)
    assert times.parse_iso("2030-03-01T04:00:00Z", karachi) == datetime(2030, 3, 1, 4, 0)
    assert times.parse_iso("2030-03-01T09:00", karachi) == datetime(2030, 3, 1, 4, 0)
    with pytest.raises(ValueError, match="does not exist"):  # clocks go forward in Berlin
        times.to_utc(datetime(2030, 3, 31, 2, 30), times.ZoneInfo("Europe/Berlin"))


def test_an_unknown_time_zone_stops_the_start_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("AWARENESS_TIMEZONE", "Mars/Olympus_Mons")
    with pytest.raises(RuntimeError, match="AWARENESS_TIMEZONE must be a time zone name"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("AWARENESS_TIMEZONE", "Asia/Karachi")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Karachi"
