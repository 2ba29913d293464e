"""Scoring quiz answers: pure functions over plain data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NUMBER = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() also accepts "²"


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
    score: int
    passed: bool
    results: list[QuestionResult]


def parse_answers(raw: Any) -> dict[int, frozenset[int]]:
    """Turn ``{"1": [2], "2": [1, 3]}`` into numbers, or raise AnswerError."""
    if not isinstance(raw, Mapping):
        raise AnswerError(
            "answers must be an object from question number to a list of option numbers"
        )
    answers: dict[int, frozenset[int]] = {}
    for key, chosen in raw.items():
        if (
            not isinstance(key, str | int)
            or isinstance(key, bool)
            or not NUMBER.fullmatch(str(key))
        ):
            raise AnswerError(f"question number {key!r} is not a whole number")
        if int(key) in answers:
            raise AnswerError(f"question {int(key)} is answered twice")
        if isinstance(chosen, int) and not isinstance(chosen, bool):
            chosen = [chosen]
        if not isinstance(chosen, list) or not all(
            isinstance(option, int) and not isinstance(option, bool) for option in chosen
        ):
            raise AnswerError(f"the answer to question {key} must be a list of option numbers")
        if len(set(chosen)) != len(chosen):
            raise AnswerError(f"the answer to question {key} names an option twice")
        answers[int(key)] = frozenset(chosen)
    return answers


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
                f"question {number} has no option {unknown[0]} (it has {key.options})"
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
