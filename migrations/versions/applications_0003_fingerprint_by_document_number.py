"""Requested items with a document number are identified by it (repeats and proactive-disclosure candidates)

Revision ID: applications_0003
Revises: applications_0002
Create Date: 2026-11-23
"""

import hashlib
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "applications_0003"
down_revision = "applications_0002"
branch_labels = None
depends_on = None

items = sa.table(
    "application_items",
    sa.column("id", sa.Integer),
    sa.column("description", sa.Text),
    sa.column("document_ref", sa.String),
    sa.column("fingerprint", sa.String),
)


def _normal(text):
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def _digest(text):
    return hashlib.sha256(_normal(text).encode("utf-8")).hexdigest()


def _recompute(by_reference: bool) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(items.c.id, items.c.description, items.c.document_ref)).all()
    for row in rows:
        if not _normal(row.document_ref):
            continue
        value = _digest(row.document_ref) if by_reference else _digest(f"{row.document_ref} {row.description}")
        conn.execute(items.update().where(items.c.id == row.id).values(fingerprint=value))


def upgrade():
    _recompute(by_reference=True)


def downgrade():
    _recompute(by_reference=False)
