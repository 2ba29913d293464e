"""Which emails a live session's registrants are owed (awareness.live.notices), without HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from awareness.extensions import db
from awareness.live import notices, planning, registration
from awareness.models import EmailMessage, Registration
from awareness.models.types import utcnow

UTC = ZoneInfo("UTC")
KARACHI = ZoneInfo("Asia/Karachi")  # UTC+5, no summer time


def english(language: str | None) -> str:
    return language or "en"


def messages() -> list[tuple[str, str, str]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(EmailMessage.kind, EmailMessage.to_address, EmailMessage.status).order_by(
            EmailMessage.id
        )
    )
    return [tuple(row) for row in rows]


def test_a_reminder_is_owed_the_day_before_to_those_who_registered_before_it(org, plan):
    tomorrow = plan(starts_in=timedelta(hours=20), title="Tomorrow")
    next_week = plan(starts_in=timedelta(days=7), title="Next week")
    cancelled = plan(starts_in=timedelta(hours=5), title="Cancelled")
    now = utcnow()
    for live in (tomorrow, next_week, cancelled):
        registration.register(db.session, live, org["pay1"], now - timedelta(days=3))
    registration.register(db.session, tomorrow, org["proc"], now)  # has just been confirmed
    planning.cancel(db.session, cancelled)
    db.session.commit()
    [due] = notices.reminders_due(db.session, now, UTC)
    assert (due.session_id, due.email) == (tomorrow.id, "pay1@example.org")
    assert list(notices.reminders_due(db.session, now + timedelta(days=1), UTC)) == []  # started
    written = notices.write_reminders(db.session, [due], now, english)
    assert len(written) == 1
    assert notices.write_reminders(db.session, [due], now, english) == []  # once
    assert notices.count_new_reminders(db.session, [due]) == 0
    [key] = db.session.scalars(select(EmailMessage.dedupe_key))
    assert key.startswith(f"session_reminder:{tomorrow.id}:{org['pay1'].id}:")


def test_the_day_before_is_the_organisations_day(org, plan):
    starts = datetime(2030, 3, 5, 1, 0)  # 06:00 on 5 March in Karachi, still 4 March in UTC
    live = planning.create(
        db.session,
        planning.Draft(
            title="Early seminar", kind="seminar", starts_at=starts,
            ends_at=starts + timedelta(hours=2), location="Hall",
        ),
    )  # fmt: skip
    registration.register(db.session, live, org["pay1"], datetime(2030, 3, 1))
    db.session.commit()
    evening_before = datetime(2030, 3, 3, 18, 0)  # 23:00 on 3 March in Karachi
    assert list(notices.reminders_due(db.session, evening_before, KARACHI)) == []
    just_after_midnight = datetime(2030, 3, 3, 20, 0)  # 01:00 on 4 March in Karachi
    [due] = notices.reminders_due(db.session, just_after_midnight, KARACHI)
    assert due.person_id == org["pay1"].id
    assert notices.day_before(starts, KARACHI) == datetime(2030, 3, 3, 19, 0)
    assert notices.day_before(starts, UTC) == datetime(2030, 3, 4, 0, 0)


def test_each_notice_is_written_once_and_stale_ones_are_cancelled(org, plan):
    live = plan(starts_in=timedelta(days=5))
    now = utcnow()
    for key in ("pay1", "proc"):
        registration.register(db.session, live, org[key], now)
    assert len(notices.confirm(db.session, live, org["pay1"], now, english)) == 1
    assert notices.confirm(db.session, live, org["pay1"], now, english) == []  # once
    notices.confirm(db.session, live, org["proc"], now, english)
    planning.update(
        db.session,
        live,
        planning.Draft(
            title=live.title, kind=live.kind, starts_at=live.starts_at + timedelta(hours=1),
            ends_at=live.ends_at + timedelta(hours=1), location=live.location,
        ),
    )  # fmt: skip
    assert len(notices.tell_registrants(db.session, live, notices.CHANGE, now, english)) == 2
    assert notices.tell_registrants(db.session, live, notices.CHANGE, now, english) == []
    registration.unregister(db.session, live, org["proc"], now)
    assert notices.withdraw(db.session, live, org["proc"]) == 2  # confirmation, change
    planning.cancel(db.session, live)
    assert len(notices.tell_registrants(db.session, live, notices.CANCELLATION, now, english)) == 1
    db.session.commit()
    assert messages() == [
        ("session_confirmation", "pay1@example.org", "cancelled"),  # the cancellation says all
        ("session_confirmation", "proc@example.org", "cancelled"),
        ("session_change", "pay1@example.org", "cancelled"),
        ("session_change", "proc@example.org", "cancelled"),
        ("session_cancelled", "pay1@example.org", "pending"),
    ]


def test_only_time_and_place_changes_are_told():
    changes = {"capacity": [5, 8], "location": ["Room 1", "Hall"], "title": ["A", "B"]}
    assert notices.changed_for_registrants(changes) == {"location": ["Room 1", "Hall"]}


def test_without_a_base_url_registering_writes_no_email(org, plan, client, login):
    from tests.live.test_pages import post

    live = plan()
    login(org["pay1"])
    post(client, f"/sessions/{live.id}/register").close()
    assert db.session.get(Registration, (live.id, org["pay1"].id)) is not None
    assert messages() == []
