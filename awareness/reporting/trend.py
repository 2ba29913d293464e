"""Coverage over the last twelve months, measured from the attempt history.

The summary table only knows each assignment's latest pass, so past coverage
is computed from ``attempt``: for each month end T, among the *current*
assignments that had been assigned by T, the share with a passed attempt at
the module's current major submitted by T and not older than renew_days at T.
It is "how far today's assignments had got", not a replay of who was assigned
back then (people who left are not counted). The last point is today, and is
exactly the headline coverage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, scoped_session

from awareness.extensions import HOLDS_WRITE_LOCK, READ_FIRST
from awareness.models import Assignment, Attempt, Module, TrendPoint
from awareness.models.types import utcnow
from awareness.progress.summary import trend_generation
from awareness.reporting.coverage import totals
from awareness.reporting.figures import Figures, Filters

#: How long the cache's own transaction waits for a lock another one holds, on PostgreSQL,
#: before it leaves the points to be kept next time.
LOCK_WAIT_MS = 1000


@dataclass(frozen=True)
class Point:
    month: str  # "2026-01"
    as_of: datetime
    assigned: int
    completed: int

    @property
    def coverage(self) -> float | None:
        return Figures(self.assigned, self.completed).coverage


def month_ends(now: datetime, months: int = 12) -> list[tuple[str, datetime]]:
    """The end of each of the ``months - 1`` months before this one, then ``now``."""
    points = []
    for back in range(months - 1, 0, -1):
        year, month = divmod(now.year * 12 + now.month - 1 - back, 12)
        next_year, next_month = divmod(year * 12 + month + 1, 12)
        end = datetime.combine(date(next_year, next_month + 1, 1), time())
        points.append((f"{year:04d}-{month + 1:02d}", end))
    points.append((f"{now.year:04d}-{now.month:02d}", now))
    return points


def trend(
    session: Session,
    filters: Filters,
    now: datetime,
    months: int = 12,
    current: Figures | None = None,
) -> list[Point]:
    """Coverage at each month end of the last ``months`` months, the last point being now.

    Past month ends come from the :class:`TrendPoint` cache, computed from the
    attempt history when missing; the current point is the live headline figure
    (pass it as ``current`` when it is at hand, to save a scan).
    """
    ends = month_ends(now, months)
    points = _past_points(session, filters, ends[:-1])
    current = current or totals(session, filters, now)
    month, end = ends[-1]
    return [*points, Point(month, end, current.assigned, current.completed)]


def filters_key(filters: Filters) -> str:
    """A stable name for a set of filters, to file their trend under."""
    departments = (
        "*"
        if filters.department_ids is None
        else ",".join(map(str, sorted(filters.department_ids)))
    )
    text = f"{departments}|{filters.layer_id or '*'}|{filters.module_id or '*'}"
    return hashlib.sha256(text.encode()).hexdigest()


def _past_points(
    session: Session, filters: Filters, past: list[tuple[str, datetime]]
) -> list[Point]:
    if not past:
        return []
    key = filters_key(filters)
    generation = trend_generation(session)
    cached = {
        point.month: Point(point.month, point.as_of, point.assigned, point.completed)
        for point in session.scalars(
            select(TrendPoint).where(
                TrendPoint.filters_key == key,
                TrendPoint.generation == generation,
                TrendPoint.month.in_([month for month, _ in past]),
            )
        )
    }
    if len(cached) == len(past):
        return [cached[month] for month, _ in past]
    points = compute_past(session, filters, past)
    keep(session, key, generation, points)
    return points


@contextmanager
def cache_transaction(session: Session) -> Iterator[Session]:
    """The trend cache's own short transaction, in a session of its own beside ``session``.

    It commits on leaving the block (or rolls back on an error), and never
    commits, or even touches, ``session``'s transaction: a page view that
    fills the cache writes nothing else. Only when ``session`` holds SQLite's
    write lock already (a command's transaction, not a page view's), which a
    second transaction would wait for in vain, do the points join it in a
    savepoint, to be kept when it commits.
    """
    if _holds_sqlite_write_lock(session):
        with session.begin_nested():
            yield session
        return
    with Session(session.get_bind()) as cache, cache.begin():
        if cache.get_bind().dialect.name == "postgresql":
            cache.execute(text(f"SET LOCAL lock_timeout = {LOCK_WAIT_MS}"))
        yield cache


def _holds_sqlite_write_lock(session: Session | scoped_session[Session]) -> bool:
    own = session() if isinstance(session, scoped_session) else session
    return own.in_transaction() and bool(own.connection().info.get(HOLDS_WRITE_LOCK))


def keep(session: Session, key: str, generation: int, points: list[Point]) -> None:
    """Store computed points under ``generation``; if another server got there first, or is
    writing, skip it (the points are computed again next time)."""
    try:
        with cache_transaction(session) as cache:
            cache.execute(delete(TrendPoint).where(TrendPoint.filters_key == key))
            cache.add_all(
                TrendPoint(
                    filters_key=key,
                    month=p.month,
                    generation=generation,
                    as_of=p.as_of,
                    assigned=p.assigned,
                    completed=p.completed,
                )
                for p in points
            )
    except (IntegrityError, OperationalError):
        pass


def warm(session: Session, now: datetime | None = None) -> None:
    """Compute the whole organisation's trend ahead of the first dashboard visit.

    It runs in a session of its own that, on SQLite, does not hold the write
    lock while it computes, so attempts go on meanwhile; if one lands first,
    the points are not kept (the first visit computes them).
    """
    with Session(session.get_bind()) as own:
        own.connection(execution_options={READ_FIRST: True})
        trend(own, Filters(), now or utcnow())


def compute_past(
    session: Session, filters: Filters, past: list[tuple[str, datetime]]
) -> list[Point]:
    """Coverage at each past month end from the attempt history: two aggregate queries."""
    assigned = [
        func.coalesce(func.sum(case((Assignment.assigned_on < end.date(), 1), else_=0)), 0)
        for _, end in past
    ]
    query = filters.apply(select(*assigned).select_from(Assignment))
    counts = [int(value) for value in session.execute(query).one()]

    # Which of them held a valid pass at each month end: one row per assignment, then summed.
    # A pass at s is valid at T when s < T and s + renew_days >= T, that is s >= T - renew_days;
    # modules are taken a renew_days value at a time so that every bound is a constant.
    completed = [0] * len(past)
    renewals = session.scalars(select(Module.renew_days).distinct()).all()
    for renew_days in renewals:
        for index, value in enumerate(_valid_passes(session, filters, past, renew_days)):
            completed[index] += value
    return [
        Point(month, end, counts[index], completed[index])
        for index, (month, end) in enumerate(past)
    ]


def _valid_passes(
    session: Session, filters: Filters, past: list[tuple[str, datetime]], renew_days: int | None
) -> list[int]:
    """For modules renewed every ``renew_days``: assignments holding a valid pass at each end."""
    held = []
    for _, end in past:
        valid = [Assignment.assigned_on < end.date(), Attempt.submitted_at < end]
        if renew_days is not None:
            valid.append(Attempt.submitted_at >= end - timedelta(days=renew_days))
        held.append(func.max(case((and_(*valid), 1), else_=0)))
    renewed = Module.renew_days.is_(None) if renew_days is None else Module.renew_days == renew_days
    per_assignment = (
        filters.apply(
            select(*held)
            .select_from(Assignment)
            .join(Module, and_(Module.id == Assignment.module_id, renewed))
            .join(
                Attempt,
                and_(
                    Attempt.person_id == Assignment.person_id,
                    Attempt.module_id == Assignment.module_id,
                    Attempt.major == Module.major,
                    Attempt.passed,
                ),
            )
            .where(Attempt.submitted_at < past[-1][1])
        )
        .group_by(Assignment.person_id, Assignment.module_id)
        .subquery()
    )
    sums = [func.coalesce(func.sum(column), 0) for column in per_assignment.c]
    return [int(value) for value in session.execute(select(*sums)).one()]
