"""The audit log: who changed what, when and from where. Rows are never changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, DateTime, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from awareness.extensions import Model
from awareness.models.types import utcnow


class AuditEvent(Model):
    """One recorded change. The database refuses to update or delete rows (see APPEND_ONLY)."""

    __table_args__ = (
        Index("ix_audit_event_action_at", "action", "at"),
        # The audit page's filter on a person: entries by them or about them.
        Index("ix_audit_event_actor", "actor"),
        Index("ix_audit_event_target", "target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: The person who acted, when it was a signed-in person (None for the command line).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    #: Who acted as written at the time: an email, or ``cli:<user>`` for a command.
    actor: Mapped[str] = mapped_column(String(254))
    #: What was done, ``noun.verb``: ``people.import``, ``token.revoke``, ``content.sync``...
    action: Mapped[str] = mapped_column(String(64))
    #: What it was done to: an email, a slug, a file name.
    target: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The client address of the request, None for the command line.
    ip: Mapped[str | None] = mapped_column(String(45))


#: SQL that makes the table append-only, per database; run by create_all and migration 0003.
APPEND_ONLY = {
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger"
        " LANGUAGE plpgsql AS $$ BEGIN"
        " RAISE EXCEPTION 'the audit log is append-only'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event"
        " FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
    "sqlite": [
        f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event"
        " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        for verb in ("UPDATE", "DELETE")
    ],
}

for _dialect, _statements in APPEND_ONLY.items():
    for _statement in _statements:
        event.listen(
            AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect)
        )
