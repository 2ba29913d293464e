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

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from awareness import metrics
from awareness.metrics import Figures, Filters
from awareness.models import Assignment, Attempt, Module


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


def trend(session: Session, filters: Filters, now: datetime, months: int = 12) -> list[Point]:
    """Coverage at each month end of the last ``months`` months; two aggregate queries."""
    ends = month_ends(now, months)
    past = ends[:-1]

    # How many of today's assignments existed at each month end, and today's completions.
    assigned = [
        func.coalesce(func.sum(case((Assignment.assigned_on < end.date(), 1), else_=0)), 0)
        for _, end in past
    ]
    completed_now = func.coalesce(func.sum(case((metrics.is_completed(now), 1), else_=0)), 0)
    first = filters.apply(select(*assigned, func.count(), completed_now).select_from(Assignment))
    counts = list(session.execute(first).one())

    # Which of them held a valid pass at each month end: one row per assignment, then summed.
    # A pass at s is valid at T when s < T and s + renew_days >= T, that is s >= T - renew_days;
    # modules are taken a renew_days value at a time so that every bound is a constant.
    completed = [0] * len(past)
    renewals = session.execute(
        select(Module.renew_days, func.count()).group_by(Module.renew_days)
    ).all()
    for renew_days, _ in renewals if past else ():
        for index, value in enumerate(_valid_passes(session, filters, past, renew_days)):
            completed[index] += value
    points = [
        Point(month, end, int(counts[index]), completed[index])
        for index, (month, end) in enumerate(past)
    ]
    month, end = ends[-1]
    points.append(Point(month, end, int(counts[-2]), int(counts[-1])))
    return points


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
