"""publicity: the organs an agency may publish decisions for besides itself (许可机关 / 处罚机关, issue 10).

Revision ID: publicity_0003
Revises: publicity_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "publicity_0003"
down_revision = "publicity_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "publicity_entrusted_organs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("basis", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_publicity_entrusted_organs_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_entrusted_organs")),
        sa.UniqueConstraint(
            "agency_id", "credit_code", name=op.f("uq_publicity_entrusted_organs_agency_id_credit_code")
        ),
    )
    with op.batch_alter_table("publicity_entrusted_organs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publicity_entrusted_organs_agency_id"), ["agency_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("publicity_entrusted_organs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_entrusted_organs_agency_id"))
    op.drop_table("publicity_entrusted_organs")
