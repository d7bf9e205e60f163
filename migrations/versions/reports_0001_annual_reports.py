"""reports: annual reports on government information disclosure and the agency's report settings (issue 13).

Revision ID: reports_0001
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "reports_0001"
down_revision = "0001_foundation"
branch_labels = ("reports",)
depends_on = None


def upgrade():
    op.create_table(
        "report_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("agency_kind", sa.String(length=20), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("agency_kind IN ('department', 'government')", name=op.f("ck_report_settings_agency_kind")),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_report_settings_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_settings")),
        sa.UniqueConstraint("agency_id", name=op.f("uq_report_settings_agency_id")),
    )
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("overview", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("other_matters", sa.Text(), nullable=False),
        sa.Column("coercion_decisions", sa.Integer(), nullable=True),
        sa.Column("coercion_source", sa.String(length=300), nullable=False),
        sa.Column("fees_yuan", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("fees_source", sa.String(length=300), nullable=False),
        sa.Column("cross_year_explanation", sa.Text(), nullable=False),
        sa.Column("return_comment", sa.Text(), nullable=False),
        sa.Column("correction_reason", sa.Text(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("frozen_numbers", sa.JSON(), nullable=True),
        sa.Column("numbers_sha256", sa.String(length=64), nullable=True),
        sa.Column("pdf_file_id", sa.Integer(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("year BETWEEN 2008 AND 2200", name=op.f("ck_annual_reports_year")),
        sa.CheckConstraint(
            "coercion_decisions IS NULL OR coercion_decisions >= 0", name=op.f("ck_annual_reports_coercion")
        ),
        sa.CheckConstraint("fees_yuan IS NULL OR fees_yuan >= 0", name=op.f("ck_annual_reports_fees")),
        sa.CheckConstraint(
            "state NOT IN ('published', 'superseded') OR (frozen_numbers IS NOT NULL AND numbers_sha256 IS NOT NULL "
            "AND pdf_file_id IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name=op.f("ck_annual_reports_frozen"),
        ),
        sa.CheckConstraint("number = 1 OR supersedes_id IS NOT NULL", name=op.f("ck_annual_reports_correction")),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_annual_reports_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["pdf_file_id"], ["stored_files.id"], name=op.f("fk_annual_reports_pdf_file_id_stored_files")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["annual_reports.id"], name=op.f("fk_annual_reports_supersedes_id_annual_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint("agency_id", "year", "number", name="uq_annual_reports_agency_year_number"),
    )


def downgrade():
    op.drop_table("annual_reports")
    op.drop_table("report_settings")
