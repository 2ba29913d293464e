"""Getting messages out: SMTP, or ``.eml`` files in the outbox folder.

One :class:`SmtpTransport` holds one connection for a whole batch, opened on
the first message. A connection the server closed while it sat idle (or
refused with 421) is opened again once, but only when the message's content
had not started to go: a connection lost during DATA may have delivered it,
so that message is reported as failed rather than sent a second time in the
same breath (the caller decides; see :mod:`awareness.mail.outbox`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from awareness.mail.settings import MailSettings


class DeliveryError(Exception):
    """A message did not go. ``unreachable``: nor will the next (no connection, bad login)."""

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class Transport(Protocol):
    def send(self, message: Message) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...


class _Closing:
    def close(self) -> None:  # pragma: no cover - overridden
        pass

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's authorities, host names too."""
    return ssl.create_default_context()


class _TracksData:
    """Notes when the DATA command began, so a lost connection is known to be before or after."""

    data_started = False

    def data(self, msg: Any) -> Any:
        self.data_started = True
        return super().data(msg)  # type: ignore[misc]


class _SMTP(_TracksData, smtplib.SMTP):
    pass


class _SMTPS(_TracksData, smtplib.SMTP_SSL):
    pass


class SmtpTransport(_Closing):
    """SMTP with STARTTLS (never falling back to plain text), implicit TLS, or none."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: _SMTP | _SMTPS | None = None
        self.connections = 0  # opened so far: one per batch, unless the server hung up

    def send(self, message: Message) -> None:
        sender, recipients, payload = envelope(message)
        options = [] if all(a.isascii() for a in [sender, *recipients]) else ["SMTPUTF8"]
        for retry in (False, True):
            smtp = self._connection()
            smtp.data_started = False
            try:
                smtp.sendmail(sender, recipients, payload, mail_options=options)
                return
            except smtplib.SMTPRecipientsRefused as error:
                raise DeliveryError(f"refused by the server: {_refusal(error)}") from None
            except smtplib.SMTPResponseException as error:
                if error.smtp_code == 421 and not smtp.data_started and not retry:
                    self._drop()
                    continue  # the server wants a new connection before this message
                if error.smtp_code == 421 or error.smtp_code >= 500:
                    self._drop()
                raise DeliveryError(f"refused by the server: {_reply(error)}") from None
            except (smtplib.SMTPServerDisconnected, OSError) as error:
                started = smtp.data_started
                self._drop()
                if not started and not retry:
                    continue  # an idle connection the server closed: open a new one
                when = "during delivery (it may have arrived)" if started else "before delivery"
                raise DeliveryError(f"the connection was lost {when}: {error}") from None
            except smtplib.SMTPException as error:
                self._drop()
                raise DeliveryError(f"SMTP error: {error}") from None

    def _connection(self) -> _SMTP | _SMTPS:
        if self._smtp is None:
            self._smtp = self._connect()
            self.connections += 1
        return self._smtp

    def _connect(self) -> _SMTP | _SMTPS:
        s = self.settings
        host = s.host or "localhost"
        where = f"{host}:{s.port} ({s.security})"
        smtp: _SMTP | _SMTPS | None = None
        try:
            if s.security == "ssl":
                smtp = _SMTPS(host, s.port, timeout=s.timeout, context=tls_context())
            else:
                smtp = _SMTP(host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.ehlo()
                    smtp.starttls(context=tls_context())  # refuses if the server cannot
                    smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as error:
            _quit(smtp)
            raise DeliveryError(
                f"the SMTP server {where} refused the user name or password: {_reply(error)}",
                unreachable=True,
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            _quit(smtp)
            raise DeliveryError(
                f"could not connect to the SMTP server {where}: {error}", unreachable=True
            ) from None
        return smtp

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        _quit(smtp)


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}".strip()


def _refusal(error: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(
        f"{address}: {code} {_text(reply)}" for address, (code, reply) in error.recipients.items()
    )


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def envelope(message: Message) -> tuple[str, list[str], bytes]:
    """The sender and recipients of ``message`` (from its headers) and its bytes, lines
    ending in CRLF as SMTP wants (smtplib leaves the line ends of bytes as they are)."""
    sender = parseaddr(str(message["From"]))[1]
    recipients = [address for _, address in getaddresses([str(message["To"])]) if address]
    return sender, recipients, message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


class FileTransport(_Closing):
    """Each message written whole as ``<time>-<random>.eml`` (readable only by its owner)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.connections = 0

    def send(self, message: Message) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{datetime.now(UTC):%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}.eml"
            partial = self.folder / f".{name}.partial"
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(message.as_bytes())
            os.replace(partial, self.folder / name)  # whole or not at all
        except OSError as error:
            raise DeliveryError(
                f"could not write to the outbox {self.folder}: {error}", unreachable=True
            ) from None


def open_transport(settings: MailSettings, outbox: Path) -> SmtpTransport | FileTransport:
    """SMTP when a host is configured, else the outbox folder."""
    return SmtpTransport(settings) if settings.uses_smtp else FileTransport(outbox)
