"""Who is reminded of what: overdue training and training due within a week.

Everything is read from the ``assignment`` summary with the status
expressions of :mod:`awareness.metrics`, a batch of people at a time, in the
order of the table's primary key; nothing loads every assignment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from awareness.models import Assignment, EmailMessage, Module, ModuleTranslation, Person
from awareness.progress.status import due_of, is_completed, is_expired, status_of
from awareness.reminders.series import Planned

#: Training due within this many days is listed along with overdue training (docs/email.md).
SOON = timedelta(days=7)


def listed(now: datetime) -> ColumnElement[bool]:
    """An assignment a reminder lists: not completed, and expired, overdue or due soon."""
    return and_(~is_completed(now), or_(is_expired(now), Assignment.due_on <= (now + SOON).date()))


def count(session: Session, now: datetime) -> int:
    """How many people have something to be reminded of."""
    query = select(func.count(func.distinct(Assignment.person_id))).where(listed(now))
    return session.scalar(query) or 0


def person_batches(session: Session, now: datetime, size: int) -> Iterator[list[int]]:
    """The ids of people with something to be reminded of, ``size`` at a time, in order."""
    last = 0
    while True:
        ids = list(
            session.scalars(
                select(Assignment.person_id)
                .where(listed(now), Assignment.person_id > last)
                .group_by(Assignment.person_id)
                .order_by(Assignment.person_id)
                .limit(size)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def still_wanted(now: datetime) -> ColumnElement[bool]:
    """For an unsent reminder: its person still has something to be reminded of."""
    return exists().where(Assignment.person_id == EmailMessage.person_id, listed(now))


@dataclass(frozen=True)
class Titles:
    """Module slugs and titles in every language they are translated into."""

    slugs: dict[int, str]
    titles: dict[tuple[int, str], str]  # (module id, language) -> title; "" is the original

    @classmethod
    def load(cls, session: Session) -> Titles:
        modules = session.execute(select(Module.id, Module.slug, Module.title)).all()
        titles = {(module_id, ""): title for module_id, _, title in modules}
        for module_id, language, title in session.execute(
            select(ModuleTranslation.module_id, ModuleTranslation.language, ModuleTranslation.title)
        ):
            titles[(module_id, language)] = title
        return cls({module_id: slug for module_id, slug, _ in modules}, titles)

    def title(self, module_id: int, language: str) -> str:
        return self.titles.get((module_id, language)) or self.titles[(module_id, "")]


def plan(
    session: Session, person_ids: list[int], now: datetime, titles: Titles, language_of: Any
) -> list[Planned]:
    """A reminder for each of these people: their listed modules, most urgent first."""
    people = {
        row.id: row
        for row in session.execute(
            select(
                Person.id,
                Person.email,
                Person.name,
                Person.language,
                Person.password_hash.is_not(None).label("has_password"),
            ).where(Person.id.in_(person_ids), Person.active)
        )
    }
    modules: dict[int, list[dict[str, Any]]] = {}
    rows = session.execute(
        select(
            Assignment.person_id,
            Assignment.module_id,
            status_of(now),
            Assignment.due_on,
            Assignment.expires_at,
        ).where(Assignment.person_id.in_(list(people)), listed(now))
    )
    for person_id, module_id, status, due_on, expires_at in rows:
        language = language_of(people[person_id].language)
        due = due_of(status, due_on, expires_at)
        modules.setdefault(person_id, []).append(
            {
                "slug": titles.slugs[module_id],
                "title": titles.title(module_id, language),
                "status": status,
                "due": due.isoformat() if due else None,
                "overdue": status in ("overdue", "expired"),
            }
        )
    plans = []
    for person_id, listed_modules in modules.items():
        person = people[person_id]
        listed_modules.sort(key=lambda m: (not m["overdue"], m["due"] or "", m["title"]))
        plans.append(
            Planned(
                person_id=person_id,
                to_address=person.email,
                language=language_of(person.language),
                details={
                    "name": person.name,
                    "has_password": bool(person.has_password),
                    "modules": listed_modules,
                },
            )
        )
    return plans
