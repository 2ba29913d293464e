"""Read and validate the content folder: ``org.yml``, ``modules/*.md`` and ``assets/``.

Everything here is plain data in, plain data out, with no database. Every
problem names the file (relative to the content folder) and the line. Files
are read through :mod:`awareness.content.files` (never through a symbolic link)
and checked against :mod:`awareness.content.limits` before they are parsed.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from awareness.content import assets as content_assets
from awareness.content import files, limits, markdown
from awareness.content.problems import Problem

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LAYER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

QUIZ_HEADING = re.compile(r"^##\s+Quiz\s*$")
LOOSE_QUIZ_HEADING = re.compile(r"^#{1,6}\s+quiz\s*#*\s*$", re.IGNORECASE)
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
QUESTION = re.compile(r"^###\s+(.+)$")  # see _question_text for closing #s
OTHER_HEADING = re.compile(r"^(#{1,2}|#{4,6})\s")
OPTION = re.compile(r"^\s{0,3}[-*+]\s+\[([ xX])\]\s+(.*\S)\s*$")
LIST_ITEM = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s")
EXPLANATION = re.compile(r"^\s{0,3}>\s?(.*)$")
ASSET_LINK = re.compile(
    r"""(?:\]\(\s*<?|src\s*=\s*["']|^\s*\[[^\]]+\]:\s*)(\.\./assets/[^)\s>"']*)"""
)
#: Images from other sites, which the pages' Content-Security-Policy will not load.
EXTERNAL_IMAGE = re.compile(
    r"""(?:!\[[^\]]*\]\(\s*<?|<img\b[^>]*\bsrc\s*=\s*["'])((?:https?:)?//[^)\s>"']+)""",
    re.IGNORECASE,
)

WORDS_PER_MINUTE = 200
MINUTES_PER_QUESTION = 0.5

ORIGINAL_ONLY_KEYS = (
    "slug", "audience", "required", "due_days", "renew_days", "passing_score",
    "major", "controls", "order", "shuffle",
)  # fmt: skip


@dataclass
class LayerSpec:
    id: str
    title: str
    description: str = ""


@dataclass
class OptionSpec:
    number: int
    text_html: str
    correct: bool
    line: int


@dataclass
class QuestionSpec:
    number: int
    text_html: str
    line: int
    options: list[OptionSpec] = field(default_factory=list)
    explanation_html: str = ""

    @property
    def multiple(self) -> bool:
        return sum(option.correct for option in self.options) > 1

    @property
    def shape(self) -> tuple[tuple[bool, ...]]:
        return tuple(option.correct for option in self.options)


@dataclass
class ModuleSpec:
    """One module file, parsed. ``language`` is None for the original."""

    path: str
    slug: str
    title: str
    source: str
    language: str | None = None
    audience: list[str] = field(default_factory=list)  # ["all"] or layer ids
    summary: str = ""
    required: bool = True
    due_days: int = 30
    renew_days: int | None = 365
    passing_score: int = 80
    minutes: int = 1
    major: int = 1
    controls: list[str] = field(default_factory=list)
    order: int | None = None
    shuffle: bool = True
    body_html: str = ""
    questions: list[QuestionSpec] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key to line
    front_matter: dict[str, Any] = field(default_factory=dict)
    translations: list[ModuleSpec] = field(default_factory=list)

    @property
    def source_hash(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()

    @property
    def content_hash(self) -> str:
        """A hash over the file and its translations: equal means nothing changed."""
        digest = hashlib.sha256(self.source.encode())
        for translation in sorted(self.translations, key=lambda t: t.language or ""):
            digest.update(f"\0{translation.language}\0{translation.source}".encode())
        return digest.hexdigest()

    @property
    def is_reading(self) -> bool:
        return not self.questions

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass
class ContentTree:
    layers: list[LayerSpec]
    modules: list[ModuleSpec]
    problems: list[Problem]
    assets: list[content_assets.AssetSpec] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        readings = sum(module.is_reading for module in self.modules)
        translations = sum(len(module.translations) for module in self.modules)
        questions = sum(len(module.questions) for module in self.modules)
        return (
            f"{_count(len(self.modules), 'module')} ({len(self.modules) - readings} with a quiz, "
            f"{_count(readings, 'reading')}), {_count(questions, 'question')}, "
            f"{_count(translations, 'translation')}, {_count(len(self.layers), 'layer')}: "
            "no problems"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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
    layer_ids = {layer.id for layer in layers}
    assets = content_assets.load_assets(folder, problems)
    asset_paths = {
        path[len(content_assets.FOLDER) + 1 :]
        for path in folder.files_in(content_assets.FOLDER, recursive=True)
    }

    if "modules" not in folder.folders:
        problems.append(Problem("modules", 1, f"folder not found in {directory}"))
        return ContentTree(layers, [], sorted(set(problems)), assets)

    originals: dict[str, ModuleSpec] = {}  # by file stem
    translation_files: list[tuple[str, str, str]] = []
    for relative in folder.files_in("modules"):
        if not relative.endswith(".md"):
            continue
        file_stem = Path(relative).stem
        stem, dot, language = file_stem.rpartition(".")
        if dot:
            if not LANGUAGE.match(language):
                problems.append(
                    Problem(relative, 1, f"'{language}' is not a language code such as 'ur'")
                )
                continue
            translation_files.append((relative, stem, language))
            continue
        text = _read(folder, relative, problems)
        module = parse_module(text, relative, file_stem, problems) if text is not None else None
        if module is None:
            continue
        _check_original(module, layer_ids, problems)
        _check_assets(module, asset_paths, problems)
        originals[file_stem] = module

    _check_duplicate_slugs(list(originals.values()), problems)

    for relative, stem, language in translation_files:
        original = originals.get(stem)
        if original is None:
            problems.append(
                Problem(
                    relative, 1, f"translation of modules/{stem}.md, which is missing or invalid"
                )
            )
            continue
        text = _read(folder, relative, problems)
        if text is None:
            continue
        translation = parse_module(text, relative, stem, problems, language=language)
        if translation is None:
            continue
        _check_translation(translation, original, problems)
        _check_assets(translation, asset_paths, problems)
        original.translations.append(translation)

    return ContentTree(layers, list(originals.values()), sorted(set(problems)), assets)


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


# -- org.yml ---------------------------------------------------------------


def parse_org(text: str, path: str, problems: list[Problem]) -> list[LayerSpec]:
    """Read the layers from ``org.yml``."""
    excess = limits.yaml_excess(text)
    if excess is not None:
        problems.append(Problem(path, excess.line, excess.message))
        return []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        problems.append(_yaml_problem(path, error, 0))
        return []
    mapping = _mapping_lines(root)
    if mapping is None or "layers" not in mapping:
        problems.append(Problem(path, 1, "expected a 'layers:' list"))
        return []
    layers_node = mapping["layers"][1]
    if not isinstance(layers_node, yaml.SequenceNode) or not layers_node.value:
        problems.append(
            Problem(path, _line(mapping["layers"][0]), "'layers' must be a non-empty list")
        )
        return []
    layers: list[LayerSpec] = []
    seen: dict[str, int] = {}
    for node in layers_node.value:
        line = _line(node)
        data = _layer_data(node, path, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(path, line, "each layer needs 'id' and 'title'"))
            continue
        layer_id, title = data.get("id"), data.get("title")
        if not isinstance(layer_id, str) or not LAYER_ID.match(layer_id):
            problems.append(
                Problem(path, line, "layer 'id' must be lower-case letters, digits, '-' or '_'")
            )
            continue
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(path, line, f"layer '{layer_id}' needs a 'title'"))
            continue
        if layer_id in seen:
            problems.append(
                Problem(
                    path, line, f"duplicate layer id '{layer_id}' (first on line {seen[layer_id]})"
                )
            )
            continue
        if layer_id == "all":
            problems.append(Problem(path, line, "'all' is reserved for module audiences"))
            continue
        seen[layer_id] = line
        unknown = set(data) - {"id", "title", "description"}
        if unknown:
            problems.append(
                Problem(
                    path, line, f"unknown key(s) {', '.join(sorted(unknown))} in layer '{layer_id}'"
                )
            )
        layers.append(
            LayerSpec(layer_id, title.strip(), str(data.get("description") or "").strip())
        )
    return layers


def _layer_data(node: yaml.Node, path: str, problems: list[Problem]) -> Any:
    """A layer's YAML as Python data; None (with a problem) when a value cannot be read."""
    if not isinstance(node, yaml.MappingNode):
        return []
    try:
        return yaml.safe_load(yaml.serialize(node))
    except (yaml.YAMLError, ValueError) as error:
        problems.append(_value_problem(path, _line(node), error))
        return None


# -- module files ----------------------------------------------------------


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
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "the file must start with front matter: a line '---'"))
        return None
    closing = next(
        (i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None
    )
    if closing is None:
        problems.append(Problem(path, 1, "front matter is not closed by a line '---'"))
        return None
    front = _parse_front_matter("\n".join(lines[1:closing]), path, problems)
    if front is None:
        return None
    data, key_lines = front
    module = ModuleSpec(path=path, slug=stem, title="", source=text, language=language)
    module.lines = key_lines
    module.front_matter = data
    _apply_front_matter(module, data, problems)

    body = lines[closing + 1 :]
    lesson, quiz_start = _split_quiz(body, closing + 2, path, problems)
    if not "\n".join(lesson).strip():
        problems.append(
            Problem(
                path,
                closing + 2 if len(lines) > closing + 1 else closing + 1,
                "the lesson is empty",
            )
        )
    module.body_html = markdown.render("\n".join(lesson))
    if quiz_start is not None:
        quiz_lines = body[quiz_start - closing - 1 :]
        module.questions = _parse_quiz(quiz_lines, quiz_start + 1, path, problems)
        if not module.questions and not any(
            p.path == path and p.line > quiz_start for p in problems
        ):
            problems.append(
                Problem(
                    path,
                    quiz_start,
                    "'## Quiz' has no questions: add '### ' questions or remove it",
                )
            )
    if "minutes" not in data:
        module.minutes = estimate_minutes("\n".join(lesson), len(module.questions))
    return module


def estimate_minutes(lesson: str, questions: int) -> int:
    """Reading time at a steady pace plus a little per question, at least one minute."""
    words = len(lesson.split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE + questions * MINUTES_PER_QUESTION))


