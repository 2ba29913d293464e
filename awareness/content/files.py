"""The content folder on disk, read without ever following a symbolic link.

:func:`survey` lists the folder once. Every symbolic link and every special
file (a pipe, a socket, a device) anywhere in it is a problem, and only the
regular files it found are ever opened, by :func:`read_file`, which also
refuses a link that appeared since (``O_NOFOLLOW`` on every part of the path).
Nothing here writes, moves or deletes a file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from awareness.content.problems import Problem

#: Open flags: read only, never through a link, never wait on a pipe.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FILE_FLAGS = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_FOLDER_FLAGS = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_DIRECTORY", 0)


@dataclass
class Folder:
    """The regular files and folders under ``root``, as ``/``-separated relative paths."""

    root: Path
    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)

    def files_in(self, folder: str, *, recursive: bool = False) -> list[str]:
        """The files directly in ``folder`` (or anywhere below it), sorted."""
        prefix = f"{folder}/"
        return sorted(
            path
            for path in self.files
            if path.startswith(prefix) and (recursive or "/" not in path[len(prefix) :])
        )


def survey(root: Path, problems: list[Problem]) -> Folder:
    """List ``root``; report each link, special file and unreadable name as a problem."""
    found = Folder(root)
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(root / folder) as entries:
                listing = list(entries)
        except OSError as error:
            problems.append(Problem(printable(folder or "."), 1, f"cannot read: {error.strerror}"))
            continue
        for entry in listing:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            problem = _entry_problem(entry, relative)
            if problem:
                problems.append(problem)
            elif entry.is_dir(follow_symlinks=False):
                found.folders.add(relative)
                pending.append(relative)
            else:
                found.files.add(relative)
    return found


def _entry_problem(entry: os.DirEntry[str], relative: str) -> Problem | None:
    shown = printable(relative)
    if entry.is_symlink():
        return Problem(
            shown,
            1,
            f"symbolic link to {printable(_link_target(entry))}: the content folder may hold "
            "only regular files and folders; put the file itself here",
        )
    if not entry.is_dir(follow_symlinks=False) and not entry.is_file(follow_symlinks=False):
        return Problem(shown, 1, "not a regular file (a pipe, socket or device): remove it")
    if not relative.isprintable():
        return Problem(shown, 1, "the name has characters that cannot be shown: rename it")
    return None


def _link_target(entry: os.DirEntry[str]) -> str:
    try:
        return os.readlink(entry.path)
    except OSError:
        return "?"


def printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes escaped, safe to print."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def read_file(root: Path, relative: str, limit: int, problems: list[Problem]) -> bytes | None:
    """The bytes of a regular file below ``root``, or None (with a problem) if it cannot be.

    A file larger than ``limit`` bytes is a problem and is never read whole.
    """
    try:
        descriptor = _open_below(root, relative)
    except OSError as error:
        problems.append(Problem(printable(relative), 1, f"cannot read: {error.strerror}"))
        return None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(printable(relative), 1, "not a regular file: remove it"))
            return None
        data = file.read(limit + 1)
    if len(data) > limit:
        problems.append(
            Problem(
                printable(relative),
                1,
                f"the file is larger than {describe_size(limit)}, the most a file here may be",
            )
        )
        return None
    return data


def _open_below(root: Path, relative: str) -> int:
    """Open ``root/relative`` for reading, refusing a link anywhere in ``relative``."""
    *folders, name = relative.split("/")
    if os.open not in os.supports_dir_fd:  # pragma: no cover - not on Linux or macOS
        return os.open(root / relative, _FILE_FLAGS)
    parent = os.open(root, os.O_RDONLY)
    try:
        for folder in folders:
            child = os.open(folder, _FOLDER_FLAGS, dir_fd=parent)
            os.close(parent)
            parent = child
        return os.open(name, _FILE_FLAGS, dir_fd=parent)
    finally:
        os.close(parent)


def describe_size(size: int) -> str:
    """``262144`` → ``256 KB``; ``5242880`` → ``5 MB``."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    return f"{size // 1024} KB"
