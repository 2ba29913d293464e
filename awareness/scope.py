"""Who may see which part of the organisation's figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from awareness.metrics import Filters, department_ids_under
from awareness.models import Person

ORGANISATION_ROLES = ("hr", "admin")


@dataclass(frozen=True)
class Scope:
    """The departments a person may see figures for; ``department_ids`` None is everything."""

    department_ids: frozenset[int] | None
    root_paths: tuple[str, ...] = ()

    @property
    def whole_organisation(self) -> bool:
        return self.department_ids is None

    def covers(self, department_ids: frozenset[int]) -> bool:
        return self.department_ids is None or department_ids <= self.department_ids

    def department(self, session: Session, path: str) -> frozenset[int] | None:
        """The ids of department ``path`` and those below it, when this scope covers it.

        None when it does not, and just the same when there is no such
        department: a manager learns nothing about the rest of the organisation.
        """
        ids = department_ids_under(session, [path])
        return ids if ids and self.covers(ids) else None

    def filters(self, **narrower) -> Filters:
        """Filters limited to this scope; ``department_ids`` narrows it further."""
        wanted = narrower.pop("department_ids", None)
        if wanted is None:
            ids = self.department_ids
        elif self.department_ids is None:
            ids = wanted
        else:
            ids = wanted & self.department_ids
        return Filters(department_ids=ids, **narrower)


def has_scope(person: Person) -> bool:
    """Whether :func:`scope_of` gives ``person`` any figures, without asking the database."""
    return person.has_role(*ORGANISATION_ROLES) or (
        person.has_role("manager") and person.department_id is not None
    )


def scope_of(session: Session, person: Person) -> Scope | None:
    """HR and admins see everything, a manager their department and below, anyone else nothing."""
    if person.has_role(*ORGANISATION_ROLES):
        return Scope(None)
    if not has_scope(person):
        return None
    path = person.department.path
    return Scope(department_ids_under(session, [path]), (path,))
