"""supervision: the indexes the requests and double publicity figures read (issue 14 §1).

The figures count per agency over a period in one grouped statement for a whole agency tree
(`applications.oversight`, `publicity.oversight`): requests received in a period (covering: agency, received date,
state), requests concluded in a period (by closing date, or by issue date where no closing date is recorded: both
ranges of one index, covering the state, outcome and due date the counts read), 双公示 records decided in a period
with their timeliness and status (covering, with the id the dashboard's sums count, so they read the index alone),
and records still pending past their due date.

Revision ID: supervision_0006
Revises: supervision_0001
Create Date: 2027-01-12
"""

from alembic import op

revision = "supervision_0006"
down_revision = "supervision_0001"
branch_labels = None
# The tables and columns indexed here are the applications' and publicity's, as their first revisions made them
# (depending on their heads instead would take those heads out of the version table).
depends_on = ("applications_0001", "publicity_0001")

INDEXES = (
    ("ix_applications_agency_received", "applications", ["agency_id", "received_date", "state"]),
    (
        "ix_applications_agency_closed",
        "applications",
        ["agency_id", "closed_date", "issued_date", "state", "outcome", "due_date"],
    ),
    (
        "ix_publicity_records_agency_decided_timeliness",
        "publicity_records",
        ["agency_id", "decision_date", "timeliness", "status", "id"],
    ),
    ("ix_publicity_records_agency_status_due", "publicity_records", ["agency_id", "status", "due_date"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
