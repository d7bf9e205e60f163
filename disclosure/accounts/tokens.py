"""Signed, expiring links for email confirmation and password reset.

A link carries the user's id and a keyed fingerprint (HMAC) of the state the link is meant to change, signed
and timestamped by itsdangerous with a salt per purpose. Nothing in it is a credential: not the session token,
not the password hash. For a reset the state is the password hash (and whether the account is active), so a
link works once and stops working as soon as the password changes by any way; for a confirmation it is the
address and whether it is confirmed, so a link stops working once the address is confirmed.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from disclosure.accounts.models import User
from disclosure.core.errors import DomainError
from disclosure.extensions import db

PURPOSES = {
    "reset": lambda u: (u.password_hash, u.email, u.active),
    "confirm": lambda u: (u.email, u.email_confirmed_at is None),
}


class InvalidLink(DomainError):
    """A confirmation or reset link that is expired, used, or not a link at all. `reason`: 'expired' or
    'invalid'. The views show it on a page of its own (never a redirect back to the same link)."""

    def __init__(self, message, *, reason: str):
        super().__init__(message)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"disclosure.{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    key = secret if isinstance(secret, bytes) else str(secret).encode()
    state = "\x1f".join(str(part) for part in (purpose, user.id, *PURPOSES[purpose](user)))
    return hmac.new(key, f"disclosure.link.{state}".encode(), hashlib.sha256).hexdigest()[:32]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps([user.id, _fingerprint(user, purpose)])


def read_token(token: str, purpose: str, max_age: int) -> tuple[User | None, str | None]:
    """Return (user, None) or (None, reason) with reason 'expired' or 'invalid' (also: already used)."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], int) and isinstance(data[1], str)):
        return None, "invalid"
    user = db.session.get(User, data[0])
    if user is None or not hmac.compare_digest(_fingerprint(user, purpose), data[1]):
        return None, "invalid"
    return user, None
