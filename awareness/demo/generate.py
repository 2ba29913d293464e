"""A large synthetic organisation for trying the dashboards at scale.

The plan is pure (:mod:`.plan`): the same seed, size, modules and time give
the same people, attempts and answers. :func:`generate` writes them in bulk
(``COPY`` on PostgreSQL, ``executemany`` elsewhere), batch by batch so memory
stays flat, then rebuilds the assignment summary once.

Every status appears: people who never started, failed, retook, passed and
renewed, let a pass expire, and newcomers whose training is not yet due. A few
people are deactivated (their history stays, their assignments go).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from awareness.demo.plan import (
    HISTORY_DAYS,
    ModulePlan,
    PersonPlan,
    QuestionPlan,
    department_paths,
    plan_attempts,
    plan_people,
)
from awareness.models import Module, Person
from awareness.models.types import utcnow
from awareness.people.directory import DepartmentCache
from awareness.progress import catalogue, summary

BATCH = 2000

# -- writing ---------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    people: int
    departments: int
    attempts: int
    answers: int


def module_plans(session: Session) -> list[ModulePlan]:
    modules = session.scalars(
        select(Module).where(~Module.retired, Module.required).order_by(Module.id)
    ).all()
    return [
        ModulePlan(
            id=module.id,
            major=module.major,
            source_hash=module.source_hash,
            layer_ids=tuple(module.layer_ids),
            due_days=module.due_days,
            renew_days=module.renew_days,
            passing_score=module.passing_score,
            questions=tuple(
                QuestionPlan(
                    question.number,
                    tuple(o.number for o in question.options if o.correct),
                    tuple(o.number for o in question.options if not o.correct),
                )
                for question in module.questions
            ),
        )
        for module in modules
    ]


def generate(
    session: Session,
    people: int,
    seed: int,
    *,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Generated:
    """Write a synthetic organisation into a database with content and no people.

    Everything is written in ``session``'s transaction: the caller commits.
    """
    now = now or utcnow()
    if session.scalar(select(func.count()).select_from(Person)):
        raise RuntimeError("the database already has people: generate needs an empty one")
    modules = module_plans(session)
    if not modules:
        raise RuntimeError("no modules: run 'flask --app awareness content sync' first")
    layers = [layer.id for layer in catalogue.layers(session)]
    today = now.date()
    session.execute(update(Module).values(published_on=today - timedelta(days=HISTORY_DAYS)))

    paths = department_paths(seed, people)
    departments = _write_departments(session, paths)
    writer = _Writer(session)
    next_person = (session.scalar(select(func.max(Person.id))) or 0) + 1
    next_attempt = _max_attempt_id(session) + 1
    rng = random.Random(f"{seed}-attempts")
    counts = {"attempts": 0, "answers": 0}
    batch: list[PersonPlan] = []

    def flush():
        nonlocal next_person, next_attempt
        person_rows: list[tuple[object, ...]] = []
        attempt_rows: list[tuple[object, ...]] = []
        answer_rows: list[tuple[object, ...]] = []
        for plan in batch:
            person_id = next_person + plan.number - batch[0].number
            person_rows.append(
                (person_id, plan.email, plan.name, departments[plan.department], plan.layer,
                 plan.roles, plan.active, now, plan.activated_on)
            )  # fmt: skip
            for attempt in plan_attempts(rng, plan, modules, now):
                attempt_rows.append(
                    (next_attempt, person_id, attempt.module.id, attempt.module.major,
                     attempt.module.source_hash, attempt.score, attempt.passed,
                     json.dumps({str(q): _numbers(bits) for q, bits, _ in attempt.answers}),
                     attempt.submitted_at)
                )  # fmt: skip
                answer_rows.extend(
                    (next_attempt, question, correct, bits)
                    for question, bits, correct in attempt.answers
                )
                next_attempt += 1
        writer.write("person", PERSON_COLUMNS, person_rows)
        writer.write("attempt", ATTEMPT_COLUMNS, attempt_rows)
        writer.write("attempt_answer", ANSWER_COLUMNS, answer_rows)
        next_person += len(batch)
        counts["attempts"] += len(attempt_rows)
        counts["answers"] += len(answer_rows)
        if progress:
            progress(len(batch))
        batch.clear()

    for plan in plan_people(seed, people, paths, layers, today):
        batch.append(plan)
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    writer.finish()
    summary.refresh(session)
    return Generated(people, len(paths), counts["attempts"], counts["answers"])


def _numbers(bits: int) -> list[int]:
    return [n for n in range(1, bits.bit_length() + 1) if bits & (1 << (n - 1))]


def _max_attempt_id(session: Session) -> int:
    return session.scalar(text("SELECT max(id) FROM attempt")) or 0


def _write_departments(session: Session, paths: list[str]) -> dict[str, int]:
    departments = DepartmentCache(session)
    return {path: departments.get(path).id for path in paths}


PERSON_COLUMNS = (
    "id", "email", "name", "department_id", "layer_id", "roles", "active", "created_at",
    "activated_on",
)  # fmt: skip
ATTEMPT_COLUMNS = (
    "id", "person_id", "module_id", "major", "source_hash", "score", "passed", "answers",
    "submitted_at",
)  # fmt: skip
ANSWER_COLUMNS = ("attempt_id", "question", "correct", "chosen")


class _Writer:
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, session: Session):
        self.session = session
        self.connection = session.connection()
        self.postgresql = self.connection.dialect.name == "postgresql"

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.postgresql:
            driver = self.connection.connection.driver_connection
            if driver is None:
                raise RuntimeError("the database connection is closed")
            cursor = driver.cursor()
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # nosec # B608: our own tables
        self.connection.exec_driver_sql(insert, [_sqlite(row) for row in rows])

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids written here."""
        if self.postgresql:
            for table in ("person", "attempt"):
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                self.connection.exec_driver_sql(
                    f"SELECT setval({sequence}, (SELECT coalesce(max(id), 1) FROM {table}))"  # nosec # B608: fixed names
                )


def _sqlite(row: tuple) -> tuple:
    """Values as SQLAlchemy stores them in SQLite (timestamps with six-digit microseconds)."""
    return tuple(
        value.strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, datetime)
        else value.isoformat()
        if isinstance(value, date)
        else int(value)
        if isinstance(value, bool)
        else value
        for value in row
    )
