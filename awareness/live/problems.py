"""What can go wrong with a live session request, each with the HTTP status it answers."""

from __future__ import annotations


class LiveError(Exception):
    """A request about a live session that cannot be done; the message says why."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: The field the message is about, when it is about one.
        self.field = field

    def __str__(self) -> str:
        return self.message


class FieldError(LiveError):
    """A bad field of a session: the message names it."""


class NotInAudience(LiveError):
    """The session is not open to this person."""

    status = 403


class Full(LiveError):
    """Every place is taken."""

    status = 409


class Closed(LiveError):
    """Cancelled, started, or outside the time something can be done."""

    status = 409


class WrongCode(LiveError):
    """An attendance code that is not this session's (or any open session's)."""
