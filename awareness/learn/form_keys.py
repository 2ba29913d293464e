"""Keys of the quiz and reading forms the server issues: who may submit them, for what.

A form key is a token signed with the app's secret key. It names the person,
the module, its major and the hash of the exact text shown, and a random
nonce. It needs no storage, so any server accepts a form another issued; the
nonce becomes the attempt's ``submission_key``, whose unique constraint makes
a form submitted twice record one attempt, and seeds the form's shuffle.
"""

from __future__ import annotations

import secrets
from dataclasses import astuple, dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "awareness.learn.form-key"
#: Longer than any key :func:`issue` makes, shorter than anything worth checking a signature of.
MAX_LENGTH = 400
#: Seconds another server's clock may run ahead of this one's.
CLOCK_SKEW = 60
#: Why a key is refused (see :class:`FormKeyError`).
FORGED, EXPIRED, OTHER_PERSON, OTHER_MODULE = "forged", "expired", "other person", "other module"


class FormKeyError(ValueError):
    """A key this server did not issue to this person for this module, or one too old."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FormKey:
    person_id: int
    module_id: int
    major: int
    source_hash: str
    nonce: str


def issue(
    secret_key: str, person_id: int, module_id: int, major: int, source_hash: str
) -> tuple[str, FormKey]:
    """A new signed key for one form shown to one person, and what it names."""
    key = FormKey(person_id, module_id, major, source_hash, secrets.token_hex(16))
    return _serializer(secret_key).dumps(list(astuple(key))), key


def read(
    secret_key: str,
    token: str,
    *,
    person_id: int,
    module_id: int,
    max_age: int,
    now: datetime | None = None,
) -> FormKey:
    """The key ``token`` names, if issued here to ``person_id`` for ``module_id`` at most
    ``max_age`` seconds before ``now``; FormKeyError otherwise."""
    if len(token) > MAX_LENGTH:
        raise FormKeyError(FORGED)
    try:
        values, issued_at = _serializer(secret_key).loads(token, return_timestamp=True)
    except BadSignature as error:
        raise FormKeyError(FORGED) from error
    age = ((now or current_time()) - issued_at).total_seconds()
    if not -CLOCK_SKEW <= age <= max_age:
        raise FormKeyError(EXPIRED)
    key = FormKey(*values)
    if key.person_id != person_id:
        raise FormKeyError(OTHER_PERSON)
    if key.module_id != module_id:
        raise FormKeyError(OTHER_MODULE)
    return key


def current_time() -> datetime:
    return datetime.now(UTC)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)
