"""What ``content check`` reads from a content folder: plain data, no database, no Markdown."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from awareness.content.assets import AssetSpec
from awareness.content.problems import Problem

#: Part of every module's content hash: raise it whenever a change to the Markdown dialect
#: or the sanitiser changes the HTML of an unchanged file. The next ``content sync`` then
#: publishes every module again, as "updated" (same major: completions stay valid).
RENDERER = "markdown-it-py/1"


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
    def shape(self) -> tuple[bool, ...]:
        """Which options are correct, in order: what a translation must keep."""
        return tuple(option.correct for option in self.options)


@dataclass(frozen=True)
class Reference:
    """A link or an image in a module, as written; ``line`` is where it is in the file."""

    line: int
    target: str
    image: bool


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
    references: list[Reference] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key to line
    front_matter: dict[str, Any] = field(default_factory=dict)
    translations: list[ModuleSpec] = field(default_factory=list)

    @property
    def source_hash(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()

    @property
    def content_hash(self) -> str:
        """A hash over the renderer, the file and its translations: equal means nothing changed."""
        digest = hashlib.sha256(f"{RENDERER}\0".encode())
        digest.update(self.source.encode())
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
    assets: list[AssetSpec] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """A hash of everything a sync would publish: equal means the folder reads the same.

        A browser sync's confirmation compares it with its dry run's, so what
        is applied is what was shown.
        """
        digest = hashlib.sha256(f"{RENDERER}\0".encode())
        for layer in self.layers:
            digest.update(f"layer\0{layer.id}\0{layer.title}\0{layer.description}\0".encode())
        for module in sorted(self.modules, key=lambda m: m.slug):
            digest.update(f"module\0{module.slug}\0{module.path}\0{module.content_hash}\0".encode())
        for asset in sorted(self.assets, key=lambda a: a.path):
            digest.update(f"asset\0{asset.path}\0{asset.sha256}\0".encode())
        for problem in self.problems:
            digest.update(f"problem\0{problem}\0".encode())
        return digest.hexdigest()

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