def _parse_front_matter(
    text: str, path: str, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, int]] | None:
    first_line = 2
    excess = limits.yaml_excess(text)
    if excess is not None:
        problems.append(Problem(path, excess.line + first_line - 1, excess.message))
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        problems.append(_yaml_problem(path, error, first_line - 1))
        return None
    except ValueError as error:  # a date such as 2026-02-30, a number of 5,000 digits
        problems.append(_value_problem(path, first_line, error))
        return None
    if root is None:
        return {}, {}
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        problems.append(Problem(path, first_line, "front matter must be 'key: value' lines"))
        return None
    key_lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = _line(key_node) + first_line - 1
        key = key_node.value
        if key in key_lines:
            problems.append(
                Problem(path, line, f"duplicate key '{key}' (first on line {key_lines[key]})")
            )
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                key_lines[f"{key}[{index}]"] = _line(item) + first_line - 1
    return data, key_lines


def _apply_front_matter(module: ModuleSpec, data: dict[str, Any], problems: list[Problem]) -> None:
    def problem(key: str, message: str) -> None:
        problems.append(Problem(module.path, module.line_of(key), message))

    known = {"title", "summary", "minutes", *ORIGINAL_ONLY_KEYS}
    for key in data:
        if key not in known:
            problem(str(key), f"unknown key '{key}' (known: {', '.join(sorted(known))})")

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problem("title", "missing 'title'" if title is None else "'title' must be text")
    else:
        module.title = title.strip()
    summary = data.get("summary", "")
    if summary is None or (isinstance(summary, str) and "\n" not in summary.strip()):
        module.summary = (summary or "").strip()
    else:
        problem("summary", "'summary' must be one line of text")

    module.minutes = _integer(data, "minutes", module.minutes, 1, 600, problem)
    if module.language is not None:
        return  # the rest is the original's; _check_translation compares it

    slug = data.get("slug", module.slug)
    if not isinstance(slug, str) or not SLUG.match(slug):
        problem("slug", f"slug '{slug}' must be lower-case letters, digits and '-'")
    else:
        module.slug = slug
    module.audience = _audience(data, module, problem)
    module.required = _boolean(data, "required", True, problem)
    module.shuffle = _boolean(data, "shuffle", True, problem)
    module.due_days = _integer(data, "due_days", 30, 1, 3650, problem)
    module.passing_score = _integer(data, "passing_score", 80, 0, 100, problem)
    module.major = _integer(data, "major", 1, 1, 10_000, problem)
    if "renew_days" in data and data["renew_days"] is None:
        module.renew_days = None
    else:
        module.renew_days = _integer(data, "renew_days", 365, 1, 36_500, problem)
    if "order" in data:
        module.order = _integer(data, "order", 0, -1_000_000, 1_000_000, problem)
    controls = data.get("controls", [])
    if controls is None:
        controls = []
    if not isinstance(controls, list) or not all(
        isinstance(c, str | int | float) for c in controls
    ):
        problem("controls", "'controls' must be a list of tags such as [ISO27001:A.6.3]")
    else:
        module.controls = [str(c) for c in controls]


