"""What a module's results say: the spread of best scores and how each question fares.

Both look only at attempts at the module's current major by people currently
assigned the module within the filters, like every other figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from awareness.models import Assignment, Attempt, AttemptAnswer, Module
from awareness.reporting.figures import Filters

#: Best scores are counted in bands of ten; the last band is 90-100.
BANDS = [(low, low + 9 if low < 90 else 100) for low in range(0, 100, 10)]
#: A question is flagged when fewer than this share of answers get it right.
MISSED_BY_MOST = 0.5


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    people: int

    @property
    def label(self) -> str:
        return f"{self.low}-{self.high}"


@dataclass(frozen=True)
class OptionInfo:
    number: int
    text_html: str
    correct: bool


@dataclass(frozen=True)
class QuestionInsight:
    number: int
    text_html: str
    answers: int
    right: int
    #: The wrong option chosen most often (None when nobody chose a wrong one).
    top_wrong: OptionInfo | None
    top_wrong_count: int

    @property
    def share_right(self) -> float | None:
        return None if not self.answers else round(self.right / self.answers, 4)

    @property
    def missed_by_most(self) -> bool:
        return self.share_right is not None and self.share_right < MISSED_BY_MOST


def score_bands(session: Session, filters: Filters) -> list[Band]:
    """How many assignments have their best score in each band (those never attempted aside)."""
    band = case((Assignment.best_score >= 90, 9), else_=Assignment.best_score // 10)
    query = filters.apply(
        select(band, func.count())
        .select_from(Assignment)
        .where(Assignment.best_score.is_not(None))
        .group_by(band)
    )
    counts = {int(index): int(count) for index, count in session.execute(query)}
    return [Band(low, high, counts.get(index, 0)) for index, (low, high) in enumerate(BANDS)]


def question_insights(session: Session, module: Module, filters: Filters) -> list[QuestionInsight]:
    """For each question: answers, share right and the most chosen wrong option."""
    options = {
        question.number: [OptionInfo(o.number, o.text_html, o.correct) for o in question.options]
        for question in module.questions
    }
    widest = max((len(choices) for choices in options.values()), default=0)
    chosen = [
        func.coalesce(func.sum(case((AttemptAnswer.chosen.op("&")(1 << bit) != 0, 1), else_=0)), 0)
        for bit in range(widest)
    ]
    query = filters.apply(
        select(
            AttemptAnswer.question,
            func.count(),
            func.coalesce(func.sum(case((AttemptAnswer.correct, 1), else_=0)), 0),
            *chosen,
        )
        .select_from(AttemptAnswer)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(
            Assignment,
            and_(
                Assignment.person_id == Attempt.person_id,
                Assignment.module_id == Attempt.module_id,
            ),
        )
        .where(Attempt.module_id == module.id, Attempt.major == module.major)
        .group_by(AttemptAnswer.question)
    )
    tallies = {row[0]: row[1:] for row in session.execute(query)}
    result = []
    for question in module.questions:
        answers, right, *picks = tallies.get(question.number, (0, 0))
        wrong = [
            (int(picks[option.number - 1]), option)
            for option in options[question.number]
            if not option.correct and option.number <= len(picks)
        ]
        count, top = max(wrong, key=lambda item: (item[0], -item[1].number), default=(0, None))
        result.append(
            QuestionInsight(
                number=question.number,
                text_html=question.text_html,
                answers=int(answers),
                right=int(right),
                top_wrong=top if count else None,
                top_wrong_count=count,
            )
        )
    return result
