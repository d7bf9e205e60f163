"""The request ledger import (依申请公开台账, issue 13 §2): import runs with their progress, and the ledger rows
imported (the office's 申请编号, the case each became, the digest of its values)

Revision ID: applications_0005
Revises: applications_0004
Create Date: 2026-12-20
"""

import sqlalchemy as sa
from alembic import op

from disclosure.core.models import UTCDateTime

revision = "applications_0005"
down_revision = "applications_0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application_ledger_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("open_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors_preview", sa.JSON(), nullable=False),
        sa.Column("error_file_id", sa.Integer(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_application_ledger_imports_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_application_ledger_imports_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["error_file_id"],
            ["stored_files.id"],
            name=op.f("fk_application_ledger_imports_error_file_id_stored_files"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_application_ledger_imports_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_ledger_imports")),
    )
    op.create_index(
        op.f("ix_application_ledger_imports_agency_id"), "application_ledger_imports", ["agency_id"], unique=False
    )
    op.create_table(
        "application_ledger_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("ledger_ref", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_application_ledger_rows_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_ledger_rows_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["application_ledger_imports.id"],
            name=op.f("fk_application_ledger_rows_import_id_application_ledger_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_ledger_rows")),
        sa.UniqueConstraint("agency_id", "ledger_ref", name="uq_application_ledger_rows_ref"),
        sa.UniqueConstraint("application_id", name=op.f("uq_application_ledger_rows_application_id")),
    )
    op.create_index(
        op.f("ix_application_ledger_rows_import_id"), "application_ledger_rows", ["import_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_application_ledger_rows_import_id"), table_name="application_ledger_rows")
    op.drop_table("application_ledger_rows")
    op.drop_index(op.f("ix_application_ledger_imports_agency_id"), table_name="application_ledger_imports")
    op.drop_table("application_ledger_imports")
