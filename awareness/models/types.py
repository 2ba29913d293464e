"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Date, DateTime, Result
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def utcnow() -> datetime:
    """The current time in UTC, naive, as every timestamp column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def utctoday() -> date:
    return utcnow().date()


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE run by ``Session.execute`` touched."""
    return cast(CursorResult[Any], result).rowcount


class add_days(FunctionElement[Any]):
    """``expression + days`` for a date or timestamp, on SQLite and PostgreSQL.

    The result is NULL when either argument is NULL.
    """

    inherit_cache = True

    def __init__(self, expression: Any, days: Any) -> None:
        super().__init__(expression, days)
        self.type = expression.type if isinstance(expression.type, Date | DateTime) else DateTime()


def _arguments(element, compiler, **kw):
    expression, days = element.clauses
    return compiler.process(expression, **kw), compiler.process(days, **kw)


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    expression, days = _arguments(element, compiler, **kw)
    if isinstance(element.type, DateTime):
        # SQLAlchemy writes 'YYYY-MM-DD HH:MM:SS.ffffff'. SQLite's own arithmetic keeps only
        # milliseconds, so shift the whole seconds and put the microseconds back unchanged.
        return (
            f"(strftime('%Y-%m-%d %H:%M:%S', substr({expression}, 1, 19), {days} || ' days')"
            f" || substr({expression}, 20))"
        )
    return f"date({expression}, {days} || ' days')"


@compiles(add_days, "postgresql")
def _add_days_postgresql(element, compiler, **kw):
    expression, days = _arguments(element, compiler, **kw)
    if isinstance(element.type, DateTime):
        return f"({expression} + make_interval(days => {days}))"
    return f"({expression} + {days})"
