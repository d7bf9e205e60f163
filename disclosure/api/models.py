"""API tokens: one per business system or portal, scoped to an agency and to named permissions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.accounts.models import Agency
from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

TOKEN_PREFIX = "dsc_"  # noqa: S105 - a public marker that makes leaked tokens recognisable, not a secret

# Scopes a token may hold; each package checks the one it needs.
SCOPES = {
    "applications:write": "File applications on behalf of applicants (POST /api/v1/applications)",
    "applications:read": "Read the state of applications (GET /api/v1/applications/<reference>)",
    "publicity:write": "Push licensing and penalty decisions (POST /api/v1/publicity/...)",
    "catalog:write": "Push documents to the catalogue as drafts (POST /api/v1/catalog/entries)",
}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(Audited, TimestampMixin, db.Model):
    __tablename__ = "api_tokens"
    audit_type = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    scopes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    agency: Mapped[Agency] = relationship()

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def usable(self) -> bool:
        now = utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])
