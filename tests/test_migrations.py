"""The migrations build exactly the schema the models describe, on every database."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text

from awareness import create_app
from awareness.extensions import db
from tests.conftest import BACKENDS, POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """The URL of a database with no tables: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = make_url(POSTGRES_URL)
    name = f"awareness_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migrated_app(empty_database):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database}
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def flask_db(app, *args: str):
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_builds_exactly_the_models_schema(migrated_app):
    assert tables() == set()
    flask_db(migrated_app, "upgrade")
    assert tables() == {table.name for table in db.metadata.sorted_tables} | {"alembic_version"}
    assert differences() == []


def test_downgrade_to_base_removes_every_table_and_upgrade_works_again(migrated_app):
    flask_db(migrated_app, "upgrade")
    flask_db(migrated_app, "downgrade", "base")
    assert tables() <= {"alembic_version"}
    flask_db(migrated_app, "upgrade")
    assert differences() == []


def test_the_migrated_database_holds_synced_content(migrated_app):
    from awareness.content.parser import load_content
    from awareness.content.sync import sync
    from tests.helpers import TEST_CONTENT

    flask_db(migrated_app, "upgrade")
    result = sync(db.session, load_content(TEST_CONTENT))
    assert result.summary() == "added 3, updated 0, unchanged 0, retired 0"


def test_the_migrated_audit_log_is_append_only(migrated_app):
    from sqlalchemy import select
    from sqlalchemy.exc import DBAPIError

    from awareness import audit
    from awareness.models import AuditEvent

    flask_db(migrated_app, "upgrade")
    audit.record(db.session, "password.set", "ann@example.org")
    db.session.commit()
    for statement in (text("UPDATE audit_event SET target = ''"), text("DELETE FROM audit_event")):
        with pytest.raises(DBAPIError, match="the audit log is append-only"):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.scalars(select(AuditEvent.target)).all() == ["ann@example.org"]
