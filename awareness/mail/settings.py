"""Mail settings (docs/configuration.md), checked when the application starts."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

SECURITY = ("starttls", "ssl", "none")
#: The port when ``AWARENESS_SMTP_PORT`` is unset: submission, or SMTPS for implicit TLS.
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 587}

#: Configuration defaults for mail; ``load_config`` adds them before reading the environment.
DEFAULTS: dict[str, Any] = {
    "BASE_URL": None,
    "SMTP_HOST": None,
    "SMTP_PORT": None,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_SECURITY": "starttls",
    "SMTP_TIMEOUT": 30,
    "MAIL_FROM": None,
    "REMINDER_DAYS": 7,
    "OUTBOX_DIR": None,  # default: instance/outbox
    "PASSWORD_RESET_LIMIT_ADDRESS": "5 per hour",
    "PASSWORD_RESET_LIMIT_CLIENT": "20 per hour",
}


class MailConfigError(RuntimeError):
    """A mail setting is missing or wrong; the message says which and what to set."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int
    security: str
    user: str | None
    password: str | None
    timeout: float
    sender: str

    @property
    def uses_smtp(self) -> bool:
        """Whether messages go to an SMTP server (else they are written to the outbox)."""
        return bool(self.host)


def check(config: MutableMapping[str, Any]) -> None:
    """Normalise the mail settings in ``config`` in place; raise :class:`MailConfigError`."""
    security = str(config.get("SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SECURITY:
        raise MailConfigError(
            f"AWARENESS_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}"
        )
    config["SMTP_SECURITY"] = security
    port = config.get("SMTP_PORT")
    config["SMTP_PORT"] = (
        DEFAULT_PORTS[security] if port in (None, "") else _number("AWARENESS_SMTP_PORT", port)
    )
    if not 1 <= config["SMTP_PORT"] <= 65535:
        raise MailConfigError(f"AWARENESS_SMTP_PORT must be 1 to 65535, not {port!r}")
    config["REMINDER_DAYS"] = _number("AWARENESS_REMINDER_DAYS", config.get("REMINDER_DAYS"))
    if config["REMINDER_DAYS"] < 1:
        raise MailConfigError("AWARENESS_REMINDER_DAYS must be 1 or more")
    if config.get("BASE_URL"):
        config["BASE_URL"] = base_url_checked(str(config["BASE_URL"]))
    elif config.get("SMTP_HOST"):
        raise MailConfigError(
            "AWARENESS_SMTP_HOST is set but AWARENESS_BASE_URL is not: set it to the address "
            "people use to reach the site (e.g. https://awareness.example.org), which every "
            "link in an email starts with"
        )
    if config.get("MAIL_FROM"):
        _name, address = parseaddr(str(config["MAIL_FROM"]))
        if "@" not in address or any(c in str(config["MAIL_FROM"]) for c in "\r\n"):
            raise MailConfigError(
                "AWARENESS_MAIL_FROM must be an email address, e.g. "
                f"'Awareness <awareness@example.org>', not {config['MAIL_FROM']!r}"
            )


def base_url_checked(url: str) -> str:
    """``url`` without a trailing slash, if it is an http(s) address with no query or fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise MailConfigError(
            "AWARENESS_BASE_URL must be the address people use to reach the site, such as "
            f"https://awareness.example.org, not {url!r}"
        )
    return url.strip().rstrip("/")


def settings(config: Mapping[str, Any]) -> MailSettings:
    """The transport settings of a checked configuration."""
    return MailSettings(
        host=(config.get("SMTP_HOST") or "").strip() or None,
        port=int(config["SMTP_PORT"]),
        security=config["SMTP_SECURITY"],
        user=config.get("SMTP_USER") or None,
        password=config.get("SMTP_PASSWORD") or None,
        timeout=float(config.get("SMTP_TIMEOUT") or 30),
        sender=sender(config),
    )


def sender(config: Mapping[str, Any]) -> str:
    """``AWARENESS_MAIL_FROM``, else ``Awareness <noreply@HOST>`` for the site's host."""
    if config.get("MAIL_FROM"):
        return str(config["MAIL_FROM"]).strip()
    host = urlsplit(config.get("BASE_URL") or "").hostname or "localhost"
    return str(Address("Awareness", "noreply", host))


def _number(variable: str, value: Any) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise MailConfigError(f"{variable} must be a whole number, not {text!r}")
    return int(text)
