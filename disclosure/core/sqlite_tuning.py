"""SQLite settings for the embedded default.

WAL lets readers run beside a writer; a busy timeout makes writers wait instead of failing; every transaction
starts with BEGIN IMMEDIATE so a read-then-write transaction can never hit SQLITE_BUSY half-way (which would
otherwise fail a concurrent submission and break gapless numbering). Foreign keys are enforced.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def install(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # let us issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
