"""What SECURITY.md promises about live sessions, each promise once."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from awareness.extensions import db
from awareness.live import attendance, codes, registration
from awareness.models.types import utcnow
from awareness.people.accounts import issue_token
from tests.helpers import audit_log


def bearer(person) -> dict[str, str]:
    token = issue_token(db.session, person)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_session_outside_the_audience_is_not_found_and_not_listed(org, plan, client):
    live = plan(layers=["leadership"], title="Board only")
    staff = bearer(org["pay1"])
    assert client.get(f"/api/v1/sessions/{live.id}", headers=staff).status_code == 404
    listed = client.get("/api/v1/sessions", headers=staff).get_json()["sessions"]
    assert live.id not in [entry["id"] for entry in listed]
    assert client.post(f"/api/v1/sessions/{live.id}/registration", headers=staff).status_code == 403


def test_the_code_is_shown_only_to_those_who_take_attendance(org, plan, client, login):
    live = plan(starts_in=-timedelta(minutes=5), facilitator="it@example.org")
    login(org["pay1"])  # in the audience
    registration_page = client.get(f"/sessions/{live.id}").get_data(as_text=True)
    assert live.attendance_code not in registration_page
    assert client.get(f"/sessions/{live.id}/roster").status_code == 403
    answer = client.get(f"/api/v1/sessions/{live.id}", headers=bearer(org["pay1"]))
    assert live.attendance_code not in answer.get_data(as_text=True)
    login(org["it"])  # the facilitator
    assert live.attendance_code in client.get(f"/sessions/{live.id}/roster").get_data(as_text=True)


def test_a_typed_code_is_compared_in_constant_time(org, plan, monkeypatch):
    live = plan(starts_in=-timedelta(minutes=5))
    compared = []

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(codes.secrets, "compare_digest", compare_digest)
    typed = f" {live.attendance_code.lower()} "
    assert attendance.enter_code(db.session, live, org["pay1"], typed, utcnow())
    assert compared == [(live.attendance_code.encode(), live.attendance_code.encode())]


def test_attendance_recorded_from_addresses_is_audited_with_its_actor(org, plan, client):
    live = plan(starts_in=-timedelta(hours=1))
    body = {"emails": ["it@example.org", "ghost@example.org"]}
    response = client.post(
        f"/api/v1/sessions/{live.id}/attendance", json=body, headers=bearer(org["hr"])
    )
    assert response.status_code == 200
    [entry] = audit_log("attendance.record")
    assert (entry.actor, entry.target) == ("hr@example.org", f"{live.id}: {live.title}")
    assert entry.details == {
        "method": "api", "recorded": 1, "unknown": 1, "people": ["it@example.org"]
    }  # fmt: skip


def test_the_roster_csv_neutralises_formulas(org, plan, make_person, client, login):
    live = plan()
    hostile = make_person("=cmd@example.org", name='=HYPERLINK("https://evil.example")')
    registration.register(db.session, live, hostile, utcnow())
    db.session.commit()
    login(org["hr"])
    body = client.get(f"/dashboard/sessions/{live.id}/roster.csv").get_data(as_text=True)
    [row] = list(csv.reader(io.StringIO(body)))[1:]
    assert row[:2] == ["'=cmd@example.org", '\'=HYPERLINK("https://evil.example")']
