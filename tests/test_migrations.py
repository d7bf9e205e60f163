"""The schema the migrations build is exactly the one the models describe (on SQLite and PostgreSQL)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from disclosure.extensions import db


def test_models_and_migrations_agree(app_ctx):
    with db.engine.connect() as conn:
        from disclosure.extensions import include_name

        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True, "include_name": include_name}
        )
        diff = compare_metadata(ctx, db.metadata)
    assert diff == [], f"write a migration: {diff}"


def test_every_branch_is_applied(app_ctx):
    from alembic.script import ScriptDirectory
    from flask import current_app

    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    with db.engine.connect() as conn:
        applied = set(MigrationContext.configure(conn).get_current_heads())
    assert applied == set(script.get_heads())
