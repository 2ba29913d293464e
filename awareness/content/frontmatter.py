"""A module file's front matter: the YAML between the two ``---`` lines, with each key's line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from awareness.content import limits, yamltext
from awareness.content.problems import Problem
from awareness.content.specs import ModuleSpec

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: Settings that belong to the original: a translation may only repeat them.
ORIGINAL_ONLY_KEYS = (
    "slug", "audience", "required", "due_days", "renew_days", "passing_score",
    "major", "controls", "order", "shuffle",
)  # fmt: skip
KNOWN_KEYS = frozenset({"title", "summary", "minutes", *ORIGINAL_ONLY_KEYS})

#: Reports a problem on the line of a front-matter key.
Report = Callable[[str, str], None]


@dataclass
class Split:
    """A module file cut in two: the front matter's text, and the body's lines."""

    front: str
    body: list[str]
    body_line: int  # the line (from 1) of the body's first line
    closing_line: int  # the line of the closing '---'


@dataclass
class FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int]  # each key (and each item of a list, as "key[0]") to its line


def split(text: str, path: str, problems: list[Problem]) -> Split | None:
    """Find the front matter; None (with a problem) when the file does not start with it."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.append(Problem(path, 1, "the file must start with front matter: a line '---'"))
        return None
    closing = next(
        (index for index, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")),
        None,
    )
    if closing is None:
        problems.append(Problem(path, 1, "front matter is not closed by a line '---'"))
        return None
    return Split("\n".join(lines[1:closing]), lines[closing + 1 :], closing + 2, closing + 1)


def parse(text: str, path: str, problems: list[Problem]) -> FrontMatter | None:
    """The front matter's data and key lines; None (with a problem) when it is not YAML."""
    first_line = 2
    excess = limits.yaml_excess(text)
    if excess is not None:
        problems.append(Problem(path, excess.line + first_line - 1, excess.message))
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        problems.append(yamltext.syntax_problem(path, error, first_line - 1))
        return None
    except ValueError as error:  # a date such as 2026-02-30, a number of 5,000 digits
        problems.append(yamltext.value_problem(path, first_line, error))
        return None
    if root is None:
        return FrontMatter({}, {})
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        problems.append(Problem(path, first_line, "front matter must be 'key: value' lines"))
        return None
    key_lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = yamltext.line(key_node) + first_line - 1
        key = key_node.value
        if key in key_lines:
            problems.append(
                Problem(path, line, f"duplicate key '{key}' (first on line {key_lines[key]})")
            )
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                key_lines[f"{key}[{index}]"] = yamltext.line(item) + first_line - 1
    return FrontMatter(data, key_lines)


def apply(module: ModuleSpec, front: FrontMatter, problems: list[Problem]) -> None:
    """Check the front matter's values and set them on ``module``.

    A translation takes its title, summary and minutes; the rest is the original's
    (``checks.check_translation`` compares what it repeats).
    """
    data = front.data
    module.lines = front.lines
    module.front_matter = data

    def problem(key: str, message: str) -> None:
        problems.append(Problem(module.path, module.line_of(key), message))

    for key in data:
        if key not in KNOWN_KEYS:
            problem(str(key), f"unknown key '{key}' (known: {', '.join(sorted(KNOWN_KEYS))})")

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
    if module.language is None:
        _apply_settings(module, data, problem)


def _apply_settings(module: ModuleSpec, data: dict[str, Any], problem: Report) -> None:
    """The keys only an original may set."""
    slug = data.get("slug", module.slug)
    if not isinstance(slug, str) or not SLUG.match(slug):
        problem("slug", f"slug '{slug}' must be lower-case letters, digits and '-'")
    else:
        module.slug = slug
    module.audience = _audience(data, problem)
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


def _audience(data: dict[str, Any], problem: Report) -> list[str]:
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


def _boolean(data: dict[str, Any], key: str, default: bool, problem: Report) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        problem(key, f"'{key}' must be true or false, not {value!r}")
        return default
    return value


def _integer(
    data: dict[str, Any], key: str, default: int, low: int, high: int, problem: Report
) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problem(key, f"'{key}' must be a whole number from {low} to {high}, not {value!r}")
        return default
    return value
