"""Every Flask extension object, created unbound so nothing imports the package root."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _SQLAlchemy(SQLAlchemy):
    """For the type checker: ``db.session`` stands for the request's (or command's) Session.

    It is a ``scoped_session`` that hands every call on to that Session, so the
    domain modules take a plain :class:`~sqlalchemy.orm.Session` and views pass ``db.session``.
    """

    session: Session  # type: ignore[assignment]


db: _SQLAlchemy = SQLAlchemy(model_class=Base)  # type: ignore[assignment]

#: The base class of every model: ``db.Model``, which the type checker knows as :class:`Base`.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """Let SQLAlchemy, not the sqlite3 module, decide where transactions begin."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()


#: Execution option for work that reads long and writes little at the end, if it can:
#: on SQLite it begins without the write lock (see ``_begin_sqlite``).
READ_FIRST = "awareness_read_first"
#: Key of a SQLite connection's ``info``: whether its transaction began with the write lock.
HOLDS_WRITE_LOCK = "awareness_holds_write_lock"


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    """Reading requests begin lazily; anything that may write takes the write lock first.

    A deferred transaction that reads, then writes after another connection
    committed, fails at once with "database is locked"; one begun IMMEDIATE
    waits its turn (up to the connection timeout) instead. Work marked
    :data:`READ_FIRST` begins lazily too, and must cope with that failure.
    """
    if connection.dialect.name == "sqlite":
        reading = connection.get_execution_options().get(READ_FIRST) or (
            has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")
        )
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
        connection.info[HOLDS_WRITE_LOCK] = not reading


@contextmanager
def unit_of_work(session: Session, *, keep: bool = True) -> Iterator[Session]:
    """One unit of work: commit once at the end of the block, or roll all of it back.

    Any error in the block rolls everything back and is raised again; with
    ``keep`` False (a dry run) the block's work is rolled back even when it
    succeeds. Domain functions flush at most: the command or view that calls
    them says here where their work is committed.
    """
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    if keep:
        session.commit()
    else:
        session.rollback()
