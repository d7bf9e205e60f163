"""publicity: decision numbers compared in one normalised form (decision_key, issue 10), so that 示政办罚[2026]13号
finds and updates 示政办罚〔2026〕13号; existing records are backfilled with disclosure.core.docnumbers.

Revision ID: publicity_0004
Revises: publicity_0003
"""

import sqlalchemy as sa
from alembic import op

from disclosure.core.docnumbers import normalise_document_number

revision = "publicity_0004"
down_revision = "publicity_0003"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    # Added in place (no table copy: SQLite's batch mode would drop the full-text triggers of the table).
    op.add_column(
        "publicity_records", sa.Column("decision_key", sa.String(length=128), nullable=False, server_default="")
    )
    backfill(op.get_bind())
    op.drop_index("ix_publicity_records_decision_no", table_name="publicity_records")
    op.create_index("ix_publicity_records_decision_key", "publicity_records", ["decision_key"], unique=False)


def backfill(conn) -> None:
    """Every stored record's key from its number, in batches of BATCH rows."""
    records = sa.table("publicity_records", sa.column("id", sa.Integer), sa.column("decision_no", sa.String))
    key = sa.table("publicity_records", sa.column("id", sa.Integer), sa.column("decision_key", sa.String))
    update = key.update().where(key.c.id == sa.bindparam("rid")).values(decision_key=sa.bindparam("dkey"))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(records.c.id, records.c.decision_no)
            .where(records.c.id > last)
            .order_by(records.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(update, [{"rid": rid, "dkey": normalise_document_number(no)} for rid, no in rows])
        last = rows[-1][0]


def downgrade():
    op.drop_index("ix_publicity_records_decision_key", table_name="publicity_records")
    op.create_index("ix_publicity_records_decision_no", "publicity_records", ["decision_no"], unique=False)
    with op.batch_alter_table("publicity_records", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("decision_key")
