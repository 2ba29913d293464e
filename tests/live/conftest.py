"""Helpers for the live session tests: the hand-computed organisation and a session planner."""

from __future__ import annotations

from datetime import timedelta

import pytest

from awareness.extensions import db
from awareness.live import planning
from awareness.models import LiveSession
from awareness.models.types import utcnow


@pytest.fixture
def plan(app, content):
    """Plan a session (committed): ``plan(starts_in=timedelta(days=2), module="welcome")``."""

    def make(
        *,
        starts_in: timedelta = timedelta(days=2),
        hours: float = 2,
        by=None,
        **fields,
    ) -> LiveSession:
        starts = (utcnow() + starts_in).replace(microsecond=0)
        values = {
            "title": "Phishing seminar",
            "kind": "seminar",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=hours),
            "location": "Room 1",
            **fields,
        }
        live = planning.create(db.session, planning.Draft(**values), by=by)
        db.session.commit()
        return live

    return make
