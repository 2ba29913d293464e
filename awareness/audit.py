"""Writing the audit log: the one way a change is recorded (see :class:`AuditEvent`)."""

from __future__ import annotations

import getpass
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Session

from awareness.models import AuditEvent, Person


def record(
    session: Session,
    action: str,
    target: str = "",
    *,
    actor: Person | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit entry to ``session``; it is committed with the change it describes.

    The actor is ``actor``, else the signed-in person of the current request,
    else the command line's user (``cli:<login name>``). The client address is
    the request's, as seen through any trusted proxies.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else f"cli:{_login_name()}",
        action=action,
        target=target[:300],
        details=details,
        ip=request.remote_addr if has_request_context() else None,
    )
    session.add(event)
    return event


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"
