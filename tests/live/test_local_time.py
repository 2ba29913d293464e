"""Times are typed and shown in the organisation's time zone (AWARENESS_TIMEZONE)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from awareness.extensions import db
from awareness.models import LiveSession
from tests.live.test_pages import post, text


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TIMEZONE": "Asia/Karachi"}


def test_hr_plans_a_session_in_local_time_and_bad_fields_are_named(org, client, login):
    login(org["hr"])
    form = {
        "title": "All-staff seminar",
        "kind": "seminar",
        "starts_at": "2030-03-01T09:00",
        "ends_at": "2030-03-01T10:30",
        "location": "https://meet.example.org/x",
        "capacity": "40",
        "module": "phishing",
        "facilitator": "",
        "layers": ["staff"],
        "departments": ["Finance"],
    }
    bad = post(
        client, "/sessions/new", {**form, "ends_at": "2030-03-01T08:00"}, page="/sessions/new"
    )
    assert bad.status_code == 200 and "ends_at: the session must end after it starts." in text(bad)
    bad = post(
        client, "/sessions/new", {**form, "facilitator": "nobody@example.org"}, page="/sessions/new"
    )
    assert "facilitator: nobody active has the address" in text(bad)
    assert db.session.scalar(select(LiveSession)) is None
    response = post(client, "/sessions/new", form, page="/sessions/new")
    assert response.status_code == 303
    live = db.session.scalar(select(LiveSession))
    assert (live.starts_at, live.ends_at) == (
        datetime(2030, 3, 1, 4, 0),
        datetime(2030, 3, 1, 5, 30),
    )
    page = text(client.get(response.headers["Location"]))
    assert "09:00" in page and "Asia/Karachi" in page
    edit = text(client.get(f"/sessions/{live.id}/edit"))
    assert 'value="2030-03-01T09:00"' in edit
