"""supervision: notices (督办) — the notices, their items as issued, and their rounds of answers (issue 14 §3).

Revision ID: supervision_0003
Revises: supervision_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "supervision_0003"
down_revision = "supervision_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "supervision_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_agency_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('issued', 'answered', 'closed', 'withdrawn')", name=op.f("ck_supervision_notices_state")
        ),
        sa.CheckConstraint("serial >= 1 AND round_number >= 1", name=op.f("ck_supervision_notices_positive")),
        sa.CheckConstraint(
            "state <> 'closed' OR (closed_on IS NOT NULL AND closed_by_id IS NOT NULL)",
            name=op.f("ck_supervision_notices_closed"),
        ),
        sa.CheckConstraint(
            "state <> 'withdrawn' OR withdrawn_on IS NOT NULL", name=op.f("ck_supervision_notices_withdrawn")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_supervision_notices_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_supervision_notices_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["users.id"], name=op.f("fk_supervision_notices_issued_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["issuer_agency_id"], ["agencies.id"], name=op.f("fk_supervision_notices_issuer_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_notices")),
        sa.UniqueConstraint(
            "issuer_agency_id", "year", "serial", name="uq_supervision_notices_issuer_year_serial"
        ),
    )
    op.create_index(
        "ix_supervision_notices_agency_state_due", "supervision_notices", ["agency_id", "state", "due_on"]
    )
    op.create_index("ix_supervision_notices_issuer", "supervision_notices", ["issuer_agency_id", "id"])
    op.create_table(
        "supervision_notice_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["supervision_notices.id"],
            name=op.f("fk_supervision_notice_items_notice_id_supervision_notices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_notice_items")),
        sa.UniqueConstraint("notice_id", "position", name="uq_supervision_notice_items_position"),
    )
    op.create_table(
        "supervision_notice_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("item_answers", sa.JSON(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("attachment_name", sa.String(length=255), nullable=False),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "answered_on IS NULL OR (answered_at IS NOT NULL AND answered_by_id IS NOT NULL)",
            name=op.f("ck_supervision_notice_rounds_answered"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_supervision_notice_rounds_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["stored_files.id"],
            name=op.f("fk_supervision_notice_rounds_attachment_id_stored_files"),
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["users.id"], name=op.f("fk_supervision_notice_rounds_issued_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["supervision_notices.id"],
            name=op.f("fk_supervision_notice_rounds_notice_id_supervision_notices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_notice_rounds")),
        sa.UniqueConstraint("notice_id", "number", name="uq_supervision_notice_rounds_number"),
    )
    op.create_index(
        "ix_supervision_notice_rounds_answered_on", "supervision_notice_rounds", ["answered_on"]
    )


def downgrade():
    op.drop_index("ix_supervision_notice_rounds_answered_on", table_name="supervision_notice_rounds")
    op.drop_table("supervision_notice_rounds")
    op.drop_table("supervision_notice_items")
    op.drop_index("ix_supervision_notices_issuer", table_name="supervision_notices")
    op.drop_index("ix_supervision_notices_agency_state_due", table_name="supervision_notices")
    op.drop_table("supervision_notices")
