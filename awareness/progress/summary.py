"""Keep the ``assignment`` summary table exactly in step with people, modules and attempts.

docs/metrics.md defines an assignment; this module is the only writer of the
table. Bulk changes (content sync, people import) rebuild the affected rows in
one ``INSERT ... SELECT``; an attempt updates its one row in place.

Past coverage (the trend, :mod:`awareness.reporting.trend`) is measured over
these rows, so whatever moves them here also moves the trend cache's
generation, in the same transaction: the cache can never outlive the rows it
was computed from.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, case, delete, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from awareness.models import Assignment, Attempt, Module, Person, TrendGeneration, TrendPoint
from awareness.models.types import add_days, rows_affected, utcnow
from awareness.progress.catalogue import for_layer


def assigned_pairs() -> Select[Person, Module]:
    """A select of (person, module) for every assignment: active people, live required modules."""
    return (
        select(Person, Module)
        .join(Module, for_layer(Person.layer_id))
        .where(Person.active, Module.required, ~Module.retired)
    )


def refresh(
    session: Session,
    *,
    person_ids: Collection[int] | None = None,
    module_ids: Collection[int] | None = None,
) -> None:
    """Rebuild the summary rows of these people and/or modules (all rows when neither is given)."""
    if (person_ids is not None and not person_ids) or (module_ids is not None and not module_ids):
        return
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Attempts wait while rows are rebuilt, so none is folded into a row being replaced.
        session.execute(text("LOCK TABLE assignment IN SHARE ROW EXCLUSIVE MODE"))
    stale = delete(Assignment)
    if person_ids is not None:
        stale = stale.where(Assignment.person_id.in_(person_ids))
    if module_ids is not None:
        stale = stale.where(Assignment.module_id.in_(module_ids))
    session.execute(stale)
    invalidate_trend(session)  # past coverage is measured over these rows

    counts = select(
        Attempt.person_id,
        Attempt.module_id,
        Attempt.major,
        func.count().label("attempts"),
        func.max(Attempt.score).label("best_score"),
        func.max(case((Attempt.passed, Attempt.submitted_at))).label("last_passed_at"),
    ).group_by(Attempt.person_id, Attempt.module_id, Attempt.major)
    if person_ids is not None:
        counts = counts.where(Attempt.person_id.in_(person_ids))
    if module_ids is not None:
        counts = counts.where(Attempt.module_id.in_(module_ids))
    tally = counts.subquery()

    published = Module.published_on
    assigned_on = case((Person.activated_on > published, Person.activated_on), else_=published)
    rows = (
        assigned_pairs()
        .with_only_columns(
            Person.id,
            Module.id,
            Person.department_id,
            Person.layer_id,
            assigned_on,
            add_days(assigned_on, Module.due_days),
            func.coalesce(tally.c.attempts, 0),
            tally.c.best_score,
            tally.c.last_passed_at,
            add_days(tally.c.last_passed_at, Module.renew_days),
        )
        .outerjoin(
            tally,
            and_(
                tally.c.person_id == Person.id,
                tally.c.module_id == Module.id,
                tally.c.major == Module.major,
            ),
        )
    )
    if person_ids is not None:
        rows = rows.where(Person.id.in_(person_ids))
    if module_ids is not None:
        rows = rows.where(Module.id.in_(module_ids))
    columns = [
        "person_id", "module_id", "department_id", "layer_id", "assigned_on", "due_on",
        "attempts", "best_score", "last_passed_at", "expires_at",
    ]  # fmt: skip
    session.execute(insert(Assignment).from_select(columns, rows))


def record_attempt(session: Session, attempt: Attempt, module: Module) -> None:
    """Fold a new attempt into its summary row, atomically in SQL."""
    if attempt.major != module.major:
        return
    if attempt.submitted_at < utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0):
        invalidate_trend(session)  # dated in a past month: past coverage moves
    values: dict[str, object] = {"attempts": Assignment.attempts + 1}
    if attempt.score is not None:  # a live session's attendance has none: the best stays
        values["best_score"] = case(
            (
                or_(Assignment.best_score.is_(None), Assignment.best_score < attempt.score),
                attempt.score,
            ),
            else_=Assignment.best_score,
        )
    if attempt.passed:
        newer = or_(
            Assignment.last_passed_at.is_(None), Assignment.last_passed_at < attempt.submitted_at
        )
        expires_at = expiry(attempt.submitted_at, module.renew_days)
        values["last_passed_at"] = case(
            (newer, attempt.submitted_at), else_=Assignment.last_passed_at
        )
        values["expires_at"] = case((newer, expires_at), else_=Assignment.expires_at)
    session.execute(
        update(Assignment)
        .where(Assignment.person_id == attempt.person_id, Assignment.module_id == module.id)
        .values(values)
    )


def expiry(passed_at: datetime, renew_days: int | None) -> datetime | None:
    return None if renew_days is None else passed_at + timedelta(days=renew_days)


def trend_generation(session: Session) -> int:
    """The generation the trend cache's points must carry to count (see TrendGeneration)."""
    return session.scalar(select(TrendGeneration.value).where(TrendGeneration.id == 1)) or 0


def invalidate_trend(session: Session) -> None:
    """Past coverage may have moved: every kept trend point stops counting."""
    moved = session.execute(
        update(TrendGeneration)
        .where(TrendGeneration.id == 1)
        .values(value=TrendGeneration.value + 1)
    )
    if not rows_affected(moved):
        session.add(TrendGeneration(id=1, value=1))
    session.execute(delete(TrendPoint))
