"""supervision: the dashboards at 500 agencies and millions of records (issue 14, Benchmarks) — counts per agency and
month kept by the database (`core.rollups`): requests received and concluded, 双公示 sums, catalogue first
publications, changed versions and Art. 26 judgements, each kept exact at every commit by triggers on the source
tables, filled from the rows already there.

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


def _sources():
    """The rollups the packages declare, registered when their oversight modules are imported."""
    from disclosure.applications import oversight as _applications  # noqa: F401
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
    rollups = _sources()
    bind = op.get_bind()
    rollups.install(bind)
    rollups.rebuild(bind)


def downgrade():
    rollups = _sources()
    rollups.uninstall(op.get_bind())
    op.drop_index("ix_rollup_deltas_rollup_agency_month", table_name="rollup_deltas")
    op.drop_table("rollup_deltas")
    op.drop_table("rollup_months")
