"""The assignment summary kept in step with the content: a raised major."""

from __future__ import annotations

from sqlalchemy import select

from awareness.extensions import db
from awareness.models import Assignment
from awareness.models.types import utcnow
from awareness.progress.status import status_of
from awareness.reporting import breakdown, insights
from awareness.reporting.figures import Filters
from tests.helpers import figures, module


def test_major_bump_resets_completions(org, tmp_path):
    import shutil

    from awareness.content.parser import load_content
    from awareness.content.sync import sync
    from tests.helpers import TEST_CONTENT

    copy = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, copy)
    path = copy / "modules" / "phishing.md"
    path.write_text(path.read_text().replace("order: 10\n", "order: 10\nmajor: 2\n"))
    sync(db.session, load_content(copy))

    now = utcnow()
    cells = breakdown.breakdown(db.session, Filters(), now)
    phishing = module("phishing")
    # Earlier passes no longer count, and the new version is not yet due.
    assert cells.by_module()[phishing.id] == figures(5, 0, 0)
    assert cells.total() == figures(13, 3, 4, [100, 100, 100])
    rows = select(status_of(now)).where(Assignment.module_id == phishing.id)
    assert set(db.session.scalars(rows)) == {"not_started"}
    assert insights.question_insights(db.session, phishing, Filters())[0].answers == 0