def _audience(data: dict[str, Any], module: ModuleSpec, problem) -> list[str]:
    audience = data.get("audience")
    if audience is None:
        problem("audience", "missing 'audience': list layer ids from org.yml, or write 'all'")
        return []
    if audience == "all" or audience == ["all"]:
        return ["all"]
    if isinstance(audience, str):
        audience = [audience]
    if (
        not isinstance(audience, list)
        or not audience
        or not all(isinstance(a, str) for a in audience)
    ):
        problem("audience", "'audience' must be a list of layer ids, or 'all'")
        return []
    return audience


def _boolean(data: dict[str, Any], key: str, default: bool, problem) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        problem(key, f"'{key}' must be true or false, not {value!r}")
        return default
    return value


def _integer(data: dict[str, Any], key: str, default: int, low: int, high: int, problem) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problem(key, f"'{key}' must be a whole number from {low} to {high}, not {value!r}")
        return default
    return value


def _outside_code(lines: list[str]) -> Iterator[tuple[int, str]]:
    """``(index, line)`` for each line that is not part of a fenced code block.

    As in CommonMark, a fence of backticks is closed only by backticks and one
    of tildes only by tildes, at least as many as opened it, with nothing after.
    """
    fence: str | None = None
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
            else:
                yield index, line
        elif match and _closes(match, fence, line):
            fence = None


