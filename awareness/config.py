"""Configuration: defaults, then ``instance/config.py``, then the environment."""

from __future__ import annotations

import os
import secrets
import zoneinfo
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytz
from flask import Flask

from awareness.mail import settings as mail_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variables (docs/configuration.md) and the config keys they set.
ENVIRONMENT = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "AWARENESS_CONTENT_DIR": "CONTENT_DIR",
    "SECRET_KEY": "SECRET_KEY",
    "AWARENESS_RATELIMIT_STORAGE": "RATELIMIT_STORAGE_URI",
    "AWARENESS_SESSION_IDLE_MINUTES": "SESSION_IDLE_MINUTES",
    "AWARENESS_TIMEZONE": "TIMEZONE",
    "AWARENESS_BASE_URL": "BASE_URL",
    "AWARENESS_SMTP_HOST": "SMTP_HOST",
    "AWARENESS_SMTP_PORT": "SMTP_PORT",
    "AWARENESS_SMTP_USER": "SMTP_USER",
    "AWARENESS_SMTP_PASSWORD": "SMTP_PASSWORD",
    "AWARENESS_SMTP_SECURITY": "SMTP_SECURITY",
    "AWARENESS_MAIL_FROM": "MAIL_FROM",
    "AWARENESS_REMINDER_DAYS": "REMINDER_DAYS",
}

#: "Keep me signed in" lasts this long from sign-in, however active the person is.
REMEMBER_DURATION = timedelta(days=14)

SECRET_KEY_FILE = "secret_key"


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, the instance folder, the environment and overrides."""
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'awareness.db'}",
        CONTENT_DIR=str(PROJECT_ROOT / "content"),
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_STRATEGY="moving-window",
        LOGIN_FAILURE_LIMIT="10 per 15 minutes",
        SESSION_IDLE_MINUTES=120,
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        LANGUAGES=["en", "ur"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=REMEMBER_DURATION,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        PEOPLE_IMPORT_MAX_CONTENT_LENGTH=16 * 1024 * 1024,  # the upload of /admin/people/import
        FORM_KEY_MAX_AGE=24 * 3600,  # seconds a quiz or reading form may be submitted in
        TIMEZONE="UTC",
        ATTENDANCE_CODE_LIMIT="10 per 15 minutes",  # wrong attendance codes per person
        **mail_settings.DEFAULTS,
    )
    app.config.from_pyfile("config.py", silent=True)
    for variable, key in ENVIRONMENT.items():
        if os.environ.get(variable):
            app.config[key] = os.environ[variable]
    app.config["TRUSTED_PROXIES"] = _whole_number("AWARENESS_TRUSTED_PROXIES")
    if os.environ.get("AWARENESS_SECURE_COOKIES", "").lower() in ("1", "true", "yes"):
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    if overrides:
        app.config.update(overrides)
    app.config["SESSION_IDLE_MINUTES"] = _minutes(
        "AWARENESS_SESSION_IDLE_MINUTES", app.config["SESSION_IDLE_MINUTES"]
    )
    app.config["TIMEZONE"] = time_zone(app.config["TIMEZONE"])
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    mail_settings.check(app.config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def _whole_number(variable: str) -> int:
    value = os.environ.get(variable, "0").strip() or "0"
    if not (value.isascii() and value.isdigit()):
        raise RuntimeError(
            f"{variable} must be a whole number (the proxies in front), not {value!r}"
        )
    return int(value)


def _minutes(variable: str, value: Any) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise RuntimeError(
            f"{variable} must be a whole number of minutes (1 or more), not {text!r}"
        )
    return int(text)


def time_zone(name: Any) -> str:
    """The organisation's time zone name (``AWARENESS_TIMEZONE``), checked: times are shown in it.

    Forms take times in it too; the database keeps UTC.
    """
    text = str(name).strip()
    try:
        zoneinfo.ZoneInfo(text)
        pytz.timezone(text)  # what Flask-Babel formats with
    except (ValueError, zoneinfo.ZoneInfoNotFoundError, pytz.UnknownTimeZoneError):
        raise RuntimeError(
            f"AWARENESS_TIMEZONE must be a time zone name such as Asia/Karachi or UTC, not {text!r}"
        ) from None
    return text


def engine_options(url: str) -> dict[str, Any]:
    """Engine settings that suit the database behind ``url``."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def instance_secret_key(instance: Path) -> str:
    """Read the secret key kept in the instance folder, creating it on first start.

    The key is written to a temporary file and linked into place, so several
    workers starting together agree on one complete key.
    """
    path = instance / SECRET_KEY_FILE
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        temporary = instance / f".{SECRET_KEY_FILE}.{os.getpid()}"
        temporary.write_text(secrets.token_hex(32) + "\n")
        temporary.chmod(0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY.")
    return key
