"""supervision: assessment (考核) — indicator sets, assessments, the assessed agencies and their frozen scores
(issue 14 §4).

Revision ID: supervision_0004
Revises: supervision_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "supervision_0004"
down_revision = "supervision_0001"
branch_labels = None
depends_on = None

POINTS = sa.Numeric(precision=6, scale=2)


def upgrade():
    op.create_table(
        "assessment_schemes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(is_default AND agency_id IS NULL) OR (NOT is_default AND agency_id IS NOT NULL)",
            name=op.f("ck_assessment_schemes_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_assessment_schemes_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_schemes")),
        sa.UniqueConstraint("agency_id", name=op.f("uq_assessment_schemes_agency_id")),
    )
    with op.batch_alter_table("assessment_schemes", schema=None) as batch_op:
        batch_op.create_index(
            "uq_assessment_schemes_default",
            ["is_default"],
            unique=True,
            postgresql_where=sa.text("is_default"),
            sqlite_where=sa.text("is_default"),
        )

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("include_own", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("computed_on", sa.Date(), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("period_start <= period_end", name=op.f("ck_assessments_period")),
        sa.CheckConstraint(
            "period_kind IN ('month', 'quarter', 'year', 'custom')", name=op.f("ck_assessments_period_kind")
        ),
        sa.CheckConstraint(
            "state IN ('draft', 'finalised', 'published', 'withdrawn', 'discarded')", name=op.f("ck_assessments_state")
        ),
        sa.CheckConstraint(
            "state NOT IN ('finalised', 'published', 'withdrawn') OR (computed_at IS NOT NULL AND finalised_at IS NOT "
            "NULL)",
            name=op.f("ck_assessments_frozen"),
        ),
        sa.CheckConstraint("state <> 'published' OR published_at IS NOT NULL", name=op.f("ck_assessments_published")),
        sa.CheckConstraint("state <> 'withdrawn' OR withdraw_reason <> ''", name=op.f("ck_assessments_withdrawn")),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_assessments_agency_id_agencies")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_assessments_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_agency_period", ["agency_id", "period_start"], unique=False)
        batch_op.create_index("ix_assessments_state_published", ["state", "published_at"], unique=False)

    op.create_table(
        "assessment_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("total", POINTS, nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_assessment_entries_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_entries_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_entries")),
        sa.UniqueConstraint("assessment_id", "agency_id", name="uq_assessment_entries_agency"),
    )
    with op.batch_alter_table("assessment_entries", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_entries_agency", ["agency_id"], unique=False)

    op.create_table(
        "assessment_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("numerator", sa.Integer(), nullable=True),
        sa.Column("denominator", sa.Integer(), nullable=True),
        sa.Column("percent", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("has_data", sa.Boolean(), nullable=False),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.Column("max_points", POINTS, nullable=False),
        sa.Column("points", POINTS, nullable=True),
        sa.Column("adjusted_points", POINTS, nullable=True),
        sa.Column("adjust_reason", sa.Text(), nullable=False),
        sa.Column("adjusted_by_id", sa.Integer(), nullable=True),
        sa.Column("adjusted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "adjusted_points IS NULL OR adjust_reason <> ''", name=op.f("ck_assessment_scores_adjust_reason")
        ),
        sa.CheckConstraint(
            "max_points >= 0 AND (points IS NULL OR points >= 0)", name=op.f("ck_assessment_scores_points")
        ),
        sa.ForeignKeyConstraint(
            ["adjusted_by_id"], ["users.id"], name=op.f("fk_assessment_scores_adjusted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["assessment_entries.id"],
            name=op.f("fk_assessment_scores_entry_id_assessment_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scores")),
        sa.UniqueConstraint("entry_id", "position", name="uq_assessment_scores_position"),
    )


def downgrade():
    op.drop_table("assessment_scores")
    with op.batch_alter_table("assessment_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_entries_agency")
    op.drop_table("assessment_entries")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_state_published")
        batch_op.drop_index("ix_assessments_agency_period")
    op.drop_table("assessments")
    with op.batch_alter_table("assessment_schemes", schema=None) as batch_op:
        batch_op.drop_index("uq_assessment_schemes_default")
    op.drop_table("assessment_schemes")
