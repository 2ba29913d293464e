"""The content status (``awareness.content.status``): figures from the summary, in SQL."""

from __future__ import annotations

from awareness.content.status import find_module, module_statuses
from awareness.extensions import db
from awareness.models.types import utcnow
from tests.content.test_runs import PHISHING, run


def test_each_module_with_its_figures(app, org):
    found = {status.slug: status for status in module_statuses(db.session, utcnow())}
    # tests/org.py works these out by hand.
    assert (found["phishing"].assigned, found["phishing"].completed) == (5, 2)
    assert (found["welcome"].assigned, found["welcome"].completed) == (7, 3)
    assert (found["cyber-risk"].assigned, found["cyber-risk"].completed) == (1, 0)
    assert found["phishing"].layers == ["management", "staff"]
    assert found["welcome"].layers == ["all"]
    assert found["phishing"].languages == ["en", "ur"]
    assert found["phishing"].questions == 2 and found["welcome"].questions == 0
    assert len(found["phishing"].short_hash) == 10


def test_retired_modules_come_last_with_nothing_assigned(app, org, make_content):
    assert run(make_content({"modules/welcome.md": None})).applied
    statuses = module_statuses(db.session, utcnow())
    assert [s.slug for s in statuses][-1] == "welcome"
    assert (statuses[-1].retired, statuses[-1].assigned, statuses[-1].completed) == (True, 0, 0)
    assert find_module(db.session, "welcome").retired
    assert find_module(db.session, "nothing") is None


def test_a_raised_major_resets_the_completions_shown(app, org, make_content):
    run(make_content({"modules/phishing.md": PHISHING.replace("order: 10", "major: 2")}))
    found = {status.slug: status for status in module_statuses(db.session, utcnow())}
    assert (found["phishing"].major, found["phishing"].completed) == (2, 0)
