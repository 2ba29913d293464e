"""Checks across files: audiences against ``org.yml``, slugs, translations, links to assets."""

from __future__ import annotations

import re

from awareness.content import assets
from awareness.content.frontmatter import ORIGINAL_ONLY_KEYS
from awareness.content.problems import Problem
from awareness.content.specs import ModuleSpec, QuestionSpec

#: Where lessons link to the assets folder from ``modules/``.
ASSET_LINK_PREFIX = "../assets/"
#: Images from other sites, which the pages' Content-Security-Policy will not load.
EXTERNAL = re.compile(r"(?:https?:)?//", re.IGNORECASE)


def check_audience(module: ModuleSpec, layer_ids: set[str], problems: list[Problem]) -> None:
    """Each layer of the audience is in ``org.yml``, and listed once."""
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


def check_slugs(modules: list[ModuleSpec], problems: list[Problem]) -> None:
    """No two modules share a slug."""
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


def check_translation(
    translation: ModuleSpec, original: ModuleSpec, problems: list[Problem]
) -> None:
    """A translation repeats none of the original's settings differently, and has its quiz shape."""
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
    if len(numbers) == 1:
        return f"option {numbers[0]}"
    return "options " + ", ".join(map(str, numbers))


def check_links(module: ModuleSpec, asset_paths: set[str], problems: list[Problem]) -> None:
    """Each link to ``../assets/`` names a file there (``asset_paths``, below it) that may be
    published, and no image comes from another site."""
    for reference in module.references:
        if reference.target.startswith(ASSET_LINK_PREFIX):
            link = reference.target.split("#")[0].split("?")[0]
            problem = assets.link_problem(link, module.path, asset_paths)
            if problem:
                problems.append(Problem(module.path, reference.line, problem))
        elif reference.image and EXTERNAL.match(reference.target):
            problems.append(
                Problem(
                    module.path,
                    reference.line,
                    f"image from another site: {reference.target}; put it in assets/ "
                    "(pages show only the platform's own images)",
                )
            )
