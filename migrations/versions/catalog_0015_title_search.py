"""catalog: the public search's titles in an FTS5 table of their own on SQLite (issue 11 §5, search at 200,000
entries). A title query in the FTS5 table of both texts reads the whole position list of its units, body
occurrences included (for a common pair, every entry's), and relevance read each candidate's counts from the
entry's row, behind its body and search text. `catalog_titles_fts` holds the title units alone and `catalog_titles_fts_counts`
the counts, both keyed by the order key, kept by triggers and filled from the entries already indexed.
Nothing changes on PostgreSQL, which keeps the title's vector apart (catalog_0014).

Revision ID: catalog_0015
Revises: catalog_0014
"""

from alembic import op

from disclosure.catalog.search import TITLE_INDEX

revision = "catalog_0015"
down_revision = "catalog_0014"
branch_labels = None
depends_on = None


def upgrade():
    TITLE_INDEX.install(op.get_bind())


def downgrade():
    TITLE_INDEX.drop(op.get_bind())
