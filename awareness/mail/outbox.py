"""The record of every email (``email_message``) and sending what it holds.

A message's life: ``pending`` (written, not yet tried), ``sending`` (claimed
by one run: no other run sends it), then ``sent`` or ``failed`` (tried again
by the next run, up to :data:`MAX_ATTEMPTS` times), or ``cancelled`` (no
longer needed: say, the training was done before a retry).

Each outcome is written right after the server's answer and committed every
:attr:`Courier.commit_every` messages (20 for ``reminders send``; password
emails commit each). The worst case is a crash between the server accepting
messages and that commit: they stay ``sending``, and
:func:`recover_interrupted` hands them to the next run as failed, which sends
them again. So at most ``commit_every`` messages per crashed run can arrive
twice (with the same Message-ID, which many mail clients show once); none is
lost.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Result, update
from sqlalchemy.orm import Session

from awareness.mail import settings
from awareness.mail.transport import DeliveryError, FileTransport, SmtpTransport, open_transport
from awareness.models import EmailMessage, utcnow

#: A message that failed this many times is left as failed; the next one supersedes it.
MAX_ATTEMPTS = 5
#: A message claimed longer ago than this was abandoned by a run that stopped.
INTERRUPTED_AFTER = timedelta(hours=1)
UNSENT = ("pending", "failed")
#: Statements take ids in chunks (SQLite limits the parameters of one statement).
CHUNK = 500
ERROR_LENGTH = 1000


def transport() -> SmtpTransport | FileTransport:
    """The configured way out: SMTP, or ``instance/outbox/``."""
    config = current_app.config
    return open_transport(settings.settings(config), outbox_folder())


def outbox_folder() -> Path:
    configured = current_app.config.get("OUTBOX_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "outbox"


def claim(session: Session, ids: Collection[int], now: datetime) -> list[int]:
    """Mark these unsent messages as being sent by this run; the ids this run now holds.

    A message another run holds, or one already sent, is left alone. The
    caller commits, so the claim is seen by other runs before anything is sent.
    """
    claimed: list[int] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        claimed.extend(
            session.scalars(
                update(EmailMessage)
                .where(
                    EmailMessage.id.in_(chunk),
                    EmailMessage.status.in_(UNSENT),
                    EmailMessage.attempts < MAX_ATTEMPTS,
                )
                .values(status="sending", attempts=EmailMessage.attempts + 1, attempted_at=now)
                .returning(EmailMessage.id)
                .execution_options(synchronize_session=False)
            )
        )
    return sorted(claimed)


def recover_interrupted(session: Session, now: datetime, kinds: Collection[str]) -> int:
    """Messages a stopped run left ``sending``: failed, so the next send tries them again."""
    return rowcount(
        session.execute(
            update(EmailMessage)
            .where(
                EmailMessage.status == "sending",
                EmailMessage.kind.in_(kinds),
                EmailMessage.attempted_at < now - INTERRUPTED_AFTER,
            )
            .values(status="failed", last_error="the run sending it stopped before it finished")
            .execution_options(synchronize_session=False)
        )
    )


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched."""
    return int(cast("CursorResult[Any]", result).rowcount)


@dataclass
class Courier:
    """Sends claimed messages over one transport and records each outcome.

    Once the server cannot be reached, the rest are recorded as failed
    without trying: a run during an outage ends quickly, and the next run
    sends them.
    """

    session: Session
    transport: SmtpTransport | FileTransport
    #: Commit after this many outcomes; None: the caller commits.
    commit_every: int | None = 1
    sent: int = 0
    failed: int = 0
    unreachable: str | None = None
    #: The first few errors, and the last one.
    errors: list[str] = field(default_factory=list)
    last_error: str | None = None
    _uncommitted: int = 0

    def deliver(self, message_id: int, message: Message) -> bool:
        """Send one claimed message; record and return whether it went."""
        subject = str(message["Subject"] or "")[:300]
        if self.unreachable is not None:
            return self._failed(message_id, f"not tried: {self.unreachable}", subject=subject)
        try:
            self.transport.send(message)
        except DeliveryError as error:
            if error.unreachable:
                self.unreachable = str(error)
            return self._failed(message_id, str(error), subject=subject)
        self._record(message_id, status="sent", sent_at=utcnow(), last_error=None, subject=subject)
        self.sent += 1
        return True

    def fail(self, message_id: int, error: str) -> bool:
        """Record a claimed message that could not even be written (a template error, say)."""
        return self._failed(message_id, error)

    def _failed(self, message_id: int, error: str, **values: object) -> bool:
        self._record(message_id, status="failed", last_error=error[:ERROR_LENGTH], **values)
        self.failed += 1
        self.last_error = error
        if len(self.errors) < 10:
            self.errors.append(error)
        return False

    def _record(self, message_id: int, **values: object) -> None:
        self.session.execute(
            update(EmailMessage)
            .where(EmailMessage.id == message_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        self._uncommitted += 1
        if self.commit_every is not None and self._uncommitted >= self.commit_every:
            self.commit()

    def commit(self) -> None:
        self.session.commit()
        self._uncommitted = 0
