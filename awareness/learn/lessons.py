"""Modules as a learner sees them: live modules, in their language, questions shuffled."""

from __future__ import annotations

import random
from dataclasses import dataclass

from flask import abort, request
from flask_login import current_user
from sqlalchemy.orm import Session

from awareness.models import Module, ModuleTranslation
from awareness.progress import catalogue


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

    def shuffled(self, seed: str) -> list[ShownQuestion]:
        """Questions and options in an order fixed by ``seed``, unless the module says not to."""
        if not self.module.shuffle:
            return self.questions
        generator = random.Random(seed)
        questions = generator.sample(self.questions, k=len(self.questions))
        return [
            ShownQuestion(
                q.number, q.text_html, q.multiple, generator.sample(q.options, k=len(q.options)), ""
            )
            for q in questions
        ]


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
    return Lesson(
        module, "en", module.title, module.summary, module.body_html, questions, module.source_hash
    )
