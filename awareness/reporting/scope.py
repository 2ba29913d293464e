"""Who may see which part of the organisation's figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from awareness.models import Person
from awareness.people.directory import department_ids_under
from awareness.reporting.figures import Filters

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

    def filters(
        self,
        department_ids: frozenset[int] | None = None,
        layer_id: str | None = None,
        module_id: int | None = None,
    ) -> Filters:
        """Filters limited to this scope; ``department_ids`` narrows it further."""
        if department_ids is None:
            ids = self.department_ids
        elif self.department_ids is None:
            ids = department_ids
        else:
            ids = department_ids & self.department_ids
        return Filters(department_ids=ids, layer_id=layer_id, module_id=module_id)


def has_scope(person: Person) -> bool:
    """Whether :func:`scope_of` gives ``person`` any figures, without asking the database."""
    return person.has_role(*ORGANISATION_ROLES) or (
        person.has_role("manager") and person.department_id is not None
    )


def scope_of(session: Session, person: Person) -> Scope | None:
    """HR and admins see everything, a manager their department and below, anyone else nothing."""
    if person.has_role(*ORGANISATION_ROLES):
        return Scope(None)
    if not has_scope(person) or person.department is None:
        return None
    path = person.department.path
    return Scope(department_ids_under(session, [path]), (path,))
