"""Wrong attendance codes are rate-limited per person, so a code cannot be guessed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.live.test_pages import post


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "ATTENDANCE_CODE_LIMIT": "3 per hour"}


def test_wrong_codes_are_limited_per_person(org, plan, client, login):
    live = plan(starts_in=-timedelta(minutes=5))
    login(org["it"])
    for _ in range(3):
        assert post(client, "/sessions/code", {"code": "WRONG2"}).status_code == 303
    refused = post(client, "/sessions/code", {"code": live.attendance_code})
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["Retry-After"]) <= 3601  # the oldest wrong code: in an hour
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert post(client, f"/sessions/{live.id}/code", {"code": "WRONG2"}).status_code == 429
    login(org["new"])  # someone else is not held back
    assert (
        post(client, f"/sessions/{live.id}/code", {"code": live.attendance_code}).status_code == 303
    )
