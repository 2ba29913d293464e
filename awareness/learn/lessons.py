"""Modules as a learner sees them: live modules, in their language, questions shuffled."""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, replace

from babel import Locale
from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from awareness import i18n
from awareness.models import Module, ModuleTranslation
from awareness.progress import catalogue

#: A tag of sanitised HTML (attribute values double-quoted, where ">" may stand), a table's apart.
TAG = re.compile(r'<(?P<end>/?)(?:(?P<table>table)\b|[a-zA-Z])(?:"[^"]*"|[^>"])*>')


@dataclass(frozen=True)
class ShownOption:
    number: int
    text_html: str


@dataclass(frozen=True)
class ShownQuestion:
    number: int
    text_html: str
    multiple: bool
    options: list[ShownOption]
    explanation_html: str


@dataclass(frozen=True)
class Lesson:
    """A module in the language it is shown in, with the hash of that exact text."""

    module: Module
    language: str
    title: str
    summary: str
    body_html: str
    questions: list[ShownQuestion]
    source_hash: str
    #: The language the person reads in, when this module has no translation into it.
    missing_language: str | None = None

    def shuffled(self, seed: str) -> list[ShownQuestion]:
        """The quiz as a form shows it: in an order fixed by ``seed`` (unless the module says
        not to), without the explanations."""
        return [replace(q, explanation_html="") for q in self.as_seen(seed)]

    def as_seen(self, seed: str | None) -> list[ShownQuestion]:
        """Questions and options in the order a form with key ``seed`` showed them.

        The form's shuffle is drawn from its key, so a result page draws the same
        order again; without a key (an API attempt) the written order.
        """
        if not self.module.shuffle or not seed:
            return self.questions
        generator = random.Random(seed)
        questions = generator.sample(self.questions, k=len(self.questions))
        return [
            replace(q, options=generator.sample(q.options, k=len(q.options))) for q in questions
        ]

    @property
    def missing_language_name(self) -> str:
        """The name of :attr:`missing_language`, in the language of the interface."""
        code = self.missing_language or "en"
        return Locale.parse(code).get_display_name(i18n.language()) or code


def live_module(session: Session, slug: str) -> Module:
    """The published module with this slug (:func:`~awareness.progress.catalogue.live_module`),
    or 404."""
    module = catalogue.live_module(session, slug)
    if module is None:
        abort(404, description=f"no module '{slug}'")
    return module


def lesson_language(available: list[str]) -> str:
    """The language to show a lesson in, from those it is ``available`` in.

    The signed-in person's chosen language when the lesson is in it, else the
    browser's best match, else the original (English).
    """
    chosen = getattr(current_user, "language", None)
    if chosen in available:
        return chosen
    return request.accept_languages.best_match(available) or "en"


@dataclass(frozen=True)
class Heading:
    """A module's title and summary in the language a list shows it in."""

    title: str
    summary: str
    language: str


def headings(session: Session, modules: list[Module]) -> dict[int, Heading]:
    """Each module's title and summary in the reader's language where it is translated into it,
    else in the original: a list of modules reads as its lessons will."""
    language = lesson_language(current_app.config["LANGUAGES"])
    translated = (
        {}
        if language == "en"
        else catalogue.translated_headings(session, [m.id for m in modules], language)
    )
    shown = {}
    for module in modules:
        if module.id in translated:
            title, summary = translated[module.id]
            shown[module.id] = Heading(title, summary or module.summary, language)
        else:
            shown[module.id] = Heading(module.title, module.summary, "en")
    return shown


def lesson(module: Module, language: str | None = None) -> Lesson:
    """``module`` in ``language`` when translated, else in the original.

    Without ``language``, the one :func:`lesson_language` picks for this request.
    """
    languages = {t.language: t for t in module.translations}
    if language is None:
        language = lesson_language(["en", *languages])
    translation: ModuleTranslation | None = languages.get(language)
    questions = []
    for index, question in enumerate(module.questions):
        text = translation.quiz[index] if translation else None
        questions.append(
            ShownQuestion(
                number=question.number,
                text_html=text["text_html"] if text else question.text_html,
                multiple=question.multiple,
                options=[
                    ShownOption(
                        option.number,
                        text["options"][option.number - 1] if text else option.text_html,
                    )
                    for option in question.options
                ],
                explanation_html=text["explanation_html"] if text else question.explanation_html,
            )
        )
    if translation:
        return Lesson(
            module, language, translation.title, translation.summary or module.summary,
            translation.body_html, questions, translation.source_hash,
        )  # fmt: skip
    wanted = i18n.language()
    return Lesson(
        module, "en", module.title, module.summary, module.body_html, questions,
        module.source_hash, missing_language=None if wanted == "en" else wanted,
    )  # fmt: skip


def scrollable_tables(html: str) -> Markup:
    """Sanitised lesson HTML whose tables scroll within themselves on a narrow screen.

    Each table sits in a labelled region that takes the keyboard focus, so a
    table wider than a phone can be scrolled without a mouse.
    """
    numbers = itertools.count(1)

    def wrap(tag: re.Match[str]) -> str:
        if tag.group("table") is None:
            return tag.group(0)  # another tag, read whole so that a quoted ">" stays inside it
        if tag.group("end"):
            return "</table></div>"
        label = escape(_("Table %(number)d", number=next(numbers)))
        region = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
        return region + tag.group(0)

    return Markup(TAG.sub(wrap, html))  # nosec # B704: sanitised lesson HTML, tables wrapped
