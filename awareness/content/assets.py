"""The files in ``content/assets/``: which may be published, and links to them.

Only the kinds of file in :data:`MEDIA_TYPES`, of at most :data:`MAX_ASSET_BYTES`,
are published. The media type comes from the extension and never from the
bytes, but the first bytes must agree with it (a PNG starts as every PNG does),
which catches a mislabelled file before a learner's browser does.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from awareness.content.files import Folder, read_file
from awareness.content.problems import Problem

FOLDER = "assets"
MAX_ASSET_BYTES = 5 * 1024 * 1024
#: The ``content_asset.path`` column's length.
MAX_PATH_CHARS = 300

MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}
ALLOWED = ", ".join(MEDIA_TYPES)

_SVG_ROOT = re.compile(r"<svg[\s>/]")


def _is_svg(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return text.lstrip().startswith("<") and _SVG_ROOT.search(text) is not None


#: For each media type, a test of the first bytes and the name to use in a message.
SIGNATURES: dict[str, tuple[Callable[[bytes], bool], str]] = {
    "image/png": (lambda data: data.startswith(b"\x89PNG\r\n\x1a\n"), "a PNG image"),
    "image/jpeg": (lambda data: data.startswith(b"\xff\xd8\xff"), "a JPEG image"),
    "image/gif": (lambda data: data[:6] in (b"GIF87a", b"GIF89a"), "a GIF image"),
    "image/webp": (lambda data: data[:4] == b"RIFF" and data[8:12] == b"WEBP", "a WebP image"),
    "image/svg+xml": (_is_svg, "an SVG image (UTF-8 text with an <svg> element)"),
    "application/pdf": (lambda data: b"%PDF-" in data[:1024], "a PDF document"),
}


@dataclass(frozen=True)
class AssetSpec:
    """A file in ``assets/`` that may be published, as it was when checked."""

    path: str  # below assets/, with '/' between folders
    media_type: str
    size: int
    sha256: str
    root: Path  # the content folder it was read from


def media_type(name: str) -> str | None:
    """The media type a file name's extension stands for, or None if it may not be published."""
    _, dot, extension = name.rpartition(".")
    return MEDIA_TYPES.get(extension.lower()) if dot else None


def load_assets(folder: Folder, problems: list[Problem]) -> list[AssetSpec]:
    """Every publishable file in ``assets/``; each other file there is a problem."""
    assets = []
    for relative in folder.files_in(FOLDER, recursive=True):
        asset = _load_asset(folder.root, relative, problems)
        if asset is not None:
            assets.append(asset)
    return assets


def _load_asset(root: Path, relative: str, problems: list[Problem]) -> AssetSpec | None:
    path = relative[len(FOLDER) + 1 :]
    kind = media_type(path)
    if kind is None:
        problems.append(Problem(relative, 1, f"not an allowed kind of asset (allowed: {ALLOWED})"))
        return None
    if len(path) > MAX_PATH_CHARS:
        problems.append(
            Problem(relative, 1, f"the path is longer than {MAX_PATH_CHARS} characters")
        )
        return None
    data = read_file(root, relative, MAX_ASSET_BYTES, problems)
    if data is None:
        return None
    looks_right, described = SIGNATURES[kind]
    if not looks_right(data):
        problems.append(
            Problem(
                relative,
                1,
                f"does not look like {described}: save it in that format, "
                "or give it the extension of its real format",
            )
        )
        return None
    return AssetSpec(path, kind, len(data), hashlib.sha256(data).hexdigest(), root)


class AssetChanged(Exception):
    """The file differs from the one that was checked: it changed during the sync."""


def read_asset(asset: AssetSpec) -> bytes:
    """The asset's bytes, exactly as checked; :class:`AssetChanged` if the file changed since."""
    problems: list[Problem] = []
    data = read_file(asset.root, f"{FOLDER}/{asset.path}", MAX_ASSET_BYTES, problems)
    if data is None or hashlib.sha256(data).hexdigest() != asset.sha256:
        raise AssetChanged(asset.path)
    return data


def link_problem(link: str, module_path: str, asset_paths: set[str]) -> str | None:
    """What is wrong with a lesson's link such as ``../assets/x.png``, or None.

    ``asset_paths`` are the files in ``assets/`` (below it), allowed or not.
    """
    target = posixpath.normpath(posixpath.join(posixpath.dirname(module_path), unquote(link)))
    if not target.startswith(f"{FOLDER}/"):
        return f"link to a missing asset: {link}"
    path = target[len(FOLDER) + 1 :]
    if media_type(path) is None:
        return f"link to {link}, which is not an allowed kind of asset (allowed: {ALLOWED})"
    if path not in asset_paths:
        return f"link to a missing asset: {link}"
    return None
