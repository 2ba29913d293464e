"""``GET /api/v1/me`` and ``POST /api/v1/modules/<slug>/attempts``."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from markupsafe import Markup

from awareness.api.base import bp, json_body
from awareness.extensions import db
from awareness.learn.lessons import live_module
from awareness.progress import attempts, learner
from awareness.progress.scoring import AnswerError, parse_answers


@bp.get("/me")
def me():
    """The caller and every module assigned to them, with its status."""
    person = current_user
    return {
        "email": person.email,
        "name": person.name,
        "department": person.department.path if person.department else None,
        "layer": person.layer_id,
        "modules": [
            {
                "slug": item.module.slug,
                "title": item.module.title,
                "status": item.status,
                "due": item.due.isoformat() if item.due else None,
                "best_score": item.best_score,
                "completed_at": _iso(item.completed_at),
            }
            for item in learner.person_assignments(db.session, person.id)
        ],
    }


@bp.post("/modules/<slug>/attempts")
def create_attempt(slug: str):
    """Score and record answers (or a reading's acknowledgement) for the caller."""
    module = live_module(db.session, slug)
    body = json_body()
    try:
        if module.is_reading:
            if body.get("acknowledge") is not True:
                raise AnswerError('this module is a reading: send {"acknowledge": true}')
            attempt, result = attempts.submit(db.session, current_user, module, acknowledge=True)
        else:
            if "answers" not in body:
                raise AnswerError('expected {"answers": {"1": [2], ...}}')
            answers = parse_answers(body["answers"])
            attempt, result = attempts.submit(db.session, current_user, module, answers)
    except AnswerError as error:
        abort(400, description=str(error))
    db.session.commit()
    return {
        "score": attempt.score,
        "passed": attempt.passed,
        "passing_score": module.passing_score,
        "results": [
            {
                "question": r.question,
                "correct": r.correct,
                "explanation": Markup(r.explanation_html).striptags(),  # nosec # B704: to plain text
            }
            for r in result.results
        ],
    }, 201


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None
