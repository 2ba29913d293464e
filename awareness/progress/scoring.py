"""Scoring quiz answers: pure functions over plain data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

NUMBER = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() also accepts "²"
#: More digits than any question or option number (and int() refuses over 4,300).
MAX_DIGITS = 9
#: A quiz form's answer field: ``q<question number>``, its values option numbers.
ANSWER_FIELD = re.compile(r"q([0-9]+)")


class AnswerError(ValueError):
    """Answers that do not fit the quiz: the message says what is wrong."""


@dataclass(frozen=True)
class QuestionKey:
    number: int
    options: int  # how many options, numbered from 1
    correct: frozenset[int]
    explanation_html: str = ""

    @property
    def multiple(self) -> bool:
        return len(self.correct) > 1


@dataclass(frozen=True)
class QuestionResult:
    question: int
    correct: bool
    chosen: frozenset[int]
    explanation_html: str


@dataclass(frozen=True)
class Result:
    score: int | None  # None for a live session's attendance, which has no score
    passed: bool
    results: list[QuestionResult]


def whole_number(text: str, what: str) -> int:
    """``text`` as a number of a question or option, or AnswerError naming ``what`` it was."""
    if not NUMBER.fullmatch(text):
        raise AnswerError(f"{what} {shorten(text)!r} is not a whole number")
    if len(text.lstrip("0")) > MAX_DIGITS:
        raise AnswerError(f"{what} {shorten(text)} is too large")
    return int(text)


def shorten(text: str, length: int = 20) -> str:
    """At most ``length`` characters of ``text``, for a message."""
    return text if len(text) <= length else text[: length - 1] + "\u2026"


def parse_answers(raw: Any) -> dict[int, frozenset[int]]:
    """Turn ``{"1": [2], "2": [1, 3]}`` into numbers, or raise AnswerError."""
    if not isinstance(raw, Mapping):
        raise AnswerError(
            "answers must be an object from question number to a list of option numbers"
        )
    answers: dict[int, frozenset[int]] = {}
    for key, chosen in raw.items():
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise AnswerError(f"question number {shorten(repr(key))} is not a whole number")
        key = whole_number(str(key), "question number")
        if key in answers:
            raise AnswerError(f"question {key} is answered twice")
        if isinstance(chosen, int) and not isinstance(chosen, bool):
            chosen = [chosen]
        if not isinstance(chosen, list) or not all(
            isinstance(option, int) and not isinstance(option, bool) for option in chosen
        ):
            raise AnswerError(f"the answer to question {key} must be a list of option numbers")
        if len(set(chosen)) != len(chosen):
            raise AnswerError(f"the answer to question {key} names an option twice")
        answers[key] = frozenset(chosen)
    return answers


def answers_from_fields(fields: Iterable[tuple[str, str]]) -> dict[int, frozenset[int]]:
    """A quiz form's ``q<question>=<option>`` fields as answers; other fields are no answers.

    AnswerError for a value that is not an option number; whether the
    numbers fit the quiz is :func:`check_answers`'s question.
    """
    chosen: dict[int, set[int]] = {}
    for name, value in fields:
        field = ANSWER_FIELD.fullmatch(name)
        if field is not None:
            question = whole_number(field.group(1), "question number")
            option = whole_number(value, f"question {question}: option")
            chosen.setdefault(question, set()).add(option)
    return {question: frozenset(options) for question, options in chosen.items()}


def check_answers(keys: list[QuestionKey], answers: Mapping[int, frozenset[int]]) -> None:
    """Raise AnswerError for an unknown question or option, or two options for a single choice."""
    by_number = {key.number: key for key in keys}
    for number, chosen in answers.items():
        key = by_number.get(number)
        if key is None:
            raise AnswerError(f"there is no question {number} (the quiz has {len(keys)})")
        unknown = sorted(option for option in chosen if not 1 <= option <= key.options)
        if unknown:
            raise AnswerError(
                f"question {number} has no option {shorten(str(unknown[0]))} (it has {key.options})"
            )
        if not key.multiple and len(chosen) > 1:
            raise AnswerError(f"question {number} takes a single option")


def percentage(correct: int, total: int) -> int:
    """``round(100 * correct / total)`` with halves rounded up, in whole numbers."""
    return (200 * correct + total) // (2 * total) if total else 0


def score(
    keys: list[QuestionKey], answers: Mapping[int, frozenset[int]], passing_score: int
) -> Result:
    """Score answers: an omitted question is wrong; a multiple choice needs exactly the set."""
    check_answers(keys, answers)
    results = [
        QuestionResult(
            question=key.number,
            correct=answers.get(key.number, frozenset()) == key.correct,
            chosen=answers.get(key.number, frozenset()),
            explanation_html=key.explanation_html,
        )
        for key in keys
    ]
    value = percentage(sum(result.correct for result in results), len(keys))
    return Result(score=value, passed=value >= passing_score, results=results)
