"""The content folder on disk: only regular files, never a symbolic link followed."""

from __future__ import annotations

import os

import pytest

from awareness.content.parser import load_content
from tests.content.test_cli import content

LINK_MESSAGE = (
    "the content folder may hold only regular files and folders; put the file itself here"
)


@pytest.fixture
def instance(tmp_path):
    """A stand-in for ``instance/``: a database with its WAL files and a secret key."""
    folder = tmp_path / "instance"
    folder.mkdir()
    for name, data in {
        "awareness.db": b"SQLite format 3\0",
        "awareness.db-wal": b"wal",
        "awareness.db-shm": b"shm",
        "secret_key": b"s3cret",
    }.items():
        (folder / name).write_bytes(data)
    return folder


def untouched(folder) -> dict[str, tuple[bytes, int]]:
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.iterdir()}


def problems(directory) -> list[str]:
    return [str(problem) for problem in load_content(directory).problems]


def test_a_link_in_assets_to_instance_is_a_problem_and_is_never_read(make_content, instance):
    directory = make_content()
    (directory / "assets" / "db").symlink_to(instance)
    (directory / "assets" / "key.png").symlink_to(instance / "secret_key")
    before = untouched(instance)
    tree = load_content(directory)
    assert [str(p) for p in tree.problems] == [
        f"assets/db:1: symbolic link to {instance}: {LINK_MESSAGE}",
        f"assets/key.png:1: symbolic link to {instance / 'secret_key'}: {LINK_MESSAGE}",
    ]
    assert [asset.path for asset in tree.assets] == ["diagram.svg"]
    assert untouched(instance) == before


@pytest.mark.parametrize(
    "link",
    ["org.yml", "modules/extra.md", "modules", "assets", "notes/readme.md", "README.md"],
)
def test_a_link_anywhere_in_the_folder_is_a_problem(make_content, tmp_path, link):
    directory = make_content()
    elsewhere = tmp_path / "elsewhere"
    (directory / "notes").mkdir()
    target = directory / link
    if target.exists():
        os.rename(target, elsewhere)
    else:
        elsewhere.write_text("---\ntitle: Linked\naudience: all\n---\n\n# L\n\ntext\n")
    target.symlink_to(elsewhere)
    assert f"{link}:1: symbolic link to {elsewhere}: {LINK_MESSAGE}" in problems(directory)


def test_a_linked_module_is_not_loaded(make_content, tmp_path):
    directory = make_content()
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Linked\naudience: all\n---\n\n# L\n\ntext\n")
    (directory / "modules" / "linked.md").symlink_to(outside)
    tree = load_content(directory)
    assert "linked" not in [module.slug for module in tree.modules]


def test_a_linked_modules_folder_is_not_read(make_content, tmp_path):
    directory = make_content()
    os.rename(directory / "modules", tmp_path / "real-modules")
    (directory / "modules").symlink_to(tmp_path / "real-modules")
    tree = load_content(directory)
    assert tree.modules == []
    assert "modules:1: folder not found in" in "\n".join(map(str, tree.problems))


def test_a_relative_link_to_a_file_inside_the_folder_is_a_problem_too(make_content):
    directory = make_content()
    (directory / "assets" / "copy.svg").symlink_to("diagram.svg")
    assert problems(directory) == [
        f"assets/copy.svg:1: symbolic link to diagram.svg: {LINK_MESSAGE}"
    ]


def test_a_dangling_link_is_a_problem(make_content):
    directory = make_content()
    (directory / "assets" / "gone.png").symlink_to("/nonexistent/gone.png")
    assert problems(directory) == [
        f"assets/gone.png:1: symbolic link to /nonexistent/gone.png: {LINK_MESSAGE}"
    ]


def test_a_pipe_is_a_problem_and_check_does_not_wait_on_it(make_content):
    directory = make_content()
    os.mkfifo(directory / "modules" / "pipe.md")
    assert problems(directory) == [
        "modules/pipe.md:1: not a regular file (a pipe, socket or device): remove it"
    ]


def test_a_file_that_is_not_utf8_is_a_problem_on_its_line(make_content):
    directory = make_content()
    (directory / "modules" / "latin.md").write_bytes(
        b"---\ntitle: Caf\xe9\naudience: all\n---\n\n# L\n"
    )
    assert problems(directory) == ["modules/latin.md:2: not UTF-8 text: save the file as UTF-8"]


def test_a_name_with_control_characters_is_a_problem_shown_escaped(make_content):
    directory = make_content()
    (directory / "assets" / "bad\x1b[31m.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert problems(directory) == [
        "assets/bad\\x1b[31m.png:1: the name has characters that cannot be shown: rename it"
    ]


def test_check_prints_each_link_and_exits_1(runner, make_content, instance):
    directory = make_content()
    (directory / "assets" / "db").symlink_to(instance)
    result = content(runner, "check", directory)
    assert result.exit_code == 1
    assert result.stdout == f"assets/db:1: symbolic link to {instance}: {LINK_MESSAGE}\n"


def test_sync_with_a_link_changes_nothing_and_leaves_instance_alone(runner, make_content, instance):
    directory = make_content()
    (directory / "assets" / "db").symlink_to(instance)
    before = untouched(instance)
    result = content(runner, "sync", directory)
    assert result.exit_code == 1
    assert untouched(instance) == before


def test_check_and_sync_only_ever_open_files_to_read(runner, make_content, monkeypatch):
    """Nothing in check or sync writes, renames or deletes a file: they only read content/."""
    opened = []
    real_open = os.open

    def recording_open(path, flags, *args, **kwargs):
        opened.append((str(path), flags))
        return real_open(path, flags, *args, **kwargs)

    def refuse(*args, **kwargs):
        raise AssertionError(f"a file was changed: {args}")

    monkeypatch.setattr(os, "open", recording_open)
    for name in ("remove", "unlink", "rename", "replace", "rmdir", "truncate"):
        monkeypatch.setattr(os, name, refuse)
    result = content(runner, "sync", make_content())
    assert result.exit_code == 0, result.output
    assert opened, "the content folder was read through os.open"
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    assert [path for path, flags in opened if flags & writing] == []
