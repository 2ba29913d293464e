"""``make loadtest`` in small: gunicorn, clients submitting attempts, a content sync meanwhile.

bench/loadtest.py says what is checked; this runs it with 2 workers, 8 clients
(2 through the HTML form) and one sync of every module (the same command, run
in the test's process), on each database.
"""

from __future__ import annotations

import pytest

from bench import loadtest
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.helpers import TEST_CONTENT

SMALL = loadtest.Settings(
    workers=2, clients=8, html_clients=2, seconds=3, syncs=1, sync_in_process=True
)


@pytest.mark.parametrize("kind", BACKENDS)
def test_under_load_with_a_sync_nothing_is_lost_or_half_published(kind):
    report = loadtest.run(kind, SMALL, POSTGRES_URL, content=TEST_CONTENT)
    assert report.problems == [], report.figures()
    assert [run.returncode for run in report.syncs] == [0]
    assert "updated 2" in report.syncs[0].output  # both quizzes replaced under the clients
    assert report.tally.statuses["API POST 201"] > 0
    assert report.tally.statuses["page POST 303"] > 0
