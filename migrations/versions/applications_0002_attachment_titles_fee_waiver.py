"""Attachment titles for the reply letter; the per-agency fee waiver setting

Revision ID: applications_0002
Revises: applications_0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "applications_0002"
down_revision = "applications_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application_attachments") as batch:
        batch.add_column(sa.Column("title", sa.String(length=200), server_default="", nullable=False))
    with op.batch_alter_table("application_settings") as batch:
        batch.add_column(sa.Column("fee_waiver_allowed", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table("application_settings") as batch:
        batch.drop_column("fee_waiver_allowed")
    with op.batch_alter_table("application_attachments") as batch:
        batch.drop_column("title")
