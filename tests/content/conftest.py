"""A copy of the test content folder that a test may change file by file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import TEST_CONTENT

ContentMaker = Callable[..., Path]


@pytest.fixture
def make_content(tmp_path) -> ContentMaker:
    """A maker of content folders in the test's temporary folder (see :func:`content_maker`)."""
    return content_maker(tmp_path)


def content_maker(tmp_path: Path) -> ContentMaker:
    """``make_content({"modules/x.md": text, "modules/welcome.md": None})``: a content folder.

    Each call starts again from ``tests/data/content``; a value of None removes the file.
    Calling it again with the same ``name`` rewrites the same folder, so a test can sync
    one version and then another.
    """

    def make(files: dict[str, str | None] | None = None, *, name: str = "content") -> Path:
        directory = tmp_path / name
        if directory.exists():
            shutil.rmtree(directory)
        shutil.copytree(TEST_CONTENT, directory)
        for relative, text in (files or {}).items():
            path = directory / relative
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        return directory

    return make
