"""A small demo organisation with people in every layer and varied progress."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from awareness.demo import sessions as demo_sessions
from awareness.models import Module, Person
from awareness.models.types import utcnow
from awareness.people.importer import apply_rows
from awareness.people.rows import PersonRow
from awareness.progress import attempts, summary

DEMO_PASSWORD = "awareness-demo"
#: How long the demo pretends the content has been live, so that some training is overdue.
CONTENT_AGE_DAYS = 400

# email, name, department, layer, roles
PEOPLE = [
    ("admin@example.org", "Alex Admin", "Executive Office", "leadership", "admin;hr"),
    ("hr@example.org", "Harper Reyes", "Human Resources", "management", "hr"),
    ("director@example.org", "Dana Director", "Executive Office", "leadership", ""),
    ("cfo@example.org", "Chris Morgan", "Finance", "leadership", "manager"),
    ("manager@example.org", "Morgan Lee", "Finance/Payroll", "management", "manager"),
    ("learner@example.org", "Lee Learner", "Finance/Payroll", "staff", ""),
    ("sam.patel@example.org", "Sam Patel", "Finance/Payroll", "staff", ""),
    ("jo.kim@example.org", "Jo Kim", "Finance/Procurement", "staff", ""),
    ("ria.das@example.org", "Ria Das", "Finance/Procurement", "management", "manager"),
    ("omar.haddad@example.org", "Omar Haddad", "Operations/Customer Service", "staff", ""),
    ("ines.costa@example.org", "Inês Costa", "Operations/Customer Service", "staff", ""),
    ("tom.berg@example.org", "Tom Berg", "Operations/Customer Service", "management", "manager"),
    ("ana.silva@example.org", "Ana Silva", "Operations/Facilities", "staff", ""),
    ("li.wei@example.org", "Li Wei", "Operations/Facilities", "staff", ""),
    ("author@example.org", "Avery Author", "IT/Security", "technical", "author"),
    ("it.lead@example.org", "Kai Novak", "IT", "management", "manager"),
    ("noor.khan@example.org", "Noor Khan", "IT/Infrastructure", "technical", ""),
    ("eli.brown@example.org", "Eli Brown", "IT/Infrastructure", "technical", ""),
    ("sara.ali@example.org", "Sara Ali", "IT/Security", "technical", ""),
    ("max.weber@example.org", "Max Weber", "Human Resources", "staff", ""),
    ("zoe.martin@example.org", "Zoë Martin", "Human Resources", "staff", ""),
]

#: Joined a week or so ago: their training is not yet due, so some is not started or in progress.
NEW_JOINERS = {"jo.kim@example.org", "li.wei@example.org", "eli.brown@example.org"}
NEW_JOINER_DAYS = 10
RETAKE_DAYS = 3

#: The accounts worth signing in as, and what each shows.
LOGINS = [
    ("learner@example.org", "a learner in Finance/Payroll"),
    ("manager@example.org", "a manager of Finance/Payroll"),
    ("hr@example.org", "HR: the whole organisation"),
    ("admin@example.org", "an administrator"),
    ("author@example.org", "a content author in IT/Security"),
]


@dataclass(frozen=True)
class Loaded:
    people: int
    attempts: int
    sessions: int = 0


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Person))


def load(session: Session, seed: int = 2026) -> Loaded:
    """Create the demo people and their attempts; the caller commits."""
    if not session.scalar(select(func.count()).select_from(Module).where(~Module.retired)):
        raise RuntimeError("no modules: run 'flask --app awareness content sync' first")
    now = utcnow()
    session.execute(
        update(Module).values(published_on=(now - timedelta(days=CONTENT_AGE_DAYS)).date())
    )
    rows = [PersonRow(line, *values) for line, values in enumerate(PEOPLE, 2)]
    apply_rows(session, rows)
    people = session.scalars(select(Person).order_by(Person.id)).all()
    password_hash = generate_password_hash(DEMO_PASSWORD)  # once: scrypt is slow on purpose
    for person in people:
        person.password_hash = password_hash
        person.activated_on = (now - timedelta(days=_days_here(person))).date()
    summary.refresh(session)

    generator = random.Random(seed)
    modules = session.scalars(select(Module).where(~Module.retired)).all()
    count = 0
    for person in people:
        for module in modules:
            count += _history(session, generator, person, module, now)
    sessions = demo_sessions.load(session, now)
    return Loaded(people=len(people), attempts=count, sessions=sessions)


def _days_here(person: Person) -> int:
    return NEW_JOINER_DAYS if person.email in NEW_JOINERS else CONTENT_AGE_DAYS


def _history(
    session: Session, generator: random.Random, person: Person, module: Module, now
) -> int:
    """Give one person a plausible history with one module; return how many attempts."""
    outcome = generator.choices(
        ["none", "failed", "passed", "retook", "expired"], weights=[4, 2, 6, 2, 1]
    )[0]
    if outcome == "none":
        return 0
    # Every attempt falls after the person joined and before now, a retake included.
    here = _days_here(person)
    if outcome == "expired" and here > (module.renew_days or here):
        days_ago = here - RETAKE_DAYS
    else:
        days_ago = generator.randint(RETAKE_DAYS + 1, min(300, here - 1))
    when = now - timedelta(days=days_ago, minutes=generator.randint(0, 600))
    tries = {"failed": [False], "passed": [True], "retook": [False, True], "expired": [True]}[
        outcome
    ]
    for number, should_pass in enumerate(tries):
        answers = _answers(generator, module, should_pass)
        attempts.submit(
            session, person, module, answers, acknowledge=True,
            now=when + timedelta(days=number * RETAKE_DAYS),
        )  # fmt: skip
    return len(tries)


def _answers(
    generator: random.Random, module: Module, should_pass: bool
) -> dict[int, frozenset[int]]:
    answers = {}
    wrong = (
        set()
        if should_pass
        else set(
            generator.sample(range(1, len(module.questions) + 1), k=min(2, len(module.questions)))
        )
    )
    if should_pass and len(module.questions) >= 10:
        wrong = {generator.randint(1, len(module.questions))}
    for question in module.questions:
        correct = frozenset(option.number for option in question.options if option.correct)
        if question.number in wrong:
            others = [option.number for option in question.options if not option.correct]
            answers[question.number] = (
                frozenset([generator.choice(others)]) if others else frozenset()
            )
        else:
            answers[question.number] = correct
    return answers
