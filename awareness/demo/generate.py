"""A large synthetic organisation for trying the dashboards at scale.

``plan_*`` functions are pure: the same seed, size, modules and time give the
same people, attempts and answers. :func:`generate` writes them in bulk
(``COPY`` on PostgreSQL, ``executemany`` elsewhere), batch by batch so memory
stays flat, then rebuilds the assignment summary once.

Every status appears: people who never started, failed, retook, passed and
renewed, let a pass expire, and newcomers whose training is not yet due. A few
people are deactivated (their history stays, their assignments go).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from awareness.models import Module, Person
from awareness.models.types import utcnow
from awareness.people.directory import DepartmentCache
from awareness.progress import catalogue, summary
from awareness.progress.attempts import bits
from awareness.progress.catalogue import written_for
from awareness.progress.scoring import percentage

#: How long the content has been live: attempts spread over this many days.
HISTORY_DAYS = 548
BATCH = 2000

TOP = [
    "Finance", "Operations", "Information Technology", "Human Resources", "Legal",
    "Communications", "Health Services", "Planning", "Education", "Transport",
]  # fmt: skip
MIDDLE = [
    "Policy", "Delivery", "Support", "Analysis", "Projects", "Compliance", "Services",
    "Programmes",
]  # fmt: skip
BOTTOM = ["North", "South", "East", "West", "Central", "Team A", "Team B"]
FIRST = [
    "Alex", "Sam", "Jo", "Ria", "Omar", "Ines", "Tom", "Ana", "Li", "Kai", "Noor", "Eli",
    "Sara", "Max", "Zoe", "Dana", "Chris", "Morgan", "Lee", "Avery", "Harper", "Priya",
    "Yusuf", "Mia", "Ola", "Juan", "Fatima", "Ivan", "Aiko", "Ben",
]  # fmt: skip
LAST = [
    "Patel", "Kim", "Das", "Haddad", "Costa", "Berg", "Silva", "Wei", "Novak", "Khan",
    "Brown", "Ali", "Weber", "Martin", "Reyes", "Lee", "Morgan", "Okafor", "Nowak", "Rossi",
    "Dubois", "Sato", "Garcia", "Jensen", "Murphy", "Ivanova", "Mensah", "Cohen",
]  # fmt: skip
#: Layer weights; layers not listed here get a small share.
LAYER_WEIGHTS = {"leadership": 3, "management": 12, "staff": 68, "technical": 17}


# -- the plan (pure) -------------------------------------------------------


@dataclass(frozen=True)
class QuestionPlan:
    number: int
    correct: tuple[int, ...]
    wrong: tuple[int, ...]


@dataclass(frozen=True)
class ModulePlan:
    id: int
    major: int
    source_hash: str
    layer_ids: tuple[str, ...]  # Module.layer_ids: ("all",) for everyone
    due_days: int
    renew_days: int | None
    passing_score: int
    questions: tuple[QuestionPlan, ...]


@dataclass(frozen=True)
class PersonPlan:
    number: int
    email: str
    name: str
    department: str
    layer: str
    roles: str
    active: bool
    activated_on: date


def department_paths(seed: int, people: int) -> list[str]:
    """About three levels: a few top departments, each with units and teams."""
    rng = random.Random(f"{seed}-departments")
    tops = max(3, min(len(TOP), people // 2500 + 3))
    paths = []
    for top in TOP[:tops]:
        paths.append(top)
        for middle in rng.sample(MIDDLE, rng.randint(2, 4)):
            paths.append(f"{top}/{middle}")
            for bottom in rng.sample(BOTTOM, rng.randint(0, 3)):
                paths.append(f"{top}/{middle}/{bottom}")
    return paths


def plan_people(seed: int, count: int, paths: list[str], layers: list[str], today: date):
    """The people, in email order; the first is an HR administrator, then managers."""
    rng = random.Random(f"{seed}-people")
    weights = [LAYER_WEIGHTS.get(layer, 2) for layer in layers]
    leaves = [p for p in paths if not any(q.startswith(p + "/") for q in paths)]
    managed = [p for p in paths if p.count("/") < 2]
    published = today - timedelta(days=HISTORY_DAYS)
    for number in range(1, count + 1):
        roles = ""
        if number == 1:
            department, layer, roles = paths[0], layers[0], "admin;hr"
        elif number - 2 < len(managed):
            department, roles = managed[number - 2], "manager"
            layer = "management" if "management" in layers else layers[0]
        else:
            department = rng.choice(leaves) if rng.random() < 0.85 else rng.choice(paths)
            layer = rng.choices(layers, weights)[0]
        joined = rng.random()
        if joined < 0.86:
            activated = published - timedelta(days=rng.randint(0, 1500))
        elif joined < 0.97:
            activated = published + timedelta(days=rng.randint(1, HISTORY_DAYS - 40))
        else:
            activated = today - timedelta(days=rng.randint(0, 25))
        yield PersonPlan(
            number=number,
            email=f"person{number:05d}@example.org",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            department=department,
            layer=layer,
            roles=roles,
            active=number <= 1 + len(managed) or rng.random() > 0.03,
            activated_on=activated,
        )


@dataclass(frozen=True)
class AttemptPlan:
    person: int
    module: ModulePlan
    submitted_at: datetime
    score: int
    passed: bool
    answers: tuple[tuple[int, int, bool], ...]  # (question, chosen bit set, correct)


def plan_attempts(
    rng: random.Random, person: PersonPlan, modules: list[ModulePlan], now: datetime
) -> Iterator[AttemptPlan]:
    """One person's history with each module assigned to them."""
    published = (now - timedelta(days=HISTORY_DAYS)).date()
    for module in modules:
        if not written_for(module.layer_ids, person.layer):
            continue
        assigned = max(person.activated_on, published)
        span = (now.date() - assigned).days
        if span <= 0:
            continue
        start = datetime.combine(assigned, datetime.min.time()) + timedelta(
            days=rng.randint(0, min(90, span - 1)), seconds=rng.randint(8 * 3600, 18 * 3600)
        )
        roll = rng.random()
        if roll < 0.14:
            continue  # never started
        if roll < 0.22:
            outcome = [(start, False)]
            if rng.random() < 0.4:
                outcome.append((start + timedelta(days=rng.randint(1, 20)), False))
        else:
            first = start
            outcome = []
            if roll < 0.32:  # failed, then retook and passed
                outcome.append((start, False))
                first = start + timedelta(days=rng.randint(1, 14), minutes=rng.randint(1, 600))
            passes = [first]
            while module.renew_days and passes[-1] + timedelta(days=module.renew_days) <= now:
                passes.append(passes[-1] + timedelta(days=module.renew_days - rng.randint(1, 40)))
            if roll > 0.9 and len(passes) > 1:  # let the last pass lapse: expired
                passes.pop()
            outcome += [(when, True) for when in passes]
        for when, passed in outcome:
            if when >= now:
                continue
            yield _attempt(rng, person.number, module, when, passed)


