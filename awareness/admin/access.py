"""Who may open which administration page, as a decorator for views and a list for the navigation.

HR manage people and see every dashboard; admins also manage roles, tokens,
content sync and read the audit log; authors see content status and previews.
Managers and learners get 403 everywhere under ``/admin/``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import Blueprint, abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

PEOPLE = ("hr", "admin")
CONTENT = ("admin", "author")
AUDIT = ("admin",)
#: Who may grant or take away the ``admin`` role, run a content sync and see others' tokens.
ADMINS = ("admin",)


class Section(NamedTuple):
    endpoint: str
    label: Any  # a lazy string
    roles: tuple[str, ...]


#: The administration pages in the navigation, in its order.
SECTIONS = (
    Section("admin.people", _l("People"), PEOPLE),
    Section("admin.content", _l("Content"), CONTENT),
    Section("admin.audit", _l("Audit log"), AUDIT),
)


def allowed(*roles: str) -> bool:
    """Whether the signed-in person holds one of ``roles``."""
    return bool(current_user.is_authenticated and current_user.has_role(*roles))


def requires(*roles: str) -> Callable:
    """Sign-in first (else 302 to the sign-in page), then 403 unless one of ``roles``."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return login_required(checked)

    return decorate


@bp.app_context_processor
def navigation() -> dict[str, Any]:
    def admin_sections() -> list[Section]:
        """The administration pages the signed-in person may open."""
        return [
            section
            for section in SECTIONS
            if section.endpoint in current_app.view_functions and allowed(*section.roles)
        ]

    return {"admin_sections": admin_sections}
