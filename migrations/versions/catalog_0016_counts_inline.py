"""catalog: the relevance counts kept uncompressed in the entry's row on PostgreSQL (issue 11 §5, search at 200,000
entries). A public entry's row holds `search_counts` (about 1.8 KB: the pairs its body repeats, with their counts)
beside the pointers to its texts and vectors, which live in TOAST. At the default `toast_tuple_target` (2,032 bytes)
such a row is still too long, so PostgreSQL compressed the counts with pglz, and relevance decompressed them for every
candidate it scored: reading the counts of the 788 matches of 质量规范 took 14.5 ms compressed, 8.7 ms uncompressed
(the statement alone, at 200,000 entries, measured).
With the target at 4,080 bytes the long texts still go to TOAST and the counts stay in the row as written.
Rows already written keep their compressed counts until they are written again (published anew, or reindexed with
new counts): writing every row again here took 12.6 minutes at 200,000 entries and doubled the GIN indexes until they
were rebuilt (measured), for a few milliseconds a search. Nothing changes on SQLite, which keeps the counts in their
own table (catalog_0015).

Revision ID: catalog_0016
Revises: catalog_0015
"""

from alembic import op

revision = "catalog_0016"
down_revision = "catalog_0015"
branch_labels = None
depends_on = None

TARGET = 4080  # bytes: a row of the counts (about 1.8 KB) and the other short columns stays whole


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE catalog_entries SET (toast_tuple_target = {TARGET})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE catalog_entries RESET (toast_tuple_target)")
