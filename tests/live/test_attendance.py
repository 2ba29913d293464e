"""Attendance counts: recorded once, completes the module with no score, removable (audited)."""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from awareness.extensions import db
from awareness.live import attendance
from awareness.live.problems import Closed, FieldError, NotInAudience, WrongCode
from awareness.models import Assignment, Attempt, Attendance, LiveSession, Module, Person
from awareness.models.types import utcnow
from awareness.progress import learner, summary
from awareness.reporting import coverage, trend
from awareness.reporting.figures import Filters
from tests.helpers import audit_log


def attempts_of(live) -> list[Attempt]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attempt).where(Attempt.live_session_id == live.id)))


def module(slug: str) -> Module:
    return db.session.scalar(select(Module).where(Module.slug == slug))


def test_attendance_completes_the_module_with_no_score_and_counts_everywhere(
    org, plan, client, login
):
    """The org's figures (13 assigned, 5 completed, 6 overdue, avg 87.5) before and after."""
    live = plan(starts_in=-timedelta(days=2), module="welcome")
    login(org["hr"])
    before = client.get("/api/v1/coverage?by=module").get_json()
    assert before["total"] == {
        "assigned": 13,
        "completed": 5,
        "overdue": 6,
        "coverage": 0.3846,
        "avg_score": 87.5,
    }
    welcome = next(row for row in before["rows"] if row["key"] == "welcome")
    assert (welcome["completed"], welcome["avg_score"]) == (3, 100.0)

    people = [org[key] for key in ("it", "new", "boss")]  # none has a welcome attempt
    result = attendance.record(
        db.session, live, [p.id for p in people], method="roster", now=utcnow(), by=org["hr"]
    )
    db.session.commit()
    assert result.recorded == 3

    after = client.get("/api/v1/coverage?by=module").get_json()
    # it and boss were overdue, new not started: all three completed; avg_score ignores them.
    assert after["total"] == {
        "assigned": 13,
        "completed": 8,
        "overdue": 4,
        "coverage": 0.6154,
        "avg_score": 87.5,
    }
    welcome = next(row for row in after["rows"] if row["key"] == "welcome")
    assert (welcome["completed"], welcome["avg_score"]) == (6, 100.0)

    [attempt] = [a for a in attempts_of(live) if a.person_id == org["it"].id]
    assert (attempt.score, attempt.passed, attempt.submitted_at) == (None, True, live.starts_at)
    assert (attempt.major, attempt.source_hash) == (
        module("welcome").major,
        module("welcome").source_hash,
    )

    login(org["it"])
    mine = {m["slug"]: m for m in client.get("/api/v1/me").get_json()["modules"]}
    assert mine["welcome"]["status"] == "completed"
    assert mine["welcome"]["best_score"] is None
    assert mine["welcome"]["completed_at"] == live.starts_at.isoformat(timespec="seconds") + "Z"
    page = client.get("/").get_data(as_text=True)
    assert "1 of 1 required modules completed" in page and "Best score" not in page

    login(org["hr"])
    rows = list(
        csv.DictReader(io.StringIO(client.get("/dashboard/assignments.csv").get_data(as_text=True)))
    )
    row = next(r for r in rows if r["email"] == "it@example.org" and r["module"] == "welcome")
    assert (row["status"], row["best_score"], row["attempts"]) == ("completed", "", "1")
    overview = client.get("/dashboard/").get_data(as_text=True)
    assert "62%" in overview  # coverage 8/13


def test_a_past_dated_attendance_moves_the_kept_trend(org, plan):
    now = utcnow()
    points = trend.trend(db.session, Filters(), now)  # computes and keeps the past points
    db.session.commit()
    live = plan(starts_in=-timedelta(days=45), module="welcome")
    attendance.record(db.session, live, [org["it"].id, org["boss"].id], method="api", now=now)
    db.session.commit()
    again = trend.trend(db.session, Filters(), now)
    month_end = next(i for i, p in enumerate(points[:-1]) if p.as_of > live.starts_at)
    assert again[month_end].completed == points[month_end].completed + 2
    assert again[-1].completed == coverage.totals(db.session).completed


