"""supervision: the dashboards at 500 agencies and millions of records (issue 14, Benchmarks) — counts per agency and
month kept by the database (`core.rollups`): requests received and concluded, the applicants' ratings, 双公示 sums,
catalogue first publications, changed versions and Art. 26 judgements (with their sums per calendar year), each kept
exact at every commit by triggers on the source tables, filled from the rows already there; and the indexes the
"now" figures read alone: the open cases by due date, the pending 双公示 records by due date, the policy documents
with their ids, the public interpretations, and a version's attribute by its id.

Revision ID: supervision_0009
Revises: supervision_0001
Create Date: 2027-01-14
"""

import sqlalchemy as sa
from alembic import op

revision = "supervision_0009"
down_revision = "supervision_0001"
branch_labels = None
# The source tables and the columns the triggers read, as their first revisions made them (depending on their
# heads instead would take those heads out of the version table).
depends_on = ("applications_0001", "publicity_0001", "catalog_0001")

COUNTS = ("n", "s1", "s2", "s3", "s4", "s5", "s6")
# (name, table, columns, partial index condition or None), the conditions as the queries write them.
OPEN = (
    "state IN ('approved', 'assigned', 'consulting', 'fee_notified', 'in_handling', 'legal_review', 'office_review', "
    "'registered', 'reply_drafted', 'supplementation_requested')"
)
INDEXES = (
    ("ix_applications_open_due", "applications", ["agency_id", "due_date", "deadline_status", "state"], OPEN),
    (
        "ix_publicity_records_pending_due",
        "publicity_records",
        ["agency_id", "due_date", "timeliness", "status"],
        "status = 'pending'",
    ),
    (
        "ix_catalog_entries_policy_ids",
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
            "id",
            "doc_kind",
        ],
        "doc_kind IN ('regulation', 'normative')",
    ),
    (
        "ix_catalog_entries_interpretations_read",
        "catalog_entries",
        [
            "agency_id",
            "first_published_on",
            "withdrawn_at",
            "published_version_id",
            "entry_type",
            "index_number",
            "title",
        ],
        "entry_type = 'interpretation'",
    ),
    ("ix_catalog_entries_id_column", "catalog_entries", ["id", "search_key", "public_category"], None),
    (
        "ix_catalog_entries_policy_by_id",
        "catalog_entries",
        [
            "id",
            "entry_type",
            "attribute",
            "withdrawn_at",
            "published_version_id",
            "first_published_on",
            "agency_id",
            "doc_kind",
        ],
        "doc_kind IN ('regulation', 'normative')",
    ),
    (
        "ix_catalog_entries_public_interpretations",
        "catalog_entries",
        ["id", "published_version_id", "entry_type", "withdrawn_at"],
        "entry_type = 'interpretation' AND withdrawn_at IS NULL",
    ),
    ("ix_catalog_versions_id_attribute", "catalog_versions", ["id", "attribute"], None),
)


def _sources():
    """The rollups the packages declare, registered when their oversight modules are imported."""
    from disclosure.applications import oversight as _applications  # noqa: F401
    from disclosure.applications.ratings import ROLLUPS as _ratings  # noqa: F401
    from disclosure.catalog import oversight as _catalog  # noqa: F401
    from disclosure.core import rollups
    from disclosure.publicity import oversight as _publicity  # noqa: F401

    return rollups


def upgrade():
    op.create_table(
        "rollup_months",
        sa.Column("rollup", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("k1", sa.String(length=40), nullable=False),
        sa.Column("k2", sa.String(length=10), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS),
        sa.PrimaryKeyConstraint("rollup", "agency_id", "month", "k1", "k2", name=op.f("pk_rollup_months")),
    )
    op.create_table(
        "rollup_years",
        sa.Column("rollup", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("k1", sa.String(length=40), nullable=False),
        sa.Column("k2", sa.String(length=10), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS),
        sa.PrimaryKeyConstraint("rollup", "agency_id", "year", "k1", "k2", name=op.f("pk_rollup_years")),
    )
    op.create_table(
        "rollup_deltas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rollup", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("k1", sa.String(length=40), nullable=False),
        sa.Column("k2", sa.String(length=10), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_deltas")),
    )
    op.create_index("ix_rollup_deltas_rollup_agency_month", "rollup_deltas", ["rollup", "agency_id", "month"])
    for name, table, columns, where in INDEXES:
        partial = {} if where is None else {"postgresql_where": sa.text(where), "sqlite_where": sa.text(where)}
        op.create_index(name, table, columns, **partial)
    rollups = _sources()
    bind = op.get_bind()
    rollups.install(bind)
    rollups.rebuild(bind)


def downgrade():
    rollups = _sources()
    rollups.uninstall(op.get_bind())
    for name, table, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_rollup_deltas_rollup_agency_month", table_name="rollup_deltas")
    op.drop_table("rollup_deltas")
    op.drop_table("rollup_years")
    op.drop_table("rollup_months")
