"""Recording attempts: the one way a quiz or reading is submitted, from pages and the API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from awareness.models import Attempt, AttemptAnswer, Module, Person
from awareness.models.types import utcnow
from awareness.progress import summary
from awareness.progress.scoring import AnswerError, QuestionKey, Result, score

READING = Result(score=100, passed=True, results=[])


def answer_key(module: Module) -> list[QuestionKey]:
    """What the quiz of ``module`` expects, for :func:`~awareness.progress.scoring.score`."""
    return [
        QuestionKey(
            number=question.number,
            options=len(question.options),
            correct=frozenset(option.number for option in question.options if option.correct),
            explanation_html=question.explanation_html,
        )
        for question in module.questions
    ]


def submit(
    session: Session,
    person: Person,
    module: Module,
    answers: Mapping[int, frozenset[int]] | None = None,
    *,
    acknowledge: bool = False,
    submission_key: str | None = None,
    source_hash: str | None = None,
    now: datetime | None = None,
) -> tuple[Attempt, Result]:
    """Score and record an attempt, keeping the summary in step; the caller commits.

    With a ``submission_key`` already used, the earlier attempt is returned
    instead, so a form submitted twice records one attempt.
    """
    if submission_key:
        earlier = _by_key(session, submission_key, person, module)
        if earlier is not None:
            return earlier, rescore(module, earlier)
    if module.is_reading:
        if not acknowledge:
            raise AnswerError('this module is a reading: acknowledge it with {"acknowledge": true}')
        result = READING
    else:
        result = score(answer_key(module), answers or {}, module.passing_score)
    attempt = Attempt(
        person_id=person.id,
        module_id=module.id,
        major=module.major,
        source_hash=source_hash or module.source_hash,
        score=result.score,
        passed=result.passed,
        answers={str(r.question): sorted(r.chosen) for r in result.results},
        submitted_at=now or utcnow(),
        submission_key=submission_key,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError:
        earlier = _by_key(session, submission_key, person, module) if submission_key else None
        if earlier is None:
            raise
        return earlier, rescore(module, earlier)
    session.add_all(
        AttemptAnswer(
            attempt_id=attempt.id, question=r.question, correct=r.correct, chosen=bits(r.chosen)
        )
        for r in result.results
    )
    summary.record_attempt(session, attempt, module)
    return attempt, result


def own_attempt(
    session: Session, attempt_id: int, person: Person, module: Module
) -> Attempt | None:
    """Attempt ``attempt_id`` if it is ``person``'s at ``module``, else None."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or (attempt.person_id, attempt.module_id) != (person.id, module.id):
        return None
    return attempt


def passed_since(session: Session, attempt: Attempt, module: Module) -> bool:
    """Whether the person of ``attempt`` passed ``module``'s current major with it or after it.

    Until then a retake is still a test, so the correct options stay hidden.
    """
    if attempt.passed and attempt.major == module.major:
        return True
    later = select(Attempt.id).where(
        Attempt.person_id == attempt.person_id,
        Attempt.module_id == module.id,
        Attempt.major == module.major,
        Attempt.passed,
        Attempt.submitted_at >= attempt.submitted_at,
    )
    return session.scalar(later.limit(1)) is not None


def rescore(module: Module, attempt: Attempt) -> Result:
    """The result of an earlier attempt, as it was scored."""
    if module.is_reading or attempt.major != module.major or attempt.live_session_id is not None:
        return Result(attempt.score, attempt.passed, [])
    answers = {int(number): frozenset(chosen) for number, chosen in attempt.answers.items()}
    fresh = score(answer_key(module), answers, module.passing_score)
    return Result(attempt.score, attempt.passed, fresh.results)


def bits(options: frozenset[int]) -> int:
    """Option numbers as a bit set: option n is ``1 << (n - 1)``."""
    return sum(1 << (option - 1) for option in options)


def _by_key(session: Session, key: str, person: Person, module: Module) -> Attempt | None:
    """The attempt this form already recorded, or None; AnswerError for another quiz's form."""
    attempt = session.scalar(select(Attempt).where(Attempt.submission_key == key))
    if attempt is None:
        return None
    if (attempt.person_id, attempt.module_id, attempt.major) != (
        person.id,
        module.id,
        module.major,
    ):
        raise AnswerError("this form was already used for another quiz: please take the quiz again")
    return attempt