def test_renewal_runs_from_the_session_day(org, plan):
    live = plan(starts_in=-timedelta(days=100), module="phishing")
    attendance.record(db.session, live, [org["pay2"].id], method="upload", now=utcnow())
    db.session.commit()
    row = db.session.get(Assignment, (org["pay2"].id, module("phishing").id))
    assert row.last_passed_at == live.starts_at
    assert row.expires_at == live.starts_at + timedelta(days=365)
    [item] = [
        i
        for i in learner.person_assignments(db.session, org["pay2"].id)
        if i.module.slug == "phishing"
    ]
    assert (item.status, item.due, item.best_score) == (
        "completed",
        (live.starts_at + timedelta(days=365)).date(),
        100,
    )


def test_recording_twice_records_once(org, plan):
    live = plan(starts_in=-timedelta(hours=1), module="welcome")
    first = attendance.record_emails(
        db.session, live, ["IT@example.org", "it@example.org "], method="upload", now=utcnow()
    )
    second = attendance.record_emails(
        db.session, live, ["it@example.org"], method="api", now=utcnow()
    )
    db.session.commit()
    assert (first.recorded, second.recorded, second.already) == (1, 0, 1)
    assert len(attempts_of(live)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    assert db.session.get(Attendance, (live.id, org["it"].id)).method == "upload"


def test_unknown_and_deactivated_addresses_are_listed_back(org, plan):
    live = plan(starts_in=-timedelta(hours=1))
    result = attendance.record_emails(
        db.session,
        live,
        ["pay1@example.org", "Typo@Example.org", "gone@example.org"],
        method="upload",
        now=utcnow(),
    )
    assert (result.recorded, result.unknown) == (1, ["Typo@Example.org", "gone@example.org"])


def test_removing_an_attendance_deletes_its_attempt_and_is_audited(org, plan):
    live = plan(starts_in=-timedelta(days=1), module="welcome")
    attendance.record(db.session, live, [org["it"].id], method="roster", now=utcnow())
    db.session.commit()
    assert coverage.totals(db.session).completed == 6
    assert attendance.remove(db.session, live, org["it"], by=org["hr"])
    assert not attendance.remove(db.session, live, org["it"])
    db.session.commit()
    assert attempts_of(live) == []
    assert coverage.totals(db.session).completed == 5
    [entry] = audit_log("attendance.remove")
    assert (entry.actor, entry.target, entry.details["session_id"]) == (
        "hr@example.org",
        "it@example.org",
        live.id,
    )


def test_no_attendance_before_a_session_opens_or_at_a_cancelled_one(org, plan):
    from awareness.live import planning

    live = plan(starts_in=timedelta(minutes=30))
    with pytest.raises(Closed, match="15 minutes before"):
        attendance.record(db.session, live, [org["it"].id], method="roster", now=utcnow())
    planning.cancel(db.session, live)
    with pytest.raises(Closed, match="cancelled"):
        attendance.record(db.session, live, [org["it"].id], method="roster", now=utcnow())


# -- codes -----------------------------------------------------------------


def test_a_code_is_accepted_from_15_minutes_before_to_an_hour_after(org, plan):
    live = plan(starts_in=timedelta(hours=1), hours=1, module="welcome")
    code, start, end = live.attendance_code, live.starts_at, live.ends_at
    person = org["it"]
    with pytest.raises(Closed, match=r"code is right.*15 minutes before"):
        attendance.enter_code(db.session, live, person, code, start - timedelta(minutes=16))
    with pytest.raises(Closed, match=r"code is right.*an hour after the end"):
        attendance.enter_code(db.session, live, person, code, end + timedelta(minutes=61))
    with pytest.raises(WrongCode, match="not this session's attendance code"):
        attendance.enter_code(db.session, live, person, "ZZZZZZ", start)
    assert attendance.enter_code(
        db.session, live, person, code.lower()[:3] + " " + code[3:], start - timedelta(minutes=15)
    )
    assert not attendance.enter_code(db.session, live, person, code, end + timedelta(hours=1))
    db.session.commit()
    assert len(attempts_of(live)) == 1
    assert db.session.get(Attendance, (live.id, person.id)).method == "code"


def test_a_code_finds_its_session_and_refuses_outside_the_audience(org, plan):
    live = plan(starts_in=-timedelta(minutes=5), layers=["technical"])
    found, recorded = attendance.enter_any_code(
        db.session, org["it"], live.attendance_code, utcnow()
    )
    assert (found.id, recorded) == (live.id, True)
    with pytest.raises(NotInAudience):
        attendance.enter_any_code(db.session, org["pay1"], live.attendance_code, utcnow())
    with pytest.raises(WrongCode, match="No session has that attendance code"):
        attendance.enter_any_code(db.session, org["pay1"], "ABCDE2", utcnow())


# -- attendee files --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        (
            "Name,Email,Joined\nAda,ada@x.org,09:00\nBob,BOB@x.org,09:05\n",
            ["ada@x.org", "BOB@x.org"],
        ),
        ("\ufeffUser Name,E-mail Address\nAda,ada@x.org\n", ["ada@x.org"]),
        ("ada@x.org\nbob@x.org\n\n", ["ada@x.org", "bob@x.org"]),
        ("Attendee\nada@x.org\n", ["ada@x.org"]),
        ("email\n", []),
    ],
)
def test_attendee_files_from_webinar_platforms(text, emails):
    assert attendance.read_attendee_file(text.encode()) == emails


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "holds no addresses"),
        (b"Name,Joined\nAda,09:00\n", "line 1 has no email column"),
        (b"\xff\xfe\x00a", "not UTF-8"),
    ],
)
def test_a_bad_attendee_file_says_what_is_wrong(data, message):
    with pytest.raises(FieldError, match=message):
        attendance.read_attendee_file(data)


