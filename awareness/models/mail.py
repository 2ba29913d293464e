"""Email: password links and the record of every message sent or tried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awareness.extensions import Model
from awareness.models.org import Person
from awareness.models.types import utcnow


class PasswordToken(Model):
    """A link to choose a password: a reset (one hour) or an invitation (14 days).

    Only the SHA-256 of the token is stored. A token works once, until it
    expires, and only while the person's password is what it was when the
    token was issued (``password_stamp``): a password changed any other way
    voids every link issued before.
    """

    __table_args__ = (
        Index("ix_password_token_person_purpose", "person_id", "purpose", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: ``reset`` or ``invite``.
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: A hash of the person's password hash (or of nothing) when the token was issued.
    password_stamp: Mapped[str] = mapped_column(String(64))
    #: Who asked for it: an administrator for an invitation from the browser, else None.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class EmailMessage(Model):
    """One email: what it was, to whom, what it listed, and whether it went.

    Rows are kept as evidence (who was reminded of what, and when). The body is
    not stored: a reminder or digest is rendered again from ``details`` when it
    is retried, and a password email holds a token that is only ever stored as
    a hash, so it is sent at once or not at all.
    """

    __table_args__ = (
        Index("ix_email_message_person_kind", "person_id", "kind", "created_at"),
        Index("ix_email_message_status_kind", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``reset``, ``invite``, ``reminder`` or ``digest``.
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300), default="")
    #: Two runs that would write the same message agree on this key: one row, one email.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: What the message listed (modules and due dates, departments and figures...).
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    #: ``pending``, ``sending`` (claimed by a run), ``sent``, ``failed`` or ``cancelled``.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: When a run last claimed it for sending.
    attempted_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
