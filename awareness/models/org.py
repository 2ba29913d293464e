"""The organisation: layers, the department tree and people."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from awareness.extensions import Model
from awareness.models.types import utcnow, utctoday

#: Every role a person can hold; everyone is also a learner.
ROLES = ("learner", "manager", "hr", "author", "admin")


class Layer(Model):
    """A layer of the organisation that modules are written for (from ``org.yml``)."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Department(Model):
    """A node of the department tree, named by its path such as ``Finance/Payroll``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)

    parent: Mapped[Department | None] = relationship(remote_side=[id])


class Person(UserMixin, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always lower case
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    layer_id: Mapped[str | None] = mapped_column(ForeignKey("layer.id"), index=True)
    roles: Mapped[str] = mapped_column(String(100), default="")  # sorted, ";"-separated
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    activated_on: Mapped[date] = mapped_column(Date, default=utctoday)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(16))
    #: Managers may turn their weekly digest off; reminders of required training stay on.
    wants_digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    department: Mapped[Department | None] = relationship()
    layer: Mapped[Layer | None] = relationship()

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(filter(None, self.roles.split(";"))) | {"learner"}

    def has_role(self, *roles: str) -> bool:
        return not self.role_set.isdisjoint(roles)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive people
        return self.active

    #: The key of the sign-in session this person was loaded for or signed in with
    #: (see awareness.auth.sessions); not a column.
    if TYPE_CHECKING:
        session_key: str | None
    session_key = None

    def get_id(self) -> str | None:
        """Flask-Login's user id: the key of this browser's sign-in session, not the person's."""
        return self.session_key

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)
