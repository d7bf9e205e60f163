"""participation: the staff moderation list of a consultation with tens of thousands of comments (issue 12).

An index per filter (article, moderation, channel, answer, comments without an answer, duplicates), beginning with
the consultation and ending with the id, so a filtered page is read newest first along its index and counted from
it (the article's index of participation_0001 gains the id). The text search goes through an index: each comment
keeps `search_text` (its body, one token per character, core.textsearch), indexed by an FTS5 table on SQLite and a
GIN index on PostgreSQL; existing comments are filled in.

Revision ID: participation_0002
Revises: participation_0001
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

from disclosure.core.textsearch import index_text
from disclosure.participation.models import SEARCH_INDEX, UNANSWERED

revision = "participation_0002"
down_revision = "participation_0001"
branch_labels = None
depends_on = None

BATCH = 2000

comments = sa.table("participation_comments", sa.column("id", sa.Integer), sa.column("body", sa.Text))
INDEXES = {
    "ix_participation_comments_article": ["consultation_id", "article", "id"],
    "ix_participation_comments_moderation": ["consultation_id", "moderation", "id"],
    "ix_participation_comments_channel": ["consultation_id", "channel", "id"],
    "ix_participation_comments_result": ["consultation_id", "result", "id"],
    "ix_participation_comments_duplicate_of": ["duplicate_of_id"],
}


def _backfill(conn) -> None:
    """Every existing comment's search text, BATCH comments at a time."""
    last = 0
    update = sa.text("UPDATE participation_comments SET search_text = :text_value WHERE id = :comment_id")
    while True:
        rows = conn.execute(
            sa.select(comments.c.id, comments.c.body).where(comments.c.id > last).order_by(comments.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        conn.execute(update, [{"comment_id": r.id, "text_value": index_text(r.body)} for r in rows])
        last = rows[-1].id


def upgrade():
    with op.batch_alter_table("participation_comments") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch.drop_index("ix_participation_comments_consultation_article")  # the article's index gains the id
        for name, columns in INDEXES.items():
            batch.create_index(name, columns, unique=False)
        batch.create_index(
            "ix_participation_comments_unanswered",
            ["consultation_id", "id", "group_id"],
            unique=False,
            postgresql_where=sa.text(UNANSWERED),
            sqlite_where=sa.text(UNANSWERED),
        )
    conn = op.get_bind()
    _backfill(conn)
    SEARCH_INDEX.install(conn)


def downgrade():
    SEARCH_INDEX.drop(op.get_bind())
    with op.batch_alter_table("participation_comments") as batch:
        batch.drop_index("ix_participation_comments_unanswered")
        for name in INDEXES:
            batch.drop_index(name)
        batch.create_index(
            "ix_participation_comments_consultation_article", ["consultation_id", "article"], unique=False
        )
        batch.drop_column("search_text")
