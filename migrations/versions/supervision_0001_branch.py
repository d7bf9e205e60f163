"""supervision: the root of the supervision branch (issue 14); each part's tables follow in its own revision.

Revision ID: supervision_0001
Revises: 0001_foundation
"""

revision = "supervision_0001"
down_revision = "0001_foundation"
branch_labels = ("supervision",)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
