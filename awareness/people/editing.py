"""Changing one person from the administration pages: department, layer, roles, activation.

The rules are the importer's (departments created as needed, roles from
:data:`~awareness.models.ROLES`, nobody deleted, a deactivated person signed
out at once, the assignment summary rebuilt) plus who may do what: only an
administrator grants or removes ``admin``, nobody removes their own ``admin``
nor deactivates themselves. Every change is in the audit log; the caller commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from awareness import audit
from awareness.auth import sessions
from awareness.models import ROLES, Layer, Person
from awareness.models.types import utctoday
from awareness.people.directory import MAX_NAME, MAX_PATH, DepartmentCache, normalised_path
from awareness.progress import summary

#: The roles that can be ticked: everyone is a learner anyway.
GRANTABLE = tuple(role for role in ROLES if role != "learner")


def _(text: str, **values: object) -> str:
    """The message in the person's language (Flask-Babel's gettext, typed)."""
    return str(gettext(text, **values))


class EditRefused(Exception):
    """A change that may not be made; ``field`` names the form field it concerns, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Edit:
    """What a person's details are to become."""

    department: str
    layer: str
    roles: frozenset[str]


def stored_roles(roles: Collection[str]) -> str:
    """Roles as the ``person.roles`` column keeps them: sorted, ``;``-separated, no learner."""
    return ";".join(sorted(set(roles) - {"learner"}))


def role_list(stored: str | None) -> list[str]:
    """Every role ``stored`` gives, learner included, in the order of :data:`ROLES`."""
    held = {"learner", *filter(None, (stored or "").split(";"))}
    return [role for role in ROLES if role in held]


def roles_change(email: str, old: str | None, new: str) -> audit.Entry:
    """The audit entry of a change of roles, each side the full list (None: a new person)."""
    return (
        "roles.change",
        email,
        {"old": None if old is None else role_list(old), "new": role_list(new)},
    )


def update(session: Session, person: Person, edit: Edit, *, actor: Person) -> list[str]:
    """Apply ``edit`` to ``person`` as ``actor``; the fields that changed.

    Raises :class:`EditRefused` (changing nothing) for a bad department, an
    unknown layer or role, or a change of roles ``actor`` may not make.
    """
    path, _problem = normalised_path(edit.department)
    if path is None:
        raise EditRefused(
            _(
                "The department must be a path such as Finance/Payroll: levels separated by /, "
                "none of them empty, each at most %(name)d characters, the whole at most "
                "%(path)d.",
                name=MAX_NAME,
                path=MAX_PATH,
            ),
            "department",
        )
    if session.get(Layer, edit.layer) is None:
        raise EditRefused(_("There is no layer %(layer)s.", layer=edit.layer), "layer")
    unknown = sorted(set(edit.roles) - set(ROLES))
    if unknown:
        raise EditRefused(_("Unknown role: %(role)s.", role=", ".join(unknown)), "roles")
    roles = stored_roles(edit.roles)
    refusal = role_refusal(actor, person.id, role_list(person.roles), role_list(roles))
    if refusal:
        raise EditRefused(refusal, "roles")

    old = _details(person)
    department = DepartmentCache(session).get(path) if _path(person) != path else person.department
    person.department = department
    person.layer_id = edit.layer
    old_roles, person.roles = person.roles, roles
    new = _details(person)
    changed = [field for field in ("department", "layer") if old[field] != new[field]]
    if changed:
        audit.record(
            session,
            "person.update",
            person.email,
            actor=actor,
            changes={field: [old[field], new[field]] for field in changed},
        )
        summary.refresh(session, person_ids=[person.id])  # assignments follow the layer
    if old_roles != roles:
        action, target, details = roles_change(person.email, old_roles, roles)
        audit.record(session, action, target, actor=actor, **details)
        changed.append("roles")
    return changed


def role_refusal(
    actor: Person, person_id: int | None, old: list[str], new: list[str]
) -> str | None:
    """Why ``actor`` may not turn roles ``old`` into ``new`` for the person ``person_id``
    (None: a new person), or None when they may."""
    if ("admin" in old) == ("admin" in new):
        return None
    if not actor.has_role("admin"):
        return _("Only an administrator may grant or remove the admin role. Nothing was changed.")
    if person_id == actor.id:
        return _("You cannot remove your own admin role: ask another administrator.")
    return None


def activation_refusal(
    actor: Person, person_id: int | None, roles: list[str], active: bool
) -> str | None:
    """Why ``actor`` may not make the person ``person_id`` holding ``roles`` ``active`` (or
    not), or None when they may."""
    if not active and person_id == actor.id:
        return _("You cannot deactivate yourself: ask another administrator.")
    if "admin" not in roles or actor.has_role("admin"):
        return None
    if active:
        return _("Only an administrator may reactivate an administrator.")
    return _("Only an administrator may deactivate an administrator.")


def set_active(session: Session, person: Person, active: bool, *, actor: Person) -> bool:
    """Deactivate or reactivate ``person``; whether anything changed.

    A deactivated person is signed out everywhere at once, their API tokens
    stop working and their assignments leave the figures; their history stays.
    A reactivated person's assignments are counted from today.
    """
    if person.active == active:
        return False
    refusal = activation_refusal(actor, person.id, role_list(person.roles), active)
    if refusal:
        raise EditRefused(refusal)
    person.active = active
    if active:
        person.activated_on = utctoday()
    else:
        sessions.end_all(session, [person.id])
    action = "person.activate" if active else "person.deactivate"
    audit.record(session, action, person.email, actor=actor, old=not active, new=active)
    summary.refresh(session, person_ids=[person.id])
    return True


def may_act_for(actor: Person, person: Person) -> bool:
    """Whether ``actor`` may be shown a link into ``person``'s account.

    Only an administrator may be shown one into the account of HR or an
    administrator: HR cannot take over a colleague's account, nor the accounts
    of the people who manage roles (as only an administrator deactivates or
    reactivates an administrator). Every link shown is audited.
    """
    return actor.has_role("admin") or not person.has_role("admin", "hr")


def _path(person: Person) -> str | None:
    return person.department.path if person.department is not None else None


def _details(person: Person) -> dict[str, Any]:
    return {"department": _path(person), "layer": person.layer_id}
