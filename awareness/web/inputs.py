"""What clients send, checked where it comes in: no input may make a request fail with a 500.

- Database ids in URLs are ``<id:...>``: ASCII digits in the range every
  database's integer column holds; anything else is a 404.
- No text a client sends may hold a NUL character (PostgreSQL cannot store or
  compare it), and the path may hold no control character at all.
- JSON bodies are read by :func:`json_body`; the filters of figures (and their page
  number) by :mod:`awareness.reporting.selection`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import BaseConverter, ValidationError

#: The largest value of an integer column (PostgreSQL's ``integer``; SQLite's are larger).
MAX_ID = 2**31 - 1
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NUL = re.compile("\x00")
#: Query arguments their readers check themselves: a bad ``next`` is ignored, not refused,
#: so a tampered sign-in link still lets the person sign in.
CHECKED_BY_READER = frozenset({"next"})


class IdConverter(BaseConverter):
    """``<id:attempt_id>``: a database id, from 1 to :data:`MAX_ID`."""

    regex = r"[0-9]{1,10}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def register(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_unreadable_input)


def refuse_unreadable_input() -> None:
    """400 for a control character in the path, or a NUL in the query or a form field."""
    if CONTROL.search(request.path):
        abort(400, description=_("The address contains a control character."))
    arguments = (
        (key, value)
        for key, value in request.args.items(multi=True)
        if key not in CHECKED_BY_READER
    )
    if _any_match(NUL, arguments):
        abort(400, description=_("The address contains a NUL character."))
    if request.method not in ("GET", "HEAD", "OPTIONS") and _any_match(
        NUL, request.form.items(multi=True)
    ):
        abort(400, description=_("A form field contains a NUL character."))


def _any_match(pattern: re.Pattern, pairs: Iterable[tuple[str, str]]) -> bool:
    return any(pattern.search(key) or pattern.search(value) for key, value in pairs)


def json_body() -> object:
    """The request's JSON document, or 400 saying what is wrong with it.

    Refuses what :func:`json.loads` would take but no JSON parser should:
    ``NaN`` and ``Infinity``, nesting too deep to parse, and text no database
    can store (NUL characters, halves of surrogate pairs).
    """
    if not request.is_json:
        abort(400, description="the request body must be JSON (Content-Type: application/json)")
    try:
        data = json.loads(request.get_data(), parse_constant=_no_constant)
    except RecursionError:
        abort(400, description="the request body is nested too deeply")
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        abort(400, description=f"the request body is not valid JSON: {error}")
    if not storable(data):
        abort(400, description="the request body holds a NUL character or an unpaired surrogate")
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def storable(data: object) -> bool:
    """Whether every string (and key) in a parsed JSON document is text a database can store."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and not _storable_text(item):
            return False
    return True


def _storable_text(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
