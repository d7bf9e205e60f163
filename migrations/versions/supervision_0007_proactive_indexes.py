"""supervision: the indexes the proactive-disclosure and consultation figures read (issue 14 §1).

The figures count per agency over a period in one grouped statement for a whole agency tree
(`catalog.oversight`, `participation.oversight`): first publications and current publications by agency and day,
the policy documents of an agency (规章 / 行政规范性文件: interpretations missing, evaluation due), the joint
issuers of an agency (a joint document counts for each issuer), changed versions published in a period, and the
comments an agency received in a period.

Revision ID: supervision_0007
Revises: supervision_0001
Create Date: 2027-01-12
"""

from alembic import op

revision = "supervision_0007"
down_revision = "supervision_0001"
branch_labels = None
# The tables and columns indexed here are the catalogue's and participation's, as their first revisions made them
# (depending on their heads instead would take those heads out of the version table).
depends_on = ("catalog_0001", "participation_0001")

INDEXES = (
    ("ix_catalog_entries_agency_first_published", "catalog_entries", ["agency_id", "first_published_on"]),
    ("ix_catalog_entries_agency_published", "catalog_entries", ["agency_id", "published_on"]),
    ("ix_catalog_entries_kind_agency", "catalog_entries", ["doc_kind", "agency_id"]),
    ("ix_catalog_entry_issuers_joint", "catalog_entry_issuers", ["lead", "agency_id"]),
    ("ix_catalog_versions_published_on", "catalog_versions", ["published_on"]),
    ("ix_participation_comments_agency_received", "participation_comments", ["agency_id", "received_on"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
