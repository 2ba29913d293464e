"""Read and validate the content folder: ``org.yml``, ``modules/*.md`` and ``assets/``.

Everything here is plain data in, plain data out, with no database. Every
problem names the file (relative to the content folder) and the line. Files
are read through :mod:`~awareness.content.files` (never through a symbolic link)
and checked against :mod:`~awareness.content.limits` before they are parsed.
A module file is parsed in three steps: its front matter
(:mod:`~awareness.content.frontmatter`), its body in one Markdown parse that
gives both the lesson and the quiz (:mod:`~awareness.content.lesson`), then
the checks across files (:mod:`~awareness.content.checks`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from awareness.content import assets as content_assets
from awareness.content import checks, files, frontmatter, limits
from awareness.content.lesson import read_body
from awareness.content.org import parse_org
from awareness.content.problems import Problem
from awareness.content.specs import ContentTree, LayerSpec, ModuleSpec

__all__ = [
    "ContentTree",
    "LayerSpec",
    "ModuleSpec",
    "Problem",
    "estimate_minutes",
    "load_content",
    "parse_module",
    "parse_org",
]

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

WORDS_PER_MINUTE = 200
MINUTES_PER_QUESTION = 0.5


def load_content(directory: Path) -> ContentTree:
    """Parse and validate a whole content folder."""
    problems: list[Problem] = []
    folder = files.survey(directory, problems)
    if "org.yml" in folder.files:
        text = _read(folder, "org.yml", problems)
        layers = parse_org(text, "org.yml", problems) if text is not None else []
    else:
        layers = []
        problems.append(Problem("org.yml", 1, f"file not found in {directory}"))
    assets = content_assets.load_assets(folder, problems)
    if "modules" not in folder.folders:
        problems.append(Problem("modules", 1, f"folder not found in {directory}"))
        return ContentTree(layers, [], sorted(set(problems)), assets)

    asset_paths = {
        path[len(content_assets.FOLDER) + 1 :]
        for path in folder.files_in(content_assets.FOLDER, recursive=True)
    }
    originals, translations = _modules(folder, problems)
    layer_ids = {layer.id for layer in layers}
    for module in originals.values():
        checks.check_audience(module, layer_ids, problems)
        checks.check_links(module, asset_paths, problems)
    checks.check_slugs(list(originals.values()), problems)
    for relative, stem, language in translations:
        original = originals.get(stem)
        if original is None:
            message = f"translation of modules/{stem}.md, which is missing or invalid"
            problems.append(Problem(relative, 1, message))
            continue
        text = _read(folder, relative, problems)
        if text is None:
            continue
        translation = parse_module(text, relative, stem, problems, language=language)
        if translation is None:
            continue
        checks.check_translation(translation, original, problems)
        checks.check_links(translation, asset_paths, problems)
        original.translations.append(translation)
    return ContentTree(layers, list(originals.values()), sorted(set(problems)), assets)


def _modules(
    folder: files.Folder, problems: list[Problem]
) -> tuple[dict[str, ModuleSpec], list[tuple[str, str, str]]]:
    """The originals in ``modules/``, parsed (by file stem), and the translations' files
    as ``(path, stem of the original, language)``."""
    originals: dict[str, ModuleSpec] = {}
    translations: list[tuple[str, str, str]] = []
    for relative in folder.files_in("modules"):
        if not relative.endswith(".md"):
            continue
        file_stem = Path(relative).stem
        stem, dot, language = file_stem.rpartition(".")
        if not dot:
            text = _read(folder, relative, problems)
            module = parse_module(text, relative, file_stem, problems) if text is not None else None
            if module is not None:
                originals[file_stem] = module
        elif LANGUAGE.match(language):
            translations.append((relative, stem, language))
        else:
            message = f"'{language}' is not a language code such as 'ur'"
            problems.append(Problem(relative, 1, message))
    return originals, translations


def _read(folder: files.Folder, relative: str, problems: list[Problem]) -> str | None:
    """A file's text, or None with a problem when it is too large or not UTF-8.

    A byte order mark (as some Windows editors write) is dropped.
    """
    data = files.read_file(folder.root, relative, limits.MAX_FILE_BYTES, problems)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(relative, line, "not UTF-8 text: save the file as UTF-8"))
        return None
    return text.replace("\r\n", "\n")


def parse_module(
    text: str, path: str, stem: str, problems: list[Problem], *, language: str | None = None
) -> ModuleSpec | None:
    """Parse one module (or translation) file; append its problems, None if unusable.

    A text over one of the :mod:`~awareness.content.limits` is reported and not parsed.
    """
    excesses = limits.markdown_excesses(text)
    if excesses:
        problems.extend(Problem(path, excess.line, excess.message) for excess in excesses)
        return None
    split = frontmatter.split(text, path, problems)
    if split is None:
        return None
    front = frontmatter.parse(split.front, path, problems)
    if front is None:
        return None
    module = ModuleSpec(path=path, slug=stem, title="", source=text, language=language)
    frontmatter.apply(module, front, problems)

    body = read_body(split.body, split.body_line, path, problems)
    if not body.lesson_source.strip():
        line = split.body_line if split.body else split.closing_line
        problems.append(Problem(path, line, "the lesson is empty"))
    module.body_html = body.html
    module.questions = body.questions
    module.references = body.references
    if "minutes" not in front.data:
        module.minutes = estimate_minutes(body.lesson_source, len(module.questions))
    return module


def estimate_minutes(lesson: str, questions: int) -> int:
    """Reading time at a steady pace plus a little per question, at least one minute."""
    words = len(lesson.split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE + questions * MINUTES_PER_QUESTION))
