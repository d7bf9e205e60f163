"""SQLite settings for the embedded default.

WAL lets readers run beside a writer; a busy timeout makes writers wait for each other instead of failing;
foreign keys are enforced. A transaction that will write starts with BEGIN IMMEDIATE (it takes the write lock
up front, so it can never fail half-way with SQLITE_BUSY when upgrading a read lock — which would otherwise lose
a concurrent submission or break gapless numbering). Which transactions write: those of non-GET requests, and
those inside `immediate()` (commands, jobs, tests that write from threads). Reads use a plain BEGIN and never
block anybody.
"""

from __future__ import annotations

import contextlib
import contextvars

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

_force_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar("sqlite_immediate", default=False)


@contextlib.contextmanager
def immediate():
    """Transactions begun inside this block take SQLite's write lock at BEGIN (no-op on PostgreSQL)."""
    token = _force_immediate.set(True)
    try:
        yield
    finally:
        _force_immediate.reset(token)


def _wants_write_lock() -> bool:
    if _force_immediate.get():
        return True
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


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
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")
