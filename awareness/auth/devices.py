"""Device cookies (OWASP's defence against sign-in lockout abuse).

After a successful sign-in the browser gets a signed cookie that names the
account (by a hash of its email) and carries a random nonce. A sign-in
attempt that presents a valid device cookie for the account it tries comes
from a browser the account's owner used before: its failures count against
that cookie alone, not against the account or the client address. So
whoever fails ten times at an account locks out strangers to it, never its
owner on their own browser, nor colleagues behind the same address.

The cookie signs nobody in: a stolen one earns ten tries per window at one
account, which is what anyone gets anyway.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "awareness_device"
LIFETIME = timedelta(days=365)
SALT = "awareness.auth.device-cookie"


def account_id(email: str) -> str:
    """A stable, non-reversible name for the account ``email`` signs in to."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def issue(secret_key: str, email: str) -> str:
    """A new device cookie value for ``email``'s account."""
    return _serializer(secret_key).dumps({"a": account_id(email), "n": secrets.token_urlsafe(16)})


def nonce_for(secret_key: str, value: str | None, email: str) -> str | None:
    """The nonce of the device cookie ``value`` when it is valid for ``email``'s account."""
    if not value or not email:
        return None
    try:
        data = _serializer(secret_key).loads(value, max_age=int(LIFETIME.total_seconds()))
    except BadData:  # forged, damaged or expired
        return None
    if not isinstance(data, dict) or data.get("a") != account_id(email):
        return None
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and nonce else None


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)