def _closes(match: re.Match[str], fence: str, line: str) -> bool:
    marker = match.group(1)
    return marker[0] == fence[0] and len(marker) >= len(fence) and not line[match.end() :].strip()


def _split_quiz(
    body: list[str], first_line: int, path: str, problems: list[Problem]
) -> tuple[list[str], int | None]:
    """Split the body at ``## Quiz``; return the lesson lines and the quiz heading's line."""
    for index, line in _outside_code(body):
        if QUIZ_HEADING.match(line):
            return body[:index], first_line + index
        if LOOSE_QUIZ_HEADING.match(line):
            problems.append(
                Problem(path, first_line + index, "write the quiz heading exactly as '## Quiz'")
            )
    return body, None


def _parse_quiz(
    lines: list[str], first_line: int, path: str, problems: list[Problem]
) -> list[QuestionSpec]:
    questions: list[QuestionSpec] = []
    stem: list[str] = []
    explanation: list[str] = []
    option_lines: list[list[str]] = []  # each option's Markdown, rendered once at the end
    phase = "none"  # none, stem, options, explanation

    def finish() -> None:
        if not questions:
            return
        question = questions[-1]
        for option, source in zip(question.options, option_lines, strict=True):
            option.text_html = markdown.render_inline(" ".join(source))
        if stem:
            question.text_html += "\n" + markdown.render("\n".join(stem))
        if explanation:
            question.explanation_html = markdown.render("\n".join(explanation))
        if len(question.options) < 2:
            problems.append(
                Problem(
                    path, question.line, f"question {question.number} has fewer than two options"
                )
            )
        elif not any(option.correct for option in question.options):
            problems.append(
                Problem(
                    path,
                    question.line,
                    f"question {question.number} has no correct option: mark one '- [x]'",
                )
            )

    for offset, line in enumerate(lines):
        number = first_line + offset
        if match := QUESTION.match(line):
            finish()
            stem, explanation, option_lines = [], [], []
            questions.append(
                QuestionSpec(
                    len(questions) + 1, markdown.render_inline(_question_text(match)), number
                )
            )
            phase = "stem"
        elif OTHER_HEADING.match(line):
            problems.append(
                Problem(
                    path, number, "inside the quiz only '### ' headings (questions) are allowed"
                )
            )
        elif match := OPTION.match(line):
            if phase == "none":
                problems.append(
                    Problem(
                        path, number, "option outside a question: put a '### ' question above it"
                    )
                )
            elif phase == "explanation":
                problems.append(
                    Problem(
                        path, number, "option after the explanation: the '>' explanation goes last"
                    )
                )
            else:
                question = questions[-1]
                correct = match.group(1) in "xX"
                question.options.append(OptionSpec(len(question.options) + 1, "", correct, number))
                option_lines.append([match.group(2)])
                phase = "options"
        elif match := EXPLANATION.match(line):
            if phase == "none":
                problems.append(Problem(path, number, "explanation outside a question"))
            elif phase == "stem":
                problems.append(
                    Problem(path, number, "explanation before the options: put it after them")
                )
            else:
                explanation.append(match.group(1))
                phase = "explanation"
        elif not line.strip():
            if phase == "explanation":
                explanation.append("")
        elif phase == "stem":
            if LIST_ITEM.match(line):
                problems.append(
                    Problem(path, number, "an option must be written '- [ ] text' or '- [x] text'")
                )
            else:
                stem.append(line)
        elif phase == "options" and line.startswith(("  ", "\t")) and questions[-1].options:
            option_lines[-1].append(line.strip())
        elif LIST_ITEM.match(line):
            problems.append(
                Problem(path, number, "an option must be written '- [ ] text' or '- [x] text'")
            )
        elif phase == "none":
            problems.append(
                Problem(path, number, "text before the first question: questions start with '### '")
            )
        else:
            problems.append(
                Problem(
                    path,
                    number,
                    "unexpected text: after the options only a '> ' explanation may follow",
                )
            )
    finish()
    return questions


