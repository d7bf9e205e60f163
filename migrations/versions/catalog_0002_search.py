"""catalog: the public search's index (issue 11 §5): the title's words apart from the body's, the order key
(publication day and id), the published version's classification and issuing organs for the filters, and the
engine's index over both texts (an FTS5 table keyed by the order key on SQLite, GIN indexes on PostgreSQL).
Entries published before this revision are indexed again by `disclosure catalog reindex`.

Revision ID: catalog_0002
Revises: catalog_0001
"""

import sqlalchemy as sa
from alembic import op

from disclosure.catalog.search import SEARCH_INDEX

revision = "catalog_0002"
down_revision = "catalog_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("catalog_entries") as batch:
        batch.add_column(sa.Column("search_title", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("search_key", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("search_counts", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("public_theme_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("public_genre_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("public_category", sa.String(length=20), server_default="", nullable=False))
        batch.add_column(sa.Column("public_doc_kind", sa.String(length=20), server_default="", nullable=False))
        batch.create_index("ix_catalog_entries_search_key", ["search_key"], unique=True)
    op.create_table(
        "catalog_search_issuers",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_catalog_search_issuers_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["catalog_entries.id"], name=op.f("fk_catalog_search_issuers_entry_id_catalog_entries")
        ),
        sa.PrimaryKeyConstraint("entry_id", "agency_id", name=op.f("pk_catalog_search_issuers")),
    )
    with op.batch_alter_table("catalog_search_issuers") as batch:
        batch.create_index(batch.f("ix_catalog_search_issuers_agency_id"), ["agency_id"], unique=False)
    # The old search text had no order key: nothing is indexed until `disclosure catalog reindex`.
    op.execute("UPDATE catalog_entries SET search_text = ''")
    SEARCH_INDEX.install(op.get_bind())


def downgrade():
    SEARCH_INDEX.drop(op.get_bind())
    with op.batch_alter_table("catalog_search_issuers") as batch:
        batch.drop_index(batch.f("ix_catalog_search_issuers_agency_id"))
    op.drop_table("catalog_search_issuers")
    with op.batch_alter_table("catalog_entries") as batch:
        batch.drop_index("ix_catalog_entries_search_key")
        batch.drop_column("public_doc_kind")
        batch.drop_column("public_category")
        batch.drop_column("public_genre_id")
        batch.drop_column("public_theme_id")
        batch.drop_column("search_counts")
        batch.drop_column("search_key")
        batch.drop_column("search_title")
