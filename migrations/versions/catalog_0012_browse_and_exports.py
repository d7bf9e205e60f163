"""catalog: indexes for the public platform's browse lists (issue 11 §5): the published version's category, theme
and genre (the columns the search keeps on the entry), each with the order key, so a list of 200,000 entries is
read newest first along an index and stops at the page; and the Art. 25 exports built in the background.

Revision ID: catalog_0012
Revises: catalog_0002 (the columns indexed here)
"""

import sqlalchemy as sa
from alembic import op

from disclosure.core.models import UTCDateTime

revision = "catalog_0012"
down_revision = "catalog_0002"
branch_labels = None
depends_on = None

NAMES = ("category", "theme_id", "genre_id")


def upgrade():
    for name in NAMES:
        op.create_index(f"ix_catalog_entries_browse_{name}", "catalog_entries", [f"public_{name}", "search_key"])
    op.create_table(
        "catalog_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total_entries", sa.Integer(), nullable=False),
        sa.Column("processed_entries", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_catalog_exports_agency_id_agencies")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_catalog_exports_created_by_id_users")),
        sa.ForeignKeyConstraint(["file_id"], ["stored_files.id"], name=op.f("fk_catalog_exports_file_id_stored_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_exports")),
    )
    op.create_index(op.f("ix_catalog_exports_agency_id"), "catalog_exports", ["agency_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_catalog_exports_agency_id"), table_name="catalog_exports")
    op.drop_table("catalog_exports")
    for name in NAMES:
        op.drop_index(f"ix_catalog_entries_browse_{name}", table_name="catalog_entries")
