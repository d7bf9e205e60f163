"""supervision: column-update monitoring (栏目更新) — the deployment's default class and gap per column, an agency's
own column settings, and the 国办秘函〔2019〕19号 thresholds (issue 14 §1); and the index the monitor reads each
column's last update from (`catalog.column_activity`: per agency and category, the newest publication key, one seek
per column of an agency whatever the size of the catalogue).

Revision ID: supervision_0002
Revises: supervision_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "supervision_0002"
down_revision = "supervision_0001"
branch_labels = None
# The catalogue's entries gain their public category and order key in catalog_0002 (depending on the catalogue's
# head instead would take that head out of the version table).
depends_on = ("catalog_0002",)


def upgrade():
    op.create_index(
        "ix_catalog_entries_agency_column", "catalog_entries", ["agency_id", "public_category", "search_key"]
    )
    op.create_table(
        "supervision_column_defaults",
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("update_class", sa.String(length=20), nullable=False),
        sa.Column("max_gap_days", sa.Integer(), nullable=True),
        sa.CheckConstraint("max_gap_days IS NULL OR max_gap_days > 0", name=op.f("ck_supervision_column_defaults_gap")),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_supervision_column_defaults")),
    )
    op.create_table(
        "supervision_column_settings",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("update_class", sa.String(length=20), nullable=False),
        sa.Column("max_gap_days", sa.Integer(), nullable=True),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.CheckConstraint("max_gap_days IS NULL OR max_gap_days > 0", name=op.f("ck_supervision_column_settings_gap")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_supervision_column_settings_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("agency_id", "category", name=op.f("pk_supervision_column_settings")),
    )
    op.create_table(
        "supervision_column_thresholds",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_supervision_column_thresholds")),
    )


def downgrade():
    op.drop_table("supervision_column_thresholds")
    op.drop_table("supervision_column_settings")
    op.drop_table("supervision_column_defaults")
    op.drop_index("ix_catalog_entries_agency_column", table_name="catalog_entries")
