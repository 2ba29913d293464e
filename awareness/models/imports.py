"""People imports uploaded in the browser: each a preview, kept until confirmed or expired."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awareness.extensions import Model
from awareness.models.org import Person
from awareness.models.types import utcnow


def new_key() -> str:
    return secrets.token_urlsafe(16)


class PeopleImport(Model):
    """An uploaded people file, planned: what it would change, shown before it is applied.

    Kept in the database so that any server can show and confirm it. It is
    applied at most once (``applied_at`` is set by a conditional update in the
    transaction that applies it), and only while ``fingerprint`` still matches
    the people it touches. Previews expire and are deleted after an hour.
    """

    __tablename__ = "people_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What its address names: random, so a link to a deleted preview never reaches a new one.
    key: Mapped[str] = mapped_column(String(32), unique=True, default=new_key)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    #: The uploaded file's name, as the browser sent it (shortened).
    filename: Mapped[str] = mapped_column(String(255))
    deactivate_missing: Mapped[bool] = mapped_column(Boolean)
    invite: Mapped[bool] = mapped_column(Boolean)
    #: A digest of the people the import touches, as they were (importer.fingerprint).
    fingerprint: Mapped[str] = mapped_column(String(64))
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    deactivated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    #: Bad rows: while there is one, nothing can be applied.
    problems: Mapped[int] = mapped_column(Integer, default=0)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    #: What applying it did, and the invitations sent (counts), for the page shown afterwards.
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])
    applied_by: Mapped[Person | None] = relationship(foreign_keys=[applied_by_id])


class PeopleImportStep(Model):
    """One step of a preview (importer.Step) or one bad row (``kind`` ``problem``)."""

    __tablename__ = "people_import_step"
    __table_args__ = (Index("ix_people_import_step_kind", "import_id", "kind", "position"),)

    import_id: Mapped[int] = mapped_column(
        ForeignKey("people_import.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``create``, ``update``, ``unchanged``, ``deactivate`` or ``problem``.
    kind: Mapped[str] = mapped_column(String(16))
    line: Mapped[int | None] = mapped_column(Integer)
    email: Mapped[str] = mapped_column(String(254), default="")
    person_id: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(500), default="")
    layer: Mapped[str] = mapped_column(String(64), default="")
    roles: Mapped[str] = mapped_column(String(100), default="")
    #: Each changed field's [old, new] (an update), or None.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: A bad row's reason, as the command line prints it after ``FILE:LINE:``.
    message: Mapped[str | None] = mapped_column(Text)
