"""Sign-in rate limits: too many failures answer 429 until the window moves on.

Only failed sign-ins count (Flask-Limiter's ``deduct_when``), and every limit
is checked before the password is, so a locked account refuses even the right
password. A try from a browser with a valid device cookie for the account
(see :mod:`awareness.auth.devices`) counts against that cookie only; any other
try counts against the account and against the client address. The counters
live in the limiter's storage: Redis when ``AWARENESS_RATELIMIT_STORAGE`` is
set, shared by every server, else this process's memory.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from flask import current_app, g, request, url_for
from werkzeug.wrappers import Response

from awareness.auth import devices
from awareness.extensions import limiter

log = logging.getLogger(__name__)


def failure_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def attempted_email() -> str:
    return request.form.get("email", "").strip().lower()


def device_nonce() -> str | None:
    """The nonce of this browser's device cookie when it is valid for the account tried."""
    if "device_nonce" not in g:
        cookie = request.cookies.get(devices.COOKIE)
        g.device_nonce = devices.nonce_for(
            current_app.config["SECRET_KEY"], cookie, attempted_email()
        )
    return g.device_nonce


def from_trusted_device() -> bool:
    return device_nonce() is not None


def record_failure() -> None:
    """Count this request as a failed sign-in (logged without the password)."""
    g.sign_in_failed = True
    log.info(
        "sign-in failed for %r from %s%s",
        attempted_email()[:254],
        request.remote_addr,
        " (trusted device)" if from_trusted_device() else "",
    )


def trust_this_device(response: Response, email: str) -> None:
    """Give the browser a device cookie for ``email``'s account (after a successful sign-in)."""
    response.set_cookie(
        devices.COOKIE,
        devices.issue(current_app.config["SECRET_KEY"], email),
        max_age=int(devices.LIFETIME.total_seconds()),
        path=url_for("auth.login"),
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )


def seconds_until_retry() -> int:
    """After a 429: how long until every breached limit has room for another try."""
    breached = [limit for limit in limiter.current_limits if limit.breached]
    reset = max((limit.reset_at for limit in breached), default=time.time() + 60)
    return max(1, math.ceil(reset - time.time()))


def _failed(response: Response) -> bool:
    return g.get("sign_in_failed", False)


def _account() -> str:
    return "account:" + devices.account_id(attempted_email())


def _address() -> str:
    return f"address:{request.remote_addr}"


def _device() -> str:
    return f"device:{device_nonce()}"


def _limit(key: Callable[[], str], exempt: Callable[[], bool]):
    return limiter.limit(
        failure_limit, key_func=key, exempt_when=exempt, deduct_when=_failed, methods=["POST"]
    )


by_account = _limit(_account, lambda: from_trusted_device() or not attempted_email())
by_address = _limit(_address, from_trusted_device)
by_device = _limit(_device, lambda: not from_trusted_device())


def limited(view: Callable) -> Callable:
    """Apply the three failure limits to the sign-in view."""
    return by_account(by_address(by_device(view)))
