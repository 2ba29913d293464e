"""The department tree, named by paths such as ``Finance/Payroll``: the one place paths are read.

A path's levels are separated by ``/``; a department's parent is the path
without its last level. Paths compare exactly, case and all, on every database.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from awareness.models import Department

SEPARATOR = "/"
#: The longest department path the database holds, and the longest name of one level.
MAX_PATH = Department.path.type.length
MAX_NAME = Department.name.type.length


def normalised_path(text: str) -> tuple[str | None, str | None]:
    """``text`` as a department path (levels stripped of spaces), or None and why not.

    The one check of a typed path: the people importer's and the people pages'.
    """
    levels = [level.strip() for level in text.split(SEPARATOR)]
    if not text.strip() or not all(levels):
        return None, f"department '{shown(text)}' must be a path such as Finance/Payroll"
    if not text.isprintable():
        return None, "the department must be one line of printable text"
    if any(len(level) > MAX_NAME for level in levels):
        return None, f"a department name is longer than {MAX_NAME} characters"
    path = SEPARATOR.join(levels)
    if len(path) > MAX_PATH:
        return None, f"the department path is longer than {MAX_PATH} characters"
    return path, None


def shown(text: str, limit: int = 60) -> str:
    """``text`` as a message may quote it: control characters escaped, at most ``limit`` long."""
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def ancestors(path: str) -> list[str]:
    """``A/B/C`` -> ``[A, A/B, A/B/C]``: the department and every department above it."""
    parts = path.split(SEPARATOR)
    return [SEPARATOR.join(parts[: index + 1]) for index in range(len(parts))]


def parent_of(path: str) -> str:
    """The path of the department above ``path`` (``""`` for a top department)."""
    return path.rpartition(SEPARATOR)[0]


def name_of(path: str) -> str:
    """The last level of ``path``: the department's own name."""
    return path.rpartition(SEPARATOR)[2]


def depth(path: str) -> int:
    """How many levels lie above the department: 0 for a top department."""
    return path.count(SEPARATOR)


def is_under(path: str) -> ColumnElement[bool]:
    """The department ``path`` or one below it, by exact comparison (no LIKE patterns).

    LIKE would ignore case on SQLite, so ``Finance`` would take in ``finance/payroll``.
    """
    prefix = path + SEPARATOR
    return or_(
        Department.path == path,
        func.substr(Department.path, 1, len(prefix)) == prefix,
    )


def department_ids_under(session: Session, paths: Collection[str]) -> frozenset[int]:
    """The ids of these departments and every department below them."""
    if not paths:
        return frozenset()
    conditions = [is_under(path) for path in paths]
    return frozenset(session.scalars(select(Department.id).where(or_(*conditions))))


class DepartmentCache:
    """Departments by path, created (with their parents) on first use."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_path = {d.path: d for d in session.scalars(select(Department))}

    def get(self, path: str) -> Department:
        """The department at ``path``, added to the session (and flushed) if it is new."""
        department = self.by_path.get(path)
        if department is None:
            parent = self.get(parent_of(path)) if parent_of(path) else None
            department = Department(path=path, name=name_of(path), parent=parent)
            self.session.add(department)
            self.session.flush()  # the id is needed to compare people's departments
            self.by_path[path] = department
        return department
