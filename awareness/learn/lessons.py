"""Modules as a learner sees them: live modules, in their language, and their optional reading."""

from __future__ import annotations

import random
from dataclasses import dataclass

from flask import abort, request
from flask_login import current_user
from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from awareness.models import (
    Attempt,
    Module,
    ModuleAudience,
    ModuleTranslation,
    Person,
    Question,
)


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
    """The published module with this slug, or 404.

    The module, its quiz and its translations are read in one statement, so a
    request sees one version even while a sync replaces them (on PostgreSQL
    each statement reads its own snapshot: loaded separately, the questions of
    one version could meet the options, or none, of the next).
    """
    module = (
        session.scalars(
            select(Module)
            .where(Module.slug == slug, ~Module.retired)
            .options(
                joinedload(Module.questions).joinedload(Question.options),
                joinedload(Module.translations),
            )
        )
        .unique()
        .one_or_none()
    )
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


@dataclass(frozen=True)
class OptionalModule:
    module: Module
    best_score: int | None
    passed: bool


def optional_modules(session: Session, person: Person) -> list[OptionalModule]:
    """Live modules for the person's layer that are optional reading, with their best result."""
    for_layer = or_(
        Module.audience_all,
        exists().where(
            ModuleAudience.module_id == Module.id, ModuleAudience.layer_id == person.layer_id
        ),
    )
    best = (
        select(
            Attempt.module_id,
            func.max(Attempt.score).label("best_score"),
            func.max(case((Attempt.passed, 1), else_=0)).label("passed"),
        )
        .join(Module, Module.id == Attempt.module_id)
        .where(Attempt.person_id == person.id, Attempt.major == Module.major)
        .group_by(Attempt.module_id)
        .subquery()
    )
    rows = session.execute(
        select(Module, best.c.best_score, best.c.passed)
        .outerjoin(best, best.c.module_id == Module.id)
        .where(~Module.retired, ~Module.required, for_layer)
        .order_by(Module.position.is_(None), Module.position, Module.title)
    )
    return [OptionalModule(module, score, bool(passed)) for module, score, passed in rows]
