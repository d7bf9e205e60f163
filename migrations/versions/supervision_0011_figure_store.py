"""supervision: the change stamps of the figures kept between requests (issue 14, Benchmarks) — `agency_changes`, to
which triggers on every table the dashboards' figures read (`supervision/figures/watched.py`, `core.changes`)
append, in the writing transaction, one row per agency a change concerns; the dashboards keep each agency's figures
per period while its stamp is unchanged (`supervision/figures/store.py`). One first row for every agency, so that a
database migrated anew never gives a stamp an older one gave.

Revision ID: supervision_0011
Revises: supervision_0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "supervision_0011"
down_revision = "supervision_0010"
branch_labels = None
# The watched tables, as their first revisions made them (depending on a branch's head instead would take that head
# out of the version table: the calendar's and the annual reports' single revisions are left out, and applied
# before this one by `upgrade heads`; `tests/supervision/test_figure_store.py` checks every trigger is in place).
depends_on = ("applications_0001", "publicity_0001", "catalog_0001", "catalog_0002", "participation_0001")


def _changes():
    from disclosure.core import changes
    from disclosure.supervision.figures import watched as _watched  # noqa: F401 - registers the watches

    return changes


def upgrade():
    op.create_table(
        "agency_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_changes")),
    )
    op.create_index("ix_agency_changes_agency_n", "agency_changes", ["agency_id", "n"])
    changes = _changes()
    bind = op.get_bind()
    bind.exec_driver_sql(f"INSERT INTO agency_changes (agency_id, n) SELECT {changes.EVERY_AGENCY}, {changes.random_n(bind.dialect.name)}")
    changes.install(bind)


def downgrade():
    _changes().uninstall(op.get_bind())
    op.drop_index("ix_agency_changes_agency_n", table_name="agency_changes")
    op.drop_table("agency_changes")
