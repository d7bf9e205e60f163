"""supervision: the standing books (台账) the worker builds, with their progress and file (issue 14 §2)

Revision ID: supervision_0008
Revises: supervision_0001
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

from disclosure.core.models import UTCDateTime

revision = "supervision_0008"
down_revision = "supervision_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "supervision_standing_books",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_supervision_standing_books_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_supervision_standing_books_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_supervision_standing_books_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_standing_books")),
    )
    op.create_index(
        "ix_supervision_standing_books_agency", "supervision_standing_books", ["agency_id", "id"], unique=False
    )


def downgrade():
    op.drop_index("ix_supervision_standing_books_agency", table_name="supervision_standing_books")
    op.drop_table("supervision_standing_books")
