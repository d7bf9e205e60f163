"""supervision: the indexes the proactive-disclosure and consultation figures read (issue 14 §1).

The figures count per agency over a period in one grouped statement for a whole agency tree
(`catalog.oversight`, `participation.oversight`), each from an index that holds what it reads: first publications,
and current publications with their Art. 26 judgement (and the entries being prepared past their due date), by
agency and day; changed versions published in a period; the comments an agency received in a period. Partial
indexes hold the few rows some figures read among all: the policy documents (规章 / 行政规范性文件: interpretations
missing, evaluation due), the interpretations, and the joint issuers (a joint document counts for each issuer, the
lead being the entry's own agency).

Revision ID: supervision_0007
Revises: supervision_0001
Create Date: 2027-01-12
"""

import sqlalchemy as sa
from alembic import op

revision = "supervision_0007"
down_revision = "supervision_0001"
branch_labels = None
# The tables and columns indexed here are the catalogue's and participation's, as their first revisions made them
# (depending on their heads instead would take those heads out of the version table).
depends_on = ("catalog_0001", "participation_0001")

INDEXES = (
    ("ix_catalog_entries_agency_first_published", "catalog_entries", ["agency_id", "first_published_on", "attribute"]),
    (
        "ix_catalog_entries_agency_state_published",
        "catalog_entries",
        ["agency_id", "state", "published_on", "attribute", "due_on"],
    ),
    ("ix_catalog_versions_changes", "catalog_versions", ["published_on", "revision", "attribute", "entry_id"]),
    ("ix_participation_comments_agency_received", "participation_comments", ["agency_id", "received_on"]),
)
# Partial indexes: (name, table, columns, condition per database), the conditions as the queries write them.
POLICY = "doc_kind IN ('regulation', 'normative')"
INTERPRETATION = "entry_type = 'interpretation'"
PARTIAL = (
    (
        "ix_catalog_entries_policy",
        "catalog_entries",
        [
            "agency_id",
            "first_published_on",
            "entry_type",
            "attribute",
            "withdrawn_at",
            "published_version_id",
            "validity",
            "valid_until",
        ],
        {"postgresql": POLICY, "sqlite": POLICY},
    ),
    (
        "ix_catalog_entries_interpretations",
        "catalog_entries",
        ["agency_id", "first_published_on", "withdrawn_at", "published_version_id"],
        {"postgresql": INTERPRETATION, "sqlite": INTERPRETATION},
    ),
    (
        "ix_catalog_entry_issuers_joint",
        "catalog_entry_issuers",
        ["agency_id", "entry_id"],
        {"postgresql": "lead = false", "sqlite": "lead = 0"},
    ),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, table, columns, where in PARTIAL:
        op.create_index(
            name,
            table,
            columns,
            postgresql_where=sa.text(where["postgresql"]),
            sqlite_where=sa.text(where["sqlite"]),
        )


def downgrade():
    for name, table, _columns, _where in reversed(PARTIAL):
        op.drop_index(name, table_name=table)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
