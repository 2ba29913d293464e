"""``demo load`` shows the feature: past sessions whose attendance counts, sessions to come."""

from __future__ import annotations

from sqlalchemy import select

from awareness.extensions import db
from awareness.models import Attempt, LiveSession
from awareness.models.types import utcnow
from awareness.progress import learner


def test_the_demo_has_past_sessions_that_count_and_upcoming_ones(runner, content):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "4 live sessions" in result.output.splitlines()[0]
    sessions = db.session.scalars(select(LiveSession).order_by(LiveSession.starts_at)).all()
    now = utcnow()
    assert [s.kind for s in sessions] == ["seminar", "roundtable", "webinar", "workshop"]
    assert sum(s.starts_at < now for s in sessions) == 2
    counted = db.session.execute(
        select(Attempt.person_id, Attempt.module_id).where(Attempt.live_session_id.is_not(None))
    ).all()
    assert len(counted) == 8
    statuses = {
        item.status
        for person_id, module_id in counted
        for item in learner.person_assignments(db.session, person_id)
        if item.module.id == module_id
    }
    assert statuses == {"completed"}
