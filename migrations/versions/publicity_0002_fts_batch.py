"""publicity: bulk imports fill the SQLite full-text index one statement per chunk (the insert trigger can be
paused inside the importing transaction). Nothing changes on PostgreSQL.

Revision ID: publicity_0002
Revises: publicity_0001
"""

from alembic import op

from disclosure.publicity.search import make_fts_pausable

revision = "publicity_0002"
down_revision = "publicity_0001"
branch_labels = None
depends_on = None


def upgrade():
    make_fts_pausable(op.get_bind())


def downgrade():
    make_fts_pausable(op.get_bind(), pausable=False)
