"""Signed, expiring tokens for email confirmation and password reset.

A reset token embeds the user's session token, which changes with the password: a link works once.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from disclosure.accounts.models import User
from disclosure.extensions import db


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"disclosure.{purpose}")


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"uid": user.id, "st": user.session_token})


def read_token(token: str, purpose: str, max_age: int) -> tuple[User | None, str | None]:
    """Return (user, None) or (None, reason) with reason 'expired' or 'invalid'."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = db.session.get(User, data.get("uid"))
    if user is None or user.session_token != data.get("st"):
        return None, "invalid"
    return user, None
