"""Attempts, their answers, and the per-person-per-module summary kept in step with them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from awareness.extensions import Model
from awareness.models.types import utcnow


class Attempt(Model):
    """One submitted quiz, acknowledged reading or attended live session. Never changed.

    The one exception: removing a live session's attendance deletes the attempt
    it wrote (audited).
    """

    __table_args__ = (
        Index("ix_attempt_person_module", "person_id", "module_id", "major"),
        # Lets the coverage trend read the history of passes from the index alone.
        Index(
            "ix_attempt_passed_history", "person_id", "module_id", "major", "passed", "submitted_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    major: Mapped[int] = mapped_column(Integer)
    #: The hash of the exact text shown (see ModuleRevision).
    source_hash: Mapped[str] = mapped_column(String(64))
    #: None for a live session's attendance: it completes the module with no score.
    score: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)
    #: ``{"1": [2], "2": [1, 3]}``: question number to chosen option numbers.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: Set by the quiz form so that submitting it twice records one attempt.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The live session whose attendance this attempt stands for (see awareness.live).
    live_session_id: Mapped[int | None] = mapped_column(ForeignKey("live_session.id"), index=True)


class AttemptAnswer(Model):
    """One question of an attempt, for question insights in SQL."""

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), primary_key=True)
    question: Mapped[int] = mapped_column(Integer, primary_key=True)
    correct: Mapped[bool] = mapped_column(Boolean)
    #: Chosen options as a bit set: option n is bit ``1 << (n - 1)``.
    chosen: Mapped[int] = mapped_column(Integer, default=0)


class Assignment(Model):
    """The summary row of one active person and one module assigned to them.

    A row exists exactly for every assignment (docs/metrics.md), and its
    attempt figures cover attempts at the module's current major only. It is
    rebuilt by :mod:`awareness.progress.summary` whenever people or modules change
    and updated in place on every attempt, so coverage is one scan of this table.
    """

    __table_args__ = (
        Index("ix_assignment_module", "module_id"),
        Index("ix_assignment_department", "department_id"),
        Index("ix_assignment_layer", "layer_id"),
        # Covers the dashboards' GROUP BY department, module, layer (see bench/README.md).
        Index(
            "ix_assignment_cover",
            "department_id",
            "module_id",
            "layer_id",
            "due_on",
            "expires_at",
            "last_passed_at",
            "best_score",
            "attempts",
        ),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), primary_key=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    layer_id: Mapped[str | None] = mapped_column(ForeignKey("layer.id"))
    assigned_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    best_score: Mapped[int | None] = mapped_column(Integer)
    last_passed_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: ``last_passed_at + renew_days``; NULL when never passed or never expiring.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)


class TrendPoint(Model):
    """Coverage at a past month end, for one set of dashboard filters.

    A past month end's figures change only when the assignments change (every
    such change goes through :func:`awareness.progress.summary.refresh`, which
    moves on the generation) or when an attempt is dated in the past; new
    attempts never move them. So they are computed once and kept here, shared
    by every server.
    """

    filters_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-01"
    #: The :class:`TrendGeneration` it was computed in; points of older ones are ignored.
    generation: Mapped[int] = mapped_column(Integer, default=0)
    as_of: Mapped[datetime] = mapped_column(DateTime)
    assigned: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TrendGeneration(Model):
    """One counter, moved on whenever past coverage may have changed.

    A server that computed trend points just before a change stores them under
    the old generation, so they are never used: no stale trend survives a race.
    """

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    value: Mapped[int] = mapped_column(Integer, default=0)
