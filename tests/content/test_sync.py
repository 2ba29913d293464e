"""``content sync`` as a service: what it writes, keeps, retires and refuses."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from awareness.content import specs
from awareness.content.parser import load_content
from awareness.content.sync import SyncRefused, sync
from awareness.extensions import db
from awareness.models import (
    Assignment,
    Attempt,
    Layer,
    Module,
    ModuleRevision,
    ModuleTranslation,
)
from awareness.models.types import utcnow
from awareness.progress import attempts
from awareness.progress.status import is_completed
from tests.helpers import TEST_CONTENT, at

PHISHING = (TEST_CONTENT / "modules" / "phishing.md").read_text(encoding="utf-8")
RIGHT = {1: frozenset({2}), 2: frozenset({1, 2})}


def run(directory, **options):
    return sync(db.session, load_content(directory), **options)


def module(slug: str) -> Module:
    return db.session.scalar(select(Module).where(Module.slug == slug))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def bump_major(text: str, major: int) -> str:
    return text.replace("order: 10\n", f"order: 10\nmajor: {major}\n")


def passed_phishing(person) -> Attempt:
    attempt, result = attempts.submit(db.session, person, module("phishing"), RIGHT)
    assert result.passed
    db.session.commit()
    return attempt


def completed(person) -> bool:
    row = db.session.get(Assignment, (person.id, module("phishing").id))
    return row is not None and db.session.scalar(
        select(is_completed(utcnow())).where(
            Assignment.person_id == person.id, Assignment.module_id == module("phishing").id
        )
    )


def test_first_sync_adds_every_module_with_its_quiz_and_translation(app):
    result = run(TEST_CONTENT, today=date(2026, 3, 1))
    assert result.summary() == "added 3, updated 0, unchanged 0, retired 0"
    phishing = module("phishing")
    assert phishing.title == "Recognising phishing"
    assert phishing.layer_ids == ["management", "staff"]
    assert phishing.published_on == date(2026, 3, 1)
    assert phishing.controls == ["ISO27001:A.6.3"]
    assert [q.number for q in phishing.questions] == [1, 2]
    assert [q.multiple for q in phishing.questions] == [False, True]
    assert [o.correct for o in phishing.questions[0].options] == [False, True, False]
    assert "<script" not in phishing.body_html
    assert 'src="/assets/diagram.svg"' in phishing.body_html
    (urdu,) = phishing.translations
    assert urdu.language == "ur"
    assert len(urdu.quiz) == 2
    assert module("welcome").layer_ids == ["all"]
    assert module("welcome").renew_days is None
    assert module("cyber-risk").source_path == "modules/leaders.md"


def test_layers_come_from_org_yml(app, make_content):
    run(TEST_CONTENT)
    layers = db.session.scalars(select(Layer).order_by(Layer.position)).all()
    assert [(layer.id, layer.title) for layer in layers] == [
        ("leadership", "Leadership"),
        ("management", "Managers"),
        ("staff", "All staff"),
        ("technical", "IT and security teams"),
    ]
    org = (TEST_CONTENT / "org.yml").read_text().replace("title: All staff", "title: Everyone")
    org = org.replace("  - id: technical\n    title: IT and security teams\n", "")
    org = org.replace("    description: People who run, build or defend the organisation's", "")
    org = org.replace("systems\n", "")
    run(make_content({"org.yml": org}))
    assert db.session.get(Layer, "staff").title == "Everyone"
    assert db.session.get(Layer, "technical") is None  # unused, so removed


def test_a_layer_still_in_use_is_kept_when_it_leaves_org_yml(app, make_content, make_person):
    run(TEST_CONTENT)
    make_person("tech@example.org", layer="technical", password=None)
    org = (TEST_CONTENT / "org.yml").read_text().split("  - id: technical")[0]
    run(make_content({"org.yml": org}))
    assert db.session.get(Layer, "technical") is not None


def test_second_sync_changes_nothing(app):
    run(TEST_CONTENT)
    revisions = count(ModuleRevision)
    result = run(TEST_CONTENT)
    assert result.summary() == "added 0, updated 0, unchanged 3, retired 0"
    assert count(ModuleRevision) == revisions


def test_a_problem_means_nothing_is_written(app, make_content):
    directory = make_content({"modules/new.md": "---\ntitle: New\n---\n\n# L\n"})
    with pytest.raises(SyncRefused):
        run(directory)
    assert count(Module) == 0
    assert count(Layer) == 0


def test_dry_run_reports_but_writes_nothing(app):
    result = run(TEST_CONTENT, dry_run=True)
    assert result.summary() == "added 3, updated 0, unchanged 0, retired 0"
    assert count(Module) == 0


def test_an_edit_updates_the_module_and_keeps_each_revision(app, make_content):
    run(TEST_CONTENT)
    edited = PHISHING.replace("act **fast**", "act **quickly**")
    result = run(make_content({"modules/phishing.md": edited}))
    assert result.summary() == "added 0, updated 1, unchanged 2, retired 0"
    phishing = module("phishing")
    assert "quickly" in phishing.body_html
    sources = db.session.scalars(
        select(ModuleRevision.source).where(
            ModuleRevision.module_id == phishing.id, ModuleRevision.language == ""
        )
    ).all()
    assert sorted(sources) == sorted([PHISHING, edited])


def test_a_changed_translation_alone_updates_the_module(app, make_content):
    run(TEST_CONTENT)
    urdu = (TEST_CONTENT / "modules" / "phishing.ur.md").read_text(encoding="utf-8")
    result = run(make_content({"modules/phishing.ur.md": urdu + "\n"}))
    assert result.updated == ["phishing"]
    assert count(ModuleRevision, ModuleRevision.language == "ur") == 2


def test_a_removed_translation_is_removed(app, make_content):
    run(TEST_CONTENT)
    result = run(make_content({"modules/phishing.ur.md": None}))
    assert result.updated == ["phishing"]
    assert count(ModuleTranslation) == 0


def test_a_typo_fix_keeps_completions(app, make_content, make_person):
    run(TEST_CONTENT)
    person = make_person("ann@example.org", password=None)
    passed_phishing(person)
    assert completed(person)
    result = run(make_content({"modules/phishing.md": PHISHING.replace("fast", "quickly")}))
    assert result.resets == []
    assert completed(person)


def test_a_new_renderer_publishes_every_module_once_and_keeps_completions(
    app, make_person, monkeypatch
):
    """When the Markdown dialect changes the HTML of unchanged files, so does the content hash."""
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", password=None)
    passed_phishing(ann)
    revisions = count(ModuleRevision)
    monkeypatch.setattr(specs, "RENDERER", specs.RENDERER + " and a change")
    result = run(TEST_CONTENT)
    assert result.summary() == "added 0, updated 3, unchanged 0, retired 0"
    assert (result.resets, module("phishing").major) == ([], 1)
    assert completed(ann)
    assert count(ModuleRevision) == revisions  # the same text: no new revision
    assert run(TEST_CONTENT).summary() == "added 0, updated 0, unchanged 3, retired 0"


def test_raising_major_resets_completions(app, make_content, make_person):
    run(TEST_CONTENT, today=date(2026, 1, 1))
    ann = make_person("ann@example.org", password=None)
    bob = make_person("bob@example.org", password=None)
    make_person("cat@example.org", password=None)
    passed_phishing(ann)
    passed_phishing(bob)
    result = run(
        make_content({"modules/phishing.md": bump_major(PHISHING, 2)}), today=date(2026, 2, 1)
    )
    (reset,) = result.resets
    assert (reset.slug, reset.old, reset.new, reset.completions) == ("phishing", 1, 2, 2)
    assert module("phishing").major == 2
    assert module("phishing").published_on == date(2026, 2, 1)
    assert not completed(ann)
    assert not completed(bob)
    assert count(Attempt) == 2  # history kept


def test_dry_run_of_a_major_bump_counts_resets_and_keeps_completions(
    app, make_content, make_person
):
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", password=None)
    passed_phishing(ann)
    result = run(make_content({"modules/phishing.md": bump_major(PHISHING, 2)}), dry_run=True)
    assert [(r.slug, r.completions) for r in result.resets] == [("phishing", 1)]
    db.session.expire_all()
    assert module("phishing").major == 1
    assert completed(ann)


def test_major_may_not_go_down(app, make_content):
    run(make_content({"modules/phishing.md": bump_major(PHISHING, 3)}))
    with pytest.raises(SyncRefused) as refused:
        run(make_content({"modules/phishing.md": bump_major(PHISHING, 2)}))
    assert [str(p) for p in refused.value.problems] == [
        "modules/phishing.md:10: major went down from 3 to 2: it may only rise"
    ]
    assert module("phishing").major == 3


def test_a_removed_file_retires_the_module_and_keeps_its_history(app, make_content, make_person):
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", password=None)
    passed_phishing(ann)
    files = {"modules/phishing.md": None, "modules/phishing.ur.md": None}
    result = run(make_content(files))
    assert result.summary() == "added 0, updated 0, unchanged 2, retired 1"
    assert module("phishing").retired
    assert count(Attempt) == 1
    assert count(Assignment, Assignment.module_id == module("phishing").id) == 0
    assert run(make_content(files)).summary() == "added 0, updated 0, unchanged 2, retired 0"


def test_restoring_a_file_brings_the_module_back_with_its_completions(
    app, make_content, make_person
):
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", password=None)
    passed_phishing(ann)
    run(make_content({"modules/phishing.md": None, "modules/phishing.ur.md": None}))
    result = run(TEST_CONTENT)
    assert result.summary() == "added 0, updated 1, unchanged 2, retired 0"
    assert not module("phishing").retired
    assert completed(ann)


def test_attempts_keep_the_hash_of_the_text_they_were_shown(app, make_content, make_person):
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", password=None)
    first = passed_phishing(ann)
    old_hash = module("phishing").source_hash
    run(make_content({"modules/phishing.md": PHISHING.replace("fast", "quickly")}))
    assert module("phishing").source_hash != old_hash
    assert db.session.get(Attempt, first.id).source_hash == old_hash
    revision = db.session.scalar(
        select(ModuleRevision).where(ModuleRevision.source_hash == old_hash)
    )
    assert revision.source == PHISHING
    assert revision.major == 1


def test_changing_the_audience_rebuilds_assignments(app, make_content, make_person):
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", layer="technical", password=None)
    assert count(Assignment, Assignment.person_id == ann.id) == 1  # welcome only
    widened = PHISHING.replace("audience: [staff, management]", "audience: all")
    run(make_content({"modules/phishing.md": widened}))
    assert count(Assignment, Assignment.person_id == ann.id) == 2


def test_making_a_module_optional_removes_its_assignments(app, make_content, make_person):
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", password=None)
    optional = PHISHING.replace("order: 10\n", "order: 10\nrequired: false\n")
    run(make_content({"modules/phishing.md": optional}))
    assert count(Assignment, Assignment.person_id == ann.id) == 1  # welcome only


def test_a_passed_attempt_time_is_kept_exactly(app, make_person):
    run(TEST_CONTENT)
    ann = make_person("ann@example.org", password=None)
    attempts.submit(db.session, ann, module("phishing"), RIGHT, now=at("2026-02-03 04:05:06.789"))
    db.session.commit()
    row = db.session.get(Assignment, (ann.id, module("phishing").id))
    assert row.last_passed_at == at("2026-02-03 04:05:06.789")
    assert row.expires_at == at("2027-02-03 04:05:06.789")


def test_a_layer_dropped_with_its_last_module_goes_in_one_sync(app, make_content):
    tech = "---\ntitle: For IT\naudience: [technical]\n---\n\n# L\n\nText.\n"
    run(make_content({"modules/tech.md": tech}))
    org = (TEST_CONTENT / "org.yml").read_text().split("  - id: technical")[0]
    moved = tech.replace("[technical]", "[staff]")
    directory = make_content({"org.yml": org, "modules/tech.md": moved})
    assert run(directory).updated == ["tech"]
    assert db.session.get(Layer, "technical") is None
    assert run(directory).summary() == "added 0, updated 0, unchanged 4, retired 0"


def test_renaming_a_file_that_keeps_its_slug_updates_its_path(app, make_content):
    run(TEST_CONTENT)
    leaders = (TEST_CONTENT / "modules" / "leaders.md").read_text(encoding="utf-8")
    directory = make_content({"modules/leaders.md": None, "modules/board.md": leaders})
    assert run(directory).summary() == "added 0, updated 1, unchanged 2, retired 0"
    assert module("cyber-risk").source_path == "modules/board.md"
    assert run(directory).summary() == "added 0, updated 0, unchanged 3, retired 0"


def test_a_typo_fix_leaves_everyones_assignments_as_they_were(
    app, content, make_person, make_content
):
    """Rebuilding a module's assignments would hold up every attempt: a text change needs none."""
    from awareness.progress import summary

    make_person("ada@example.org")
    generation = summary.trend_generation(db.session)
    typo_fixed = PHISHING.replace("Open it to check", "Open it to check it")
    assert run(make_content({"modules/phishing.md": typo_fixed})).updated == ["phishing"]
    assert summary.trend_generation(db.session) == generation  # nothing was rebuilt


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("due_days: 30", "due_days: 45"),
        ("renew_days: 365", "renew_days: 30"),
        ("audience: [staff, management]", "audience: [management]"),
        ("order: 10\n", "order: 10\nrequired: false\n"),
        ("order: 10\n", "order: 10\nmajor: 2\n"),
    ],
)
def test_a_change_to_what_assignments_depend_on_rebuilds_them(
    app, content, make_person, make_content, before, after
):
    ada = make_person("ada@example.org")
    passed_phishing(ada)
    phishing = module("phishing").id
    row = db.session.get(Assignment, (ada.id, phishing))
    was = (row.due_on, row.expires_at)
    assert before in PHISHING
    assert run(make_content({"modules/phishing.md": PHISHING.replace(before, after)})).updated
    db.session.expire_all()
    row = db.session.get(Assignment, (ada.id, phishing))
    assert row is None or (row.due_on, row.expires_at, row.attempts) != (*was, 1)
