"""The live sessions JSON API (docs/api.md), with a bearer token as scripts use it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awareness.extensions import db
from awareness.live import planning
from awareness.models import LiveSession
from awareness.models.types import utcnow
from awareness.people.accounts import issue_token

BODY = {
    "title": "Leadership roundtable",
    "kind": "roundtable",
    "starts_at": "2030-03-01T09:00:00Z",
    "ends_at": "2030-03-01T11:00:00+00:00",
    "location": "Board room",
    "capacity": 30,
    "audience": ["leadership", "management"],
    "module": "cyber-risk",
}


@pytest.fixture
def bearer(org):
    def headers(key: str) -> dict[str, str]:
        token = issue_token(db.session, org[key])
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers


def test_hr_creates_a_session_and_learners_cannot(client, bearer):
    response = client.post("/api/v1/sessions", json=BODY, headers=bearer("hr"))
    assert response.status_code == 201
    created = response.get_json()
    assert created["id"] == db.session.scalar(select(LiveSession.id))
    assert {key: created[key] for key in ("starts_at", "ends_at", "registered", "module")} == {
        "starts_at": "2030-03-01T09:00:00Z",
        "ends_at": "2030-03-01T11:00:00Z",
        "registered": 0,
        "module": "cyber-risk",
    }
    assert created["audience"] == ["leadership", "management"]
    assert client.post("/api/v1/sessions", json=BODY, headers=bearer("pay1")).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "lecture"}, "kind"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"ends_at": "2030-03-01T08:00:00Z"}, "ends_at"),
        ({"capacity": "thirty"}, "capacity"),
        ({"capacity": -1}, "capacity"),
        ({"audience": ["astronauts"]}, "audience"),
        ({"audience": "leadership"}, "audience"),
        ({"module": "no-such"}, "module"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_fields_are_400_naming_the_field(client, bearer, changes, field):
    response = client.post("/api/v1/sessions", json={**BODY, **changes}, headers=bearer("hr"))
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(field)
    assert db.session.scalar(select(LiveSession)) is None


def test_registering_through_the_api(client, bearer, plan, org):
    live = plan(capacity=1, layers=["staff"])
    staff, other, outside = bearer("pay1"), bearer("proc"), bearer("boss")
    listed = client.get("/api/v1/sessions", headers=staff).get_json()["sessions"]
    assert [(s["id"], s["registered"], s["capacity"]) for s in listed] == [(live.id, 0, 1)]
    assert client.get("/api/v1/sessions", headers=outside).get_json() == {"sessions": []}
    url = f"/api/v1/sessions/{live.id}/registration"
    assert client.post(url, headers=staff).status_code == 201
    assert client.post(url, headers=staff).status_code == 200  # already registered: once
    full = client.post(url, headers=other)
    assert (full.status_code, "full" in full.get_json()["error"]) == (409, True)
    assert client.post(url, headers=outside).status_code == 403
    assert client.delete(url, headers=staff).status_code == 200
    assert client.post(url, headers=other).status_code == 201
    assert client.post("/api/v1/sessions/999999/registration", headers=staff).status_code == 404


def test_attendance_through_the_api_lists_unknown_addresses_and_records_once(
    client, bearer, plan, org
):
    live = plan(starts_in=-timedelta(hours=2), module="welcome")
    url = f"/api/v1/sessions/{live.id}/attendance"
    body = {"emails": ["IT@example.org", "new@example.org", "ghost@example.org"]}
    hr = bearer("hr")
    first = client.post(url, json=body, headers=hr)
    assert first.status_code == 200
    assert first.get_json() == {"recorded": 2, "already": 0, "unknown": ["ghost@example.org"]}
    assert client.post(url, json=body, headers=hr).get_json()["recorded"] == 0
    assert client.post(url, json={"emails": "it@example.org"}, headers=hr).status_code == 400
    assert client.post(url, json=body, headers=bearer("pay1")).status_code == 403


def test_hr_edits_and_cancels_through_the_api(client, bearer, plan, org):
    live = plan(capacity=5)
    hr = bearer("hr")
    url = f"/api/v1/sessions/{live.id}"
    changed = client.patch(url, json={"capacity": 8, "location": "Hall"}, headers=hr)
    assert changed.status_code == 200
    assert (changed.get_json()["capacity"], changed.get_json()["title"]) == (8, live.title)
    cancelled = client.patch(url, json={"cancelled": True}, headers=hr).get_json()
    assert cancelled["cancelled"] is True
    again = client.patch(url, json={"title": "Back on"}, headers=hr)
    assert again.status_code == 409
    assert client.patch(url, json={"capacity": 9}, headers=bearer("pay1")).status_code == 403
    assert client.get(url, headers=bearer("proc")).status_code == 404  # cancelled: gone for them


def test_upcoming_only_and_times_in_utc(client, bearer, plan, org):
    plan(starts_in=-timedelta(days=3), title="Past")
    live = plan(starts_in=timedelta(days=3), title="Future")
    listed = client.get("/api/v1/sessions", headers=bearer("hr")).get_json()["sessions"]
    assert [s["title"] for s in listed] == ["Future"]
    assert listed[0]["starts_at"] == live.starts_at.isoformat() + "Z"
    assert live.starts_at > utcnow()


def test_cancelling_a_place_at_a_session_one_may_not_see_is_404(client, bearer, plan, org):
    """DELETE on the registration never tells an outsider that a session exists."""
    live = plan(layers=["staff"])
    url = f"/api/v1/sessions/{live.id}/registration"
    outside, staff = bearer("boss"), bearer("pay1")
    assert client.delete(url, headers=outside).status_code == 404
    assert client.delete("/api/v1/sessions/999999/registration", headers=outside).status_code == 404
    assert client.delete(url, headers=staff).status_code == 200  # in its audience, no place: fine
    assert client.post(url, headers=staff).status_code == 201
    planning.cancel(db.session, db.session.get(LiveSession, live.id))
    db.session.commit()
    assert client.delete(url, headers=staff).status_code == 200  # registered: still theirs
    assert client.delete(url, headers=bearer("proc")).status_code == 404  # cancelled, no place
