"""One sync of a folder (``awareness.content.runs``): kept, applied or refused; a dry run is not."""

from __future__ import annotations

from sqlalchemy import select

from awareness.content.parser import load_content
from awareness.content.runs import last_syncs, sync_folder
from awareness.extensions import db, unit_of_work
from awareness.models import ContentSync
from tests.helpers import TEST_CONTENT, cli_actor, module

PHISHING = (TEST_CONTENT / "modules" / "phishing.md").read_text(encoding="utf-8")


def run(directory, **options):
    with unit_of_work(db.session, keep=not options.get("dry_run", False)):
        return sync_folder(db.session, directory, **options)


def kept() -> list[ContentSync]:
    return list(db.session.scalars(select(ContentSync).order_by(ContentSync.id)))


def test_a_sync_is_kept_with_its_counts(app):
    done = run(TEST_CONTENT)
    assert done.applied and not done.problems
    [sync] = kept()
    assert (sync.applied, sync.added, sync.updated, sync.unchanged, sync.retired) == (
        True, 3, 0, 0, 0,
    )  # fmt: skip
    assert (sync.actor, sync.actor_id, sync.problems) == (cli_actor(), None, [])
    assert sync.fingerprint == load_content(TEST_CONTENT).fingerprint
    assert last_syncs(db.session) == (sync, None)


def test_a_dry_run_says_what_would_change_and_keeps_nothing(app, make_content):
    done = run(TEST_CONTENT, dry_run=True)
    assert sorted(done.result.added) == ["cyber-risk", "phishing", "welcome"]
    assert not done.applied
    assert kept() == []
    assert module("phishing") is None


def test_a_refused_sync_is_kept_with_its_problems_and_changes_nothing(app, make_content):
    run(TEST_CONTENT)
    broken = make_content({"modules/phishing.md": PHISHING.replace("title:", "titel:")})
    done = run(broken)
    assert done.result is None
    assert str(done.problems[0]) == "modules/phishing.md:1: missing 'title'"
    applied, refused = kept()
    assert not refused.applied
    assert refused.problems[0] == ["modules/phishing.md", 1, "missing 'title'"]
    assert last_syncs(db.session) == (refused, applied)


def test_a_major_that_goes_down_is_refused_and_kept(app, make_content):
    run(make_content({"modules/phishing.md": PHISHING.replace("order: 10", "major: 3")}))
    done = run(make_content({"modules/phishing.md": PHISHING.replace("order: 10", "major: 2")}))
    assert [p.message for p in done.problems] == ["major went down from 3 to 2: it may only rise"]
    assert module("phishing").major == 3
    assert [sync.applied for sync in kept()] == [True, False]


def test_a_confirmation_of_another_folder_state_does_nothing(app, make_content):
    seen = run(TEST_CONTENT, dry_run=True).fingerprint
    changed = make_content({"modules/welcome.md": None})
    done = run(changed, expected=seen)
    assert done.stale and done.result is None
    assert kept() == []
    assert module("phishing") is None
    assert run(changed, expected=run(changed, dry_run=True).fingerprint).applied


def test_the_fingerprint_changes_with_any_published_file(app, make_content):
    base = load_content(make_content()).fingerprint
    assert load_content(make_content()).fingerprint == base
    assert load_content(make_content({"assets/diagram.svg": "<svg></svg>"})).fingerprint != base
    translated = PHISHING.replace("Phishing messages", "Phishing emails")
    assert load_content(make_content({"modules/phishing.md": translated})).fingerprint != base
    org = (TEST_CONTENT / "org.yml").read_text().replace("title:", "title: New", 1)
    assert load_content(make_content({"org.yml": org})).fingerprint != base
