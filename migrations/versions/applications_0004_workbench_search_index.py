"""The workbench's text search through an index: each case keeps `search_text` (its reference, names and requested
items, one token per character), indexed by an FTS5 table on SQLite and a GIN index on PostgreSQL; existing cases
are filled in. An index on the reference alone for references typed into the search.

Revision ID: applications_0004
Revises: applications_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from disclosure.applications.models import SEARCH_INDEX, search_text_of

revision = "applications_0004"
down_revision = "applications_0003"
branch_labels = None
depends_on = None

BATCH = 2000

applications = sa.table(
    "applications",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("applicant_name", sa.String),
    sa.column("legal_representative", sa.String),
    sa.column("contact_person", sa.String),
    sa.column("search_text", sa.Text),
)
items = sa.table(
    "application_items",
    sa.column("application_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("description", sa.Text),
    sa.column("document_ref", sa.String),
)


def _backfill(conn) -> None:
    """Every existing case's search text, BATCH cases at a time (computed as the model computes it)."""
    last = 0
    update = (
        applications.update()
        .where(applications.c.id == sa.bindparam("case_id"))
        .values(search_text=sa.bindparam("text_value"))
    )
    while True:
        cases = conn.execute(
            sa.select(
                applications.c.id,
                applications.c.reference,
                applications.c.applicant_name,
                applications.c.legal_representative,
                applications.c.contact_person,
            )
            .where(applications.c.id > last)
            .order_by(applications.c.id)
            .limit(BATCH)
        ).all()
        if not cases:
            return
        by_case: dict[int, list[tuple[str, str]]] = {}
        for row in conn.execute(
            sa.select(items.c.application_id, items.c.description, items.c.document_ref)
            .where(items.c.application_id.between(cases[0].id, cases[-1].id))
            .order_by(items.c.application_id, items.c.position)
        ):
            by_case.setdefault(row.application_id, []).append((row.description, row.document_ref))
        conn.execute(
            update,
            [
                {
                    "case_id": c.id,
                    "text_value": search_text_of(
                        c.reference, c.applicant_name, c.legal_representative, c.contact_person, by_case.get(c.id, [])
                    ),
                }
                for c in cases
            ],
        )
        last = cases[-1].id


def upgrade():
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch.create_index("ix_applications_reference", ["reference"], unique=False)
    conn = op.get_bind()
    _backfill(conn)
    SEARCH_INDEX.install(conn)


def downgrade():
    conn = op.get_bind()
    SEARCH_INDEX.drop(conn)
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_reference")
        batch.drop_column("search_text")
