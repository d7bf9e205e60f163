"""The classification lists a new deployment starts with, written by the first catalogue migration (and by
`ensure_classifications` for databases built from the models, as the tests' are)."""

from __future__ import annotations

import sqlalchemy as sa

from disclosure.catalog.classification import DEFAULT_GENRES, DEFAULT_THEMES

_themes = sa.table(
    "catalog_themes",
    sa.column("id", sa.Integer),
    sa.column("parent_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("position", sa.Integer),
    sa.column("active", sa.Boolean),
)
_genres = sa.table(
    "catalog_genres",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("position", sa.Integer),
    sa.column("active", sa.Boolean),
)


def theme_rows() -> list[dict]:
    """Top-level themes first with their ids, then their second levels, in the order of rules-china §8.3."""
    rows, next_id = [], 1
    parents = []
    for position, (name, _children) in enumerate(DEFAULT_THEMES):
        rows.append({"id": next_id, "parent_id": None, "name": name, "position": position, "active": True})
        parents.append(next_id)
        next_id += 1
    for parent_id, (_name, children) in zip(parents, DEFAULT_THEMES, strict=True):
        for position, child in enumerate(children):
            rows.append({"id": next_id, "parent_id": parent_id, "name": child, "position": position, "active": True})
            next_id += 1
    return rows


def genre_rows() -> list[dict]:
    return [{"id": i, "name": n, "position": i, "active": True} for i, n in enumerate(DEFAULT_GENRES, start=1)]


def seed_classifications() -> None:
    """Inside a migration: write the default lists."""
    from alembic import op  # noqa: PLC0415 - alembic's op exists only inside a migration run

    op.bulk_insert(_themes, theme_rows())
    op.bulk_insert(_genres, genre_rows())
    if op.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequences past them
        op.execute("SELECT setval('catalog_themes_id_seq', (SELECT max(id) FROM catalog_themes))")
        op.execute("SELECT setval('catalog_genres_id_seq', (SELECT max(id) FROM catalog_genres))")


def ensure_classifications(session) -> None:
    """Write the default lists into an empty database built from the models (tests, `db.create_all`)."""
    if session.execute(sa.select(sa.func.count()).select_from(_genres)).scalar_one():
        return
    session.execute(_themes.insert(), theme_rows())
    session.execute(_genres.insert(), genre_rows())
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT setval('catalog_themes_id_seq', (SELECT max(id) FROM catalog_themes))"))
        session.execute(sa.text("SELECT setval('catalog_genres_id_seq', (SELECT max(id) FROM catalog_genres))"))