# -- concurrency -----------------------------------------------------------


def record_in_own_session(engine, session_id: int, person_id: int, results: list) -> None:
    try:
        with Session(engine) as own:
            live = own.get(LiveSession, session_id)
            results.append(attendance.record(own, live, [person_id], method="code", now=utcnow()))
            own.commit()
    except Exception as error:  # reported to the test
        results.append(error)


def test_two_servers_recording_the_same_person_write_one_attempt(org, plan):
    live = plan(starts_in=-timedelta(minutes=10), module="welcome")
    session_id, person_id, engine = live.id, org["it"].id, db.engine
    db.session.commit()
    results: list = []
    with Session(engine) as first:
        attendance.record(
            first, first.get(LiveSession, session_id), [person_id], method="roster", now=utcnow()
        )
        other = threading.Thread(
            target=record_in_own_session, args=(engine, session_id, person_id, results)
        )
        other.start()
        time.sleep(0.5)  # the other server now waits for this one
        first.commit()
    other.join(timeout=30)
    [result] = results
    assert not isinstance(result, Exception), result
    assert result.recorded == 0
    assert len(attempts_of(live)) == 1
    assert db.session.get(Assignment, (person_id, module("welcome").id)).attempts == 1
    assert db.session.get(Person, person_id).active


def test_a_code_typed_this_month_updates_the_summary_in_place_and_keeps_the_trend(org, plan):
    live = plan(starts_in=-timedelta(minutes=5), module="phishing")
    if live.starts_at.month != utcnow().month:  # just after midnight on the 1st
        pytest.skip("the session started last month")
    generation = summary.trend_generation(db.session)
    attendance.enter_code(db.session, live, org["proc"], live.attendance_code, utcnow())
    db.session.commit()
    assert summary.trend_generation(db.session) == generation
    key = (org["proc"].id, module("phishing").id)
    row = db.session.get(Assignment, key)
    in_place = (row.attempts, row.best_score, row.last_passed_at, row.expires_at)
    assert in_place[:3] == (2, 50, live.starts_at)  # the quiz's 50 stays the best score

    summary.refresh(db.session, person_ids=[key[0]])
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(Assignment, key)
    assert (row.attempts, row.best_score, row.last_passed_at, row.expires_at) == in_place