def _question_text(match: re.Match[str]) -> str:
    """A question heading's text without its closing ``#``s (which need a space before them).

    Done without a regular expression: one that tries every split of a long heading
    takes time that grows with the square of its length.
    """
    text = match.group(1).rstrip() or match.group(1)
    body = text.rstrip("#")
    if body != text and body[-1:].isspace():
        return body.rstrip()
    return text


# -- checks across files ---------------------------------------------------


def _check_original(module: ModuleSpec, layer_ids: set[str], problems: list[Problem]) -> None:
    if module.audience == ["all"]:
        return
    for index, layer_id in enumerate(module.audience):
        line = module.lines.get(f"audience[{index}]", module.line_of("audience"))
        if layer_id not in layer_ids:
            known = ", ".join(sorted(layer_ids)) or "none"
            problems.append(
                Problem(module.path, line, f"unknown layer id '{layer_id}' (org.yml has: {known})")
            )
        elif layer_id in module.audience[:index]:
            problems.append(Problem(module.path, line, f"layer id '{layer_id}' is listed twice"))


def _check_duplicate_slugs(modules: list[ModuleSpec], problems: list[Problem]) -> None:
    first: dict[str, ModuleSpec] = {}
    for module in modules:
        if module.slug in first:
            problems.append(
                Problem(
                    module.path,
                    module.line_of("slug"),
                    f"duplicate slug '{module.slug}' (also used by {first[module.slug].path})",
                )
            )
        else:
            first[module.slug] = module


