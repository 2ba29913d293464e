"""The audit log: the one way a change is recorded (see :class:`AuditEvent`).

Each entry is added to the session of the change it describes, so both are
committed, or rolled back, together; dry runs record nothing. The table is
append-only: the database refuses to update or delete its rows.

Actions (``noun.verb``; stable, since exports and their readers filter on them):

- ``people.import``: one run of the people importer (the command, or a preview
  confirmed at ``/admin/people/import``, whose actor is who confirmed it); the
  target is the file, the details its counts (``created``, ``updated``,
  ``deactivated``, ``unchanged``) and ``deactivate_missing``.
- ``roles.change``: a person's roles changed (or a person was created with
  more than ``learner``); the target is the email, the details ``old`` (null
  for a new person) and ``new``, each a list of roles.
- ``person.activate`` / ``person.deactivate``: the target is the email, the
  details ``old`` and ``new`` values of ``active``.
- ``person.update``: a person's department or layer changed in the people
  administration; the target is the email, the details ``changes``, each
  changed field's ``[old, new]``.
- ``password.set``: a password set from the command line; the target is the email.
- ``password.change``: a person changed their own password in ``/settings``; the
  target is the email.
- ``password.reset``: a password chosen through a reset or invitation link; the
  target and the actor are the person, the details ``purpose`` (``reset`` or
  ``invite``). Asking for a reset link is not audited (anyone may ask, for any
  address): the ``email_message`` row of the link's email keeps who it went to,
  when, and the asking client's address.
- ``person.invite``: an invitation emailed (or shown to an administrator); the
  target is the email, the details ``expires_at`` (and ``shown``, true, when shown).
- ``password.reset_link``: a reset link an administrator emailed (or was shown)
  from the people administration; the details as for ``person.invite``.
- ``token.issue``: an API token issued; the target is its owner's email, the
  details ``token_id`` and ``label`` (never the token).
- ``token.revoke``: API tokens revoked; the target is their owner's email,
  the details ``token_ids``.
- ``content.sync``: a sync that changed modules; the target is the content
  folder, the details the ``added``, ``updated`` and ``retired`` slugs and
  the ``resets`` of raised majors (``slug``, ``old``, ``new``,
  ``completions``). A sync that changes nothing records nothing.
- ``live_session.create``: a live session planned; the target is ``ID: title``,
  the details its fields (``title``, ``kind``, ``starts_at``, ``ends_at``,
  ``location``, ``capacity``, ``module``, ``facilitator``, ``layers``,
  ``departments``, ``description``).
- ``live_session.update``: a live session changed; the details ``changes``, each
  changed field's ``[old, new]``. A change that changes nothing records nothing.
- ``live_session.cancel``: a live session cancelled; the details ``registered``.
- ``attendance.record``: attendance recorded by an organiser or facilitator
  (names ticked or addresses typed on the roster, an upload, the API) that
  recorded someone new; the target is the session (``ID: title``), the details
  ``method``, ``recorded`` and ``unknown`` (counts) and, when it recorded at
  most 100 people, ``people`` (their emails).
- ``attendance.remove``: an attendance removed (with the attempt it wrote); the
  target is the attendee's email, the details ``session_id`` and ``title``.

``flask --app awareness audit export`` writes the log as CSV (see :mod:`.export`).
"""

from __future__ import annotations

import functools
import getpass
from collections.abc import Iterable
from typing import Any, cast

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from awareness.models import AuditEvent, Person, utcnow

#: Every action above, in that order: the audit page's choice of actions (keep both in step).
ACTIONS = (
    "people.import",
    "roles.change",
    "person.activate",
    "person.deactivate",
    "person.update",
    "password.set",
    "password.change",
    "password.reset",
    "person.invite",
    "password.reset_link",
    "token.issue",
    "token.revoke",
    "content.sync",
    "live_session.create",
    "live_session.update",
    "live_session.cancel",
    "attendance.record",
    "attendance.remove",
)

#: The actor of a request made without signing in (a password reset link, say).
ANONYMOUS = "anonymous"

#: One entry for :func:`record_many`: the action, its target and its details.
Entry = tuple[str, str, dict[str, Any]]


def record(
    session: Session,
    action: str,
    target: str = "",
    *,
    actor: Person | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit entry to ``session``; it is committed with the change it describes.

    The actor is ``actor``, else the signed-in person of the current request
    (``anonymous`` when nobody is), else the command line's user
    (``cli:<login name>``). The client address is the request's, as seen
    through any trusted proxies.
    """
    event = AuditEvent(action=action, target=target[:300], details=details, **source(actor))
    session.add(event)
    return event


def record_many(session: Session, entries: Iterable[Entry], *, actor: Person | None = None) -> None:
    """Write many entries at once: one bulk insert, in ``session``'s transaction.

    Each entry is (action, target, details); the actor and the address are
    found as :func:`record` finds them.
    """
    who = source(actor)
    rows = [
        {"at": utcnow(), "action": action, "target": target[:300], "details": details, **who}
        for action, target, details in entries
    ]
    if rows:  # a Core insert: several times faster than ORM objects for an import's thousands
        session.execute(insert(cast(Table, AuditEvent.__table__)), rows)


def source(actor: Person | None = None) -> dict[str, Any]:
    """Who acts (``actor_id``, ``actor``) and from which address (``ip``), as :func:`record`
    finds them."""
    in_request = has_request_context()
    if actor is None and in_request and current_user.is_authenticated:
        actor = current_user._get_current_object()
    ip = request.remote_addr if in_request else None
    if actor is not None:
        return {"actor_id": actor.id, "actor": actor.email, "ip": ip}
    name = ANONYMOUS if in_request else f"cli:{_login_name()}"
    return {"actor_id": None, "actor": name, "ip": ip}


@functools.cache
def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"
