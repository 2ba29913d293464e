"""The pages as each kind of person uses them: learners, the facilitator, HR, managers."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awareness.extensions import db
from awareness.live import attendance, registration
from awareness.models import Attendance, Registration
from awareness.models.types import utcnow
from tests.helpers import audit_log, csrf_token


def post(client, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
    token = csrf_token(client.get(page or "/sessions/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_learner_lists_registers_downloads_and_cancels(org, plan, client, login):
    live = plan(capacity=3, module="phishing", title="Spot the phish")
    plan(layers=["leadership"], title="Leaders only")
    login(org["pay1"])
    page = text(client.get("/sessions/"))
    assert "Spot the phish" in page and "Leaders only" not in page
    assert "3 places left" in page
    response = post(client, f"/sessions/{live.id}/register")
    assert response.status_code == 303
    page = text(client.get(f"/sessions/{live.id}"))
    assert "You are registered" in page and "2 places left" in page
    assert f'href="/sessions/{live.id}"' in text(client.get("/"))  # the next session at home

    ics = client.get(f"/sessions/{live.id}/calendar.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert f"UID:live-session-{live.id}@localhost" in body
    assert f"DTSTART:{live.starts_at:%Y%m%dT%H%M%S}Z" in body
    assert "STATUS:CONFIRMED" in body and "SUMMARY:Spot the phish" in body

    assert post(client, f"/sessions/{live.id}/unregister").status_code == 303
    assert "3 places left" in text(client.get(f"/sessions/{live.id}"))


def test_a_full_session_says_so_and_registering_is_refused(org, plan, client, login):
    live = plan(capacity=1)
    registration.register(db.session, live, org["proc"], utcnow())
    db.session.commit()
    login(org["pay1"])
    assert "This session is full." in text(client.get(f"/sessions/{live.id}"))
    response = post(client, f"/sessions/{live.id}/register", follow_redirects=True)
    assert "every place is taken" in text(response)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_a_cancelled_session_shows_cancelled_to_registrants_in_the_calendar_too(
    org, plan, client, login
):
    live = plan(title="Called off")
    registration.register(db.session, live, org["pay1"], utcnow())
    db.session.commit()
    login(org["hr"])
    assert post(client, f"/sessions/{live.id}/cancel").status_code == 303
    login(org["pay1"])
    assert "Cancelled" in text(client.get("/sessions/"))
    assert "STATUS:CANCELLED" in text(client.get(f"/sessions/{live.id}/calendar.ics"))
    login(org["proc"])
    assert "Called off" not in text(client.get("/sessions/"))
    assert client.get(f"/sessions/{live.id}").status_code == 404


def test_a_session_outside_the_audience_is_not_found(org, plan, client, login):
    live = plan(layers=["leadership"])
    login(org["pay1"])
    assert client.get(f"/sessions/{live.id}").status_code == 404
    assert post(client, f"/sessions/{live.id}/register").status_code == 404


def test_an_attendee_enters_the_code_and_wrong_or_late_codes_say_which(org, plan, client, login):
    live = plan(starts_in=-timedelta(minutes=5), module="welcome")
    late = plan(starts_in=-timedelta(hours=5), hours=1)
    login(org["it"])
    response = post(client, "/sessions/code", {"code": "WRONG2"}, follow_redirects=True)
    assert "No session has that attendance code" in text(response)
    response = post(client, "/sessions/code", {"code": late.attendance_code}, follow_redirects=True)
    assert "The code is right, but it was accepted only until an hour after the end" in text(
        response
    )
    response = post(client, f"/sessions/{live.id}/code", {"code": "WRONG2"}, follow_redirects=True)
    assert "not this session&#39;s attendance code" in text(response)
    response = post(
        client,
        f"/sessions/{live.id}/code",
        {"code": live.attendance_code.lower()},
        follow_redirects=True,
    )
    assert "your attendance at" in text(response) and "You attended" in text(response)
    response = post(client, "/sessions/code", {"code": live.attendance_code}, follow_redirects=True)
    assert "was already recorded" in text(response)


def test_the_facilitator_takes_attendance_but_nothing_else_of_hrs(org, plan, client, login):
    live = plan(starts_in=-timedelta(minutes=30), facilitator="pay1@example.org", module="welcome")
    registration_target = plan(facilitator="pay1@example.org")
    login(org["pay1"])
    page = text(client.get(f"/sessions/{live.id}/roster"))
    assert live.attendance_code in page
    response = post(
        client,
        f"/sessions/{live.id}/roster",
        {"person": [str(org["it"].id)], "emails": "NEW@example.org\nnobody@example.org"},
        page=f"/sessions/{live.id}/roster",
        follow_redirects=True,
    )
    assert "2 attendances recorded." in text(response)
    assert "Nobody active has these addresses: nobody@example.org" in text(response)
    db.session.expire_all()
    recorded = db.session.get(Attendance, (live.id, org["it"].id))
    assert (recorded.method, recorded.recorded_by_id) == ("roster", org["pay1"].id)
    response = post(client, f"/sessions/{live.id}/attendance/{org['it'].id}/remove")
    assert response.status_code == 303
    assert audit_log("attendance.remove")[0].actor == "pay1@example.org"
    for url in (f"/sessions/{live.id}/roster/upload", f"/sessions/{live.id}/cancel"):
        assert post(client, url).status_code == 403
    assert client.get(f"/sessions/{live.id}/edit").status_code == 403
    assert client.get("/sessions/new").status_code == 403
    assert client.get("/dashboard/sessions/").status_code == 403
    login(org["proc"])  # not this session's facilitator
    assert client.get(f"/sessions/{registration_target.id}/roster").status_code == 403


def test_ticking_and_removing_on_the_roster_are_audited(org, plan, client, login):
    live = plan(starts_in=-timedelta(minutes=30), facilitator="pay1@example.org", module="welcome")
    login(org["pay1"])  # the facilitator: no organising role
    roster = f"/sessions/{live.id}/roster"
    ticks = {"person": [str(org["it"].id), str(org["proc"].id)], "emails": ""}
    assert post(client, roster, ticks, page=roster).status_code == 303
    [added] = audit_log("attendance.record")
    assert (added.actor, added.target) == ("pay1@example.org", f"{live.id}: {live.title}")
    assert added.details == {
        "method": "roster", "recorded": 2, "unknown": 0,
        "people": ["it@example.org", "proc@example.org"],
    }  # fmt: skip
    assert post(client, roster, ticks, page=roster).status_code == 303
    assert len(audit_log("attendance.record")) == 1  # nothing new: nothing to audit
    remove = f"/sessions/{live.id}/attendance/{org['it'].id}/remove"
    assert post(client, remove, page=roster).status_code == 303
    [removed] = audit_log("attendance.remove")
    assert (removed.actor, removed.target) == ("pay1@example.org", "it@example.org")
    assert removed.details == {"session_id": live.id, "title": live.title}
    login(org["hr"])
    ticks = {"person": [str(org["it"].id)], "emails": "new@example.org"}
    assert post(client, roster, ticks, page=roster).status_code == 303
    again = audit_log("attendance.record")[-1]
    assert (again.actor, again.details["recorded"]) == ("hr@example.org", 2)
    assert again.details["people"] == ["it@example.org", "new@example.org"]


def test_hr_uploads_an_attendee_list_and_sees_the_unknown_addresses(org, plan, client, login):
    live = plan(starts_in=-timedelta(days=1), module="welcome")
    login(org["hr"])
    csv_text = "Name,Email\nIt,IT@EXAMPLE.ORG\nNew,new@example.org\nTypo,tpyo@example.org\n"
    response = post(
        client,
        f"/sessions/{live.id}/roster/upload",
        {"file": (io.BytesIO(csv_text.encode()), "attendees.csv")},
        page=f"/sessions/{live.id}/roster",
        content_type="multipart/form-data",
    )
    page = text(response)
    assert response.status_code == 200
    assert "2 newly recorded, 0 already recorded." in page
    assert "tpyo@example.org" in page
    bad = post(
        client,
        f"/sessions/{live.id}/roster/upload",
        {"file": (io.BytesIO(b"Name,Joined\nIt,09:00\n"), "attendees.csv")},
        page=f"/sessions/{live.id}/roster",
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "line 1 has no email column" in text(bad)
    db.session.expire_all()
    assert len(db.session.scalars(select(Attendance)).all()) == 2


def test_managers_see_their_departments_figures_and_the_roster_csv(org, plan, client, login):
    live = plan(starts_in=-timedelta(days=2), module="welcome", title="=HYPERLINK(1)")
    upcoming = plan(capacity=10, title="Next one")
    for key in ("pay1", "it"):
        registration.register(db.session, upcoming, org[key], utcnow())
    attendance.record(db.session, live, [org["new"].id, org["it"].id], method="api", now=utcnow())
    db.session.commit()
    login(org["boss"])  # manager of Finance: new counts, it (IT) does not
    page = text(client.get("/dashboard/sessions/"))
    assert "Next one" in page
    figures = re.findall(r"<td>(\d+)</td>", page)
    assert figures[:3] == ["1", "10", "8"]  # registered in Finance, capacity, places left
    by_department = text(client.get(f"/dashboard/sessions/{live.id}"))
    assert "Finance/Payroll" in by_department and ">IT<" not in by_department
    rows = list(
        csv.reader(io.StringIO(text(client.get(f"/dashboard/sessions/{live.id}/roster.csv"))))
    )
    assert [row[0] for row in rows[1:]] == ["new@example.org"]
    assert rows[1][6] == "yes"
    login(org["hr"])
    rows = list(
        csv.reader(io.StringIO(text(client.get(f"/dashboard/sessions/{live.id}/roster.csv"))))
    )
    assert sorted(row[0] for row in rows[1:]) == ["it@example.org", "new@example.org"]
    login(org["pay1"])
    assert client.get("/dashboard/sessions/").status_code == 403


@pytest.mark.parametrize(
    ("base_url", "host"),
    [("https://training.example.gov/awareness", "training.example.gov"), (None, "localhost")],
)
def test_the_calendar_uid_is_the_sites_own(app, org, plan, client, login, base_url, host):
    """The UID's domain is AWARENESS_BASE_URL's host (else the request's), never a fixed one."""
    app.config["BASE_URL"] = base_url
    live = plan()
    login(org["pay1"])
    body = text(client.get(f"/sessions/{live.id}/calendar.ics"))
    unfolded = body.replace("\r\n ", "")
    assert f"UID:live-session-{live.id}@{host}\r\n" in body
    page = f"{base_url}/sessions/{live.id}" if base_url else f"http://localhost/sessions/{live.id}"
    assert f"URL:{page}\r\n" in unfolded
