"""``flask content check|sync``: exact output lines and exit codes."""

from __future__ import annotations

from sqlalchemy import func, select

from awareness.config import PROJECT_ROOT
from awareness.extensions import db
from awareness.models import Module
from awareness.progress import attempts
from tests.helpers import TEST_CONTENT, audit_log, cli_actor

PHISHING = (TEST_CONTENT / "modules" / "phishing.md").read_text(encoding="utf-8")
BROKEN = "---\ntitle: Broken\naudience: [nobody]\n---\n\n# L\n\n## Quiz\n\n### Q?\n\n- [ ] a\n"
SUMMARY = "3 modules (2 with a quiz, 1 reading), 4 questions, 1 translation, 4 layers: no problems"


def content(runner, *args):
    return runner.invoke(args=["content", *map(str, args)])


def modules() -> int:
    return db.session.scalar(select(func.count()).select_from(Module))


def test_check_prints_a_one_line_summary(runner):
    result = content(runner, "check", TEST_CONTENT)
    assert result.exit_code == 0
    assert result.stdout == SUMMARY + "\n"


def test_check_uses_the_configured_folder_by_default(runner):
    result = content(runner, "check")
    assert result.exit_code == 0
    assert result.stdout == SUMMARY + "\n"


def test_check_prints_one_line_per_problem_and_exits_1(runner, make_content):
    result = content(runner, "check", make_content({"modules/broken.md": BROKEN}))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "modules/broken.md:3: unknown layer id 'nobody' "
        "(org.yml has: leadership, management, staff, technical)",
        "modules/broken.md:10: question 1 has fewer than two options",
    ]
    assert result.stderr == "2 problem(s) found.\n"


def test_check_of_a_folder_that_does_not_exist(runner, tmp_path):
    result = content(runner, "check", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "no such content folder" in result.stderr


def test_sync_prints_the_summary_and_a_second_run_changes_nothing(runner):
    first = content(runner, "sync", TEST_CONTENT)
    assert first.exit_code == 0
    assert first.stdout == "added 3, updated 0, unchanged 0, retired 0\n"
    second = content(runner, "sync", TEST_CONTENT)
    assert second.exit_code == 0
    assert second.stdout == "added 0, updated 0, unchanged 3, retired 0\n"


def test_sync_with_a_problem_changes_nothing_and_exits_1(runner, make_content):
    content(runner, "sync", TEST_CONTENT)
    files = {"modules/broken.md": BROKEN, "modules/welcome.md": None}
    result = content(runner, "sync", make_content(files))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("modules/broken.md:3: unknown layer id")
    assert "retired" not in result.stdout
    assert not db.session.scalar(select(Module.retired).where(Module.slug == "welcome"))


def test_sync_dry_run_prints_the_summary_and_changes_nothing(runner):
    result = content(runner, "sync", "--dry-run", TEST_CONTENT)
    assert result.exit_code == 0
    assert result.stdout == "added 3, updated 0, unchanged 0, retired 0\n"
    assert modules() == 0


def test_sync_retires_a_removed_file(runner, make_content):
    content(runner, "sync", TEST_CONTENT)
    result = content(runner, "sync", make_content({"modules/welcome.md": None}))
    assert result.stdout == "added 0, updated 0, unchanged 2, retired 1\n"
    assert modules() == 3


def test_sync_dry_run_says_how_many_completions_a_major_bump_resets(
    runner, make_content, make_person
):
    content(runner, "sync", TEST_CONTENT)
    phishing = db.session.scalar(select(Module).where(Module.slug == "phishing"))
    for email in ("ann@example.org", "bob@example.org", "cat@example.org"):
        person = make_person(email, password=None)
        if email != "cat@example.org":
            attempts.submit(db.session, person, phishing, {1: frozenset({2}), 2: frozenset({1, 2})})
    db.session.commit()
    bumped = make_content({"modules/phishing.md": PHISHING.replace("order: 10", "major: 2")})

    dry = content(runner, "sync", "--dry-run", bumped)
    assert dry.exit_code == 0
    assert dry.stdout.splitlines() == [
        "added 0, updated 1, unchanged 2, retired 0",
        "phishing: major 1 -> 2 would reset 2 people's completions",
    ]
    db.session.expire_all()
    assert phishing.major == 1

    real = content(runner, "sync", bumped)
    assert real.stdout.splitlines() == [
        "added 0, updated 1, unchanged 2, retired 0",
        "phishing: major 1 -> 2 reset 2 people's completions",
    ]


def test_sync_refuses_a_major_that_goes_down(runner, make_content):
    content(runner, "sync", make_content({"modules/phishing.md": "---\nmajor: 2\n" + PHISHING[4:]}))
    result = content(runner, "sync", TEST_CONTENT)
    assert result.exit_code == 1
    assert result.stdout == (
        "modules/phishing.md:1: major went down from 2 to 1: it may only rise\n"
    )
    db.session.expire_all()
    assert db.session.scalar(select(Module.major).where(Module.slug == "phishing")) == 2


def test_a_sync_is_audited_when_it_publishes_something(runner, make_content):
    result = content(runner, "sync", TEST_CONTENT)
    assert result.exit_code == 0
    [entry] = audit_log()
    assert (entry.actor, entry.action, entry.target) == (
        cli_actor(),
        "content.sync",
        str(TEST_CONTENT),
    )
    assert entry.details == {
        "added": ["cyber-risk", "phishing", "welcome"],
        "updated": [],
        "retired": [],
        "resets": [],
        "assets": {"added": ["diagram.svg"], "updated": [], "removed": []},
    }
    changed = make_content({"modules/welcome.md": None})
    content(runner, "sync", "--dry-run", changed)
    content(runner, "sync", TEST_CONTENT)  # unchanged
    assert len(audit_log()) == 1
    content(runner, "sync", changed)
    assert audit_log()[-1].details["retired"] == ["welcome"]


def test_an_audited_sync_names_the_completions_a_raised_major_resets(
    runner, make_content, make_person
):
    ann = make_person("ann@example.org", password=None)  # syncs the test content first
    phishing = db.session.scalar(select(Module).where(Module.slug == "phishing"))
    attempts.submit(db.session, ann, phishing, {1: frozenset({2}), 2: frozenset({1, 2})})
    db.session.commit()
    content(
        runner,
        "sync",
        make_content({"modules/phishing.md": PHISHING.replace("order: 10", "major: 2")}),
    )
    entry = audit_log()[-1]
    assert entry.details == {
        "added": [],
        "updated": ["phishing"],
        "retired": [],
        "resets": [{"slug": "phishing", "old": 1, "new": 2, "completions": 1}],
        "assets": {"added": [], "updated": [], "removed": []},
    }


def test_the_shipped_content_has_no_problems(runner):
    result = content(runner, "check", PROJECT_ROOT / "content")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith(": no problems\n")
