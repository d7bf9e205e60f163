"""catalog: one head again — the import's tables (catalog_0006) and the search and browsing columns
(catalog_0002, catalog_0012) were written side by side; nothing changes in the schema.

Revision ID: catalog_0013
Revises: catalog_0006, catalog_0012
"""

revision = "catalog_0013"
down_revision = ("catalog_0006", "catalog_0012")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
