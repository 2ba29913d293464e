"""The one scope check of figures, and the filters of the request, as HTTP answers.

``@scoped`` lets only people with figures to see reach a view (403 for anyone
else) and passes the view their :class:`~awareness.reporting.scope.Scope`;
:func:`selection` reads the request's filters within it. A bad value aborts
with the status and message :mod:`awareness.reporting.selection` gives it:
JSON ``{"error": ...}`` under ``/api/``, an error page elsewhere.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awareness.extensions import db
from awareness.i18n import ExplainedNotFound
from awareness.reporting import selection as reading
from awareness.reporting.scope import Scope, scope_of
from awareness.reporting.selection import Selection, SelectionError

View = TypeVar("View", bound=Callable[..., Any])


def scoped(view: View) -> View:
    """Run ``view`` with the caller's scope as its ``scope`` argument.

    Nobody signed in is sent to sign in (401 for the API); anyone signed in
    with no figures to see gets 403.
    """

    @functools.wraps(view)
    def with_scope(*args: Any, **kwargs: Any) -> Any:
        scope = scope_of(db.session, current_user)
        if scope is None:
            abort(403, description=_("coverage is for HR, administrators and managers"))
        return view(*args, scope=scope, **kwargs)

    return login_required(with_scope)


def selection(
    scope: Scope, *, department: str | None = None, module: str | None = None
) -> Selection:
    """The request's filters within ``scope`` (see :func:`awareness.reporting.selection.select`)."""
    try:
        return reading.select(db.session, scope, request.args, department=department, module=module)
    except SelectionError as error:
        refuse(error)


def page_number() -> int:
    """The request's page number (1 when absent)."""
    try:
        return reading.page_number(request.args)
    except SelectionError as error:
        refuse(error)


def check_page(page: int, pages: int) -> None:
    """404 for a page past the last of a list, saying how many pages there are (see
    :func:`awareness.reporting.selection.page_in_range`)."""
    try:
        reading.page_in_range(page, pages)
    except SelectionError as error:
        raise ExplainedNotFound(error.message) from None


def grouping(default: str | None = None) -> str:
    """What the request's coverage is grouped by (``by``)."""
    try:
        return reading.grouping(request.args, default)
    except SelectionError as error:
        refuse(error)


def refuse(error: SelectionError) -> NoReturn:
    abort(error.status, description=error.message)