def _attempt(rng: random.Random, person: int, module: ModulePlan, when, passed: bool):
    questions = module.questions
    if not questions:
        return AttemptPlan(person, module, when, 100, True, ())
    total = len(questions)
    allowed = max(
        k
        for k in range(total + 1)
        if k == 0 or percentage(total - k, total) >= module.passing_score
    )
    if passed or allowed >= total:
        wrong_count = min(rng.choice((0, 0, 1)), allowed)
    else:
        wrong_count = rng.randint(allowed + 1, min(total, allowed + 3))
    # Later questions are harder: they are missed more often.
    wrong: set[int] = set()
    while len(wrong) < wrong_count:
        wrong.add(questions[min(int(rng.triangular(0, total, total)), total - 1)].number)
    answers = []
    for question in questions:
        right = bits(frozenset(question.correct))
        if question.number in wrong and question.wrong:
            # Most people who get it wrong fall for the same option.
            pick = question.wrong[0] if rng.random() < 0.6 else rng.choice(question.wrong)
            chosen = bits(frozenset({pick})) | (right if len(question.correct) > 1 else 0)
            answers.append((question.number, chosen, False))
        else:
            answers.append((question.number, right, True))
    right_count = sum(1 for answer in answers if answer[2])
    score = percentage(right_count, total)
    return AttemptPlan(person, module, when, score, score >= module.passing_score, tuple(answers))


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
