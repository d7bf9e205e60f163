"""supervision: one head again — the parts' revisions (columns, notices, assessment, appraisal, the figures'
indexes, the standing book, the dashboards' rollups) were written side by side on the branch; nothing changes in
the schema.

Revision ID: supervision_0010
Revises: supervision_0002, supervision_0003, supervision_0004, supervision_0005, supervision_0006,
    supervision_0007, supervision_0008, supervision_0009
"""

revision = "supervision_0010"
down_revision = (
    "supervision_0002",
    "supervision_0003",
    "supervision_0004",
    "supervision_0005",
    "supervision_0006",
    "supervision_0007",
    "supervision_0008",
    "supervision_0009",
)
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
