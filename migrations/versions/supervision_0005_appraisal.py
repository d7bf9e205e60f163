"""supervision: public appraisal (社会评议, issue 14 §4) — each agency's survey setting, the anonymous survey
responses (the Beijing day, the overall score, an optional comment, a keyed hash of the address with the day and
the agency; no name, contact, account or address) and their aspect answers.

Revision ID: supervision_0005
Revises: supervision_0001
Create Date: 2026-12-20
"""

import sqlalchemy as sa
from alembic import op

revision = "supervision_0005"
down_revision = "supervision_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "supervision_appraisal_settings",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("survey_open", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_supervision_appraisal_settings_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_supervision_appraisal_settings")),
    )
    op.create_table(
        "supervision_survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("overall", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("submission_key", sa.String(length=40), nullable=True),
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name=op.f("ck_supervision_survey_responses_overall_scale")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_supervision_survey_responses_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_survey_responses")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_supervision_survey_responses_submission_key")),
    )
    with op.batch_alter_table("supervision_survey_responses") as batch:
        batch.create_index(
            "ix_supervision_survey_responses_agency_day", ["agency_id", "submitted_on", "client_hash"], unique=False
        )
    op.create_table(
        "supervision_survey_answers",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=20), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_supervision_survey_answers_score_scale")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["supervision_survey_responses.id"],
            name=op.f("fk_supervision_survey_answers_response_id_supervision_survey_responses"),
        ),
        sa.PrimaryKeyConstraint("response_id", "question", name=op.f("pk_supervision_survey_answers")),
    )


def downgrade():
    op.drop_table("supervision_survey_answers")
    with op.batch_alter_table("supervision_survey_responses") as batch:
        batch.drop_index("ix_supervision_survey_responses_agency_day")
    op.drop_table("supervision_survey_responses")
    op.drop_table("supervision_appraisal_settings")
