"""catalog: the public search's words stored as text-search vectors on PostgreSQL (issue 11 §5). The GIN indexes
of catalog_0002 were built over `to_tsvector(search_title)` and `to_tsvector(search_text)`: the index found its
candidates, but every check of a row (a phrase, the rows read along the order key) computed the vector of an 8 KB
text again. Each text now keeps its vector in a column (`search_title_vector`, `search_text_vector`), filled by a
trigger whenever the text is written, with a GIN index on it; the expression indexes go. Nothing changes on SQLite
(the FTS5 table of catalog_0002 stays).

Revision ID: catalog_0014
Revises: catalog_0013
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "catalog_0014"
down_revision = "catalog_0013"
branch_labels = None
depends_on = None

COLUMNS = (("search_title_vector", "search_title"), ("search_text_vector", "search_text"))
OLD_INDEXES = (("ix_catalog_entries_search_title", "search_title"), ("ix_catalog_entries_search_text", "search_text"))


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _col in OLD_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for vector, _source in COLUMNS:
        op.add_column("catalog_entries", sa.Column(vector, postgresql.TSVECTOR(), nullable=True))
    op.execute(
        "UPDATE catalog_entries SET "
        + ", ".join(f"{vector} = to_tsvector('simple'::regconfig, {source})" for vector, source in COLUMNS)
    )
    for vector, source in COLUMNS:
        op.execute(
            f"CREATE TRIGGER catalog_entries_{vector} BEFORE INSERT OR UPDATE OF {source} ON catalog_entries "
            f"FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger({vector}, 'pg_catalog.simple', {source})"
        )
        op.create_index(f"ix_catalog_entries_{vector}", "catalog_entries", [vector], postgresql_using="gin")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for vector, _source in COLUMNS:
        op.drop_index(f"ix_catalog_entries_{vector}", table_name="catalog_entries")
        op.execute(f"DROP TRIGGER IF EXISTS catalog_entries_{vector} ON catalog_entries")
        op.drop_column("catalog_entries", vector)
    for name, col in OLD_INDEXES:
        op.execute(f"CREATE INDEX {name} ON catalog_entries USING gin (to_tsvector('simple'::regconfig, {col}))")
