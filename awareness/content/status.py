"""What is published: each module with its audience, translations and figures, for authors.

The figures come from the maintained summary (one row per assignment): one
aggregate query over its covering index, whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from awareness.models import Assignment, Module, ModuleAudience, ModuleTranslation, Question
from awareness.progress.status import is_completed

#: How many characters of a source hash the page shows (as ``git log --oneline`` does).
SHORT_HASH = 10


@dataclass(frozen=True)
class ModuleStatus:
    slug: str
    title: str
    layers: list[str]  # ["all"] or layer ids
    required: bool
    major: int
    source_hash: str
    source_path: str
    published_on: date
    synced_at: datetime  # when a sync last changed it
    retired: bool
    questions: int
    assigned: int
    completed: int
    languages: list[str]  # "en" (the original) first, then its translations

    @property
    def short_hash(self) -> str:
        return self.source_hash[:SHORT_HASH]


def module_statuses(session: Session, now: datetime) -> list[ModuleStatus]:
    """Every module ever published, live ones first in catalogue order, then the retired."""
    # By department first: that reads the covering index in its order (ix_assignment_cover,
    # department_id then module_id) with no lookup of the rows; 3x faster on SQLite at 50k
    # people than a GROUP BY module, which reads every row through ix_assignment_module.
    by_department = (
        select(
            Assignment.module_id,
            func.count().label("assigned"),
            func.sum(case((is_completed(now), 1), else_=0)).label("completed"),
        )
        .group_by(Assignment.department_id, Assignment.module_id)
        .subquery()
    )
    figures = (
        select(
            by_department.c.module_id,
            func.sum(by_department.c.assigned).label("assigned"),
            func.sum(by_department.c.completed).label("completed"),
        )
        .group_by(by_department.c.module_id)
        .subquery()
    )
    rows = session.execute(
        select(Module, figures.c.assigned, figures.c.completed)
        .outerjoin(figures, figures.c.module_id == Module.id)
        .order_by(Module.retired, Module.position.is_(None), Module.position, Module.title)
    ).all()
    layers = _by_module(session, ModuleAudience.module_id, ModuleAudience.layer_id)
    languages = _by_module(session, ModuleTranslation.module_id, ModuleTranslation.language)
    questions = _question_counts(session)
    return [
        ModuleStatus(
            slug=module.slug,
            title=module.title,
            layers=["all"] if module.audience_all else layers[module.id],
            required=module.required,
            major=module.major,
            source_hash=module.source_hash,
            source_path=module.source_path,
            published_on=module.published_on,
            synced_at=module.updated_at,
            retired=module.retired,
            questions=questions.get(module.id, 0),
            assigned=int(assigned or 0),
            completed=int(completed or 0),
            languages=["en", *languages[module.id]],
        )
        for module, assigned, completed in rows
    ]


def _by_module(
    session: Session, key: InstrumentedAttribute[int], value: InstrumentedAttribute[str]
) -> defaultdict[int, list[str]]:
    """``value`` of each module, in order (layers, languages): two columns of a small table."""
    found: defaultdict[int, list[str]] = defaultdict(list)
    for module_id, item in session.execute(select(key, value).order_by(key, value)):
        found[module_id].append(item)
    return found


def _question_counts(session: Session) -> dict[int, int]:
    counts = session.execute(
        select(Question.module_id, func.count()).group_by(Question.module_id)
    ).all()
    return {module_id: count for module_id, count in counts}


def find_module(session: Session, slug: str) -> Module | None:
    """The module with this slug, live or retired."""
    return session.scalar(select(Module).where(Module.slug == slug))
