"""Issuing and revoking API tokens. The secret is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import Agency
from disclosure.api.models import SCOPES, ApiToken, hash_token
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db


def issue_token(
    agency: Agency, *, name: str, scopes: list[str], created_by=None, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Name the system that will use this token."), field="name")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise DomainError(_l("Choose at least one valid permission."), field="scopes")
    secret = ApiToken.new_secret()
    token = ApiToken(
        agency_id=agency.id,
        name=name,
        token_hash=hash_token(secret),
        display_prefix=secret[:10],
        scopes=sorted(set(scopes)),
        created_by_id=created_by.id if created_by else None,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    token.log(
        "api_token.issued",
        after={"name": name, "scopes": token.scopes, "prefix": token.display_prefix},
    )
    return token, secret


def revoke_token(token: ApiToken, reason: str | None = None) -> None:
    if token.revoked_at is not None:
        raise DomainError(_l("This token is already revoked."))
    token.revoked_at = utcnow()
    token.log("api_token.revoked", reason=reason)
