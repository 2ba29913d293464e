"""Published modules, their quizzes, translations and every revision of their text."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awareness.extensions import Model
from awareness.models.types import utcnow


class Module(Model):
    """A lesson and its optional quiz, as last synced from ``content/modules``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience_all: Mapped[bool] = mapped_column(Boolean, default=False)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    due_days: Mapped[int] = mapped_column(Integer, default=30)
    renew_days: Mapped[int | None] = mapped_column(Integer)
    passing_score: Mapped[int] = mapped_column(Integer, default=80)
    minutes: Mapped[int] = mapped_column(Integer, default=5)
    major: Mapped[int] = mapped_column(Integer, default=1)
    controls: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int | None] = mapped_column(Integer)
    shuffle: Mapped[bool] = mapped_column(Boolean, default=True)
    body_html: Mapped[str] = mapped_column(Text, default="")
    source_path: Mapped[str] = mapped_column(String(500))
    source_hash: Mapped[str] = mapped_column(String(64))
    #: Hash over the file and its translations: "unchanged" means this is equal.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: The day the module at its current major was first published.
    published_on: Mapped[date] = mapped_column(Date)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    audience: Mapped[list[ModuleAudience]] = relationship(
        cascade="all, delete-orphan", order_by="ModuleAudience.layer_id"
    )
    questions: Mapped[list[Question]] = relationship(
        cascade="all, delete-orphan", order_by="Question.number"
    )
    translations: Mapped[list[ModuleTranslation]] = relationship(
        cascade="all, delete-orphan", order_by="ModuleTranslation.language"
    )

    @property
    def is_reading(self) -> bool:
        return not self.questions

    @property
    def layer_ids(self) -> list[str]:
        return ["all"] if self.audience_all else [entry.layer_id for entry in self.audience]


class ModuleAudience(Model):
    """A layer a module is written for (absent when the audience is ``all``)."""

    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), primary_key=True)
    layer_id: Mapped[str] = mapped_column(ForeignKey("layer.id"), primary_key=True, index=True)


class Question(Model):
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    number: Mapped[int] = mapped_column(Integer)  # from 1, in the order written
    text_html: Mapped[str] = mapped_column(Text)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation_html: Mapped[str] = mapped_column(Text, default="")

    options: Mapped[list[Option]] = relationship(
        cascade="all, delete-orphan", order_by="Option.number"
    )


class Option(Model):
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    number: Mapped[int] = mapped_column(Integer)
    text_html: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean, default=False)


class ModuleTranslation(Model):
    """A module's text in another language; its quiz has the original's shape."""

    __table_args__ = (UniqueConstraint("module_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    language: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    #: ``[{"text_html", "explanation_html", "options": [text_html, ...]}]`` in written order.
    quiz: Mapped[list[dict]] = mapped_column(JSON, default=list)
    source_path: Mapped[str] = mapped_column(String(500))
    source_hash: Mapped[str] = mapped_column(String(64))


class ModuleRevision(Model):
    """Every distinct text a module (or translation) was published with.

    Attempts name the ``source_hash`` they were shown, so an auditor can read
    exactly the text a completion was earned on.
    """

    __table_args__ = (UniqueConstraint("module_id", "source_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    source_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="")  # "" for the original
    major: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ContentAsset(Model):
    """A file from ``content/assets/`` as published by the last sync.

    Learners are served these bytes, never the folder itself, so what they get
    is exactly what ``content check`` accepted, on every server.
    """

    #: The path below ``assets/``, such as ``diagrams/phishing.svg``.
    path: Mapped[str] = mapped_column(String(300), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ContentSync(Model):
    """One ``content sync`` (command line or browser, never a dry run): applied or refused.

    The audit log records the syncs that changed something; this keeps every
    sync, with its counts or its problems, for the content status page.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: The person who ran it from the browser (None for the command line).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    #: Who ran it as written at the time: an email, or ``cli:<user>`` for the command line.
    actor: Mapped[str] = mapped_column(String(254))
    #: The content folder it read.
    source: Mapped[str] = mapped_column(String(500), default="")
    #: A hash of everything it read from the folder (see ``ContentTree.fingerprint``).
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    applied: Mapped[bool] = mapped_column(Boolean)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[int] = mapped_column(Integer, default=0)
    #: ``[{"slug", "old", "new", "completions"}]``: the majors it raised.
    resets: Mapped[list[dict]] = mapped_column(JSON, default=list)
    #: ``[[path, line, message]]``: why it was refused (empty when applied).
    problems: Mapped[list[list]] = mapped_column(JSON, default=list)