def _check_translation(
    translation: ModuleSpec, original: ModuleSpec, problems: list[Problem]
) -> None:
    translation.slug = original.slug
    for key in ORIGINAL_ONLY_KEYS:
        if key in translation.front_matter and translation.front_matter[
            key
        ] != original.front_matter.get(key):
            problems.append(
                Problem(
                    translation.path,
                    translation.line_of(key),
                    f"'{key}' differs from {original.path}: set it in the original only",
                )
            )
    if len(translation.questions) != len(original.questions):
        line = translation.questions[0].line if translation.questions else 1
        problems.append(
            Problem(
                translation.path,
                line,
                f"quiz shape differs from {original.path}: {len(translation.questions)} questions "
                f"here, {len(original.questions)} there",
            )
        )
        return
    for mine, theirs in zip(translation.questions, original.questions, strict=True):
        if mine.shape != theirs.shape:
            problems.append(
                Problem(
                    translation.path,
                    mine.line,
                    f"quiz shape differs from {original.path}: question {mine.number} has "
                    f"{_describe(mine)} here, {_describe(theirs)} there",
                )
            )


def _describe(question: QuestionSpec) -> str:
    correct = [option.number for option in question.options if option.correct]
    return f"{len(question.options)} options with {_numbers(correct)} correct"


def _numbers(numbers: list[int]) -> str:
    return (
        "option " + str(numbers[0])
        if len(numbers) == 1
        else "options " + ", ".join(map(str, numbers))
    )


def _check_assets(module: ModuleSpec, asset_paths: set[str], problems: list[Problem]) -> None:
    """Each asset link names a file in ``assets/`` (``asset_paths``, below it) that may be one."""
    for index, line in _outside_code(module.source.split("\n")):
        number = index + 1
        for match in ASSET_LINK.finditer(line):
            link = match.group(1).split("#")[0].split("?")[0]
            problem = content_assets.link_problem(link, module.path, asset_paths)
            if problem:
                problems.append(Problem(module.path, number, problem))
        for match in EXTERNAL_IMAGE.finditer(line):
            problems.append(
                Problem(
                    module.path,
                    number,
                    f"image from another site: {match.group(1)}; put it in assets/ "
                    "(pages show only the platform's own images)",
                )
            )


# -- helpers ---------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping_lines(node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return {
        key.value: (key, value)
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode)  # a list as a key ("? [a]") names nothing here
    }


def _value_problem(path: str, line: int, error: Exception) -> Problem:
    """A value YAML reads but Python cannot hold, such as the date 2026-02-30."""
    return Problem(path, line, f"bad YAML value: {str(error)[:200]}")


def _yaml_problem(path: str, error: yaml.YAMLError, offset: int) -> Problem:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 + offset if mark is not None else 1 + offset
    reason = getattr(error, "problem", None) or str(error)
    return Problem(path, line, f"bad YAML: {reason}")
