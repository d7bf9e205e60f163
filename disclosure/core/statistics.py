"""PostgreSQL's planner statistics of a table that an import grows (from empty, say): planned from statistics that
still say "a few rows", a chunk's look-ups read every row of the agency instead of probing their unique index, and
each chunk costs more than the last. `GrowingTable.grew_to(n)` runs ANALYZE (tens of milliseconds) when n new rows
reach 1,000, then 10,000, then 100,000 … Nothing on SQLite; skipped quietly where the user may not analyse the
table."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from disclosure.extensions import db

FIRST = 1000  # new rows after which the statistics are refreshed (then ×10)


class GrowingTable:
    """One import's table: `table` is a table name, optionally with the columns to analyse, `"t (a, b)"` (our own
    names, never input)."""

    def __init__(self, table: str):
        self.table = table
        self.next = FIRST

    def grew_to(self, created: int) -> None:
        """`created` rows are new since the import began: refresh the statistics at each tenfold step."""
        if created < self.next or db.session.get_bind().dialect.name != "postgresql":
            return
        self.next *= 10
        try:
            with db.session.begin_nested():
                db.session.execute(text(f"ANALYZE {self.table}"))
        except DBAPIError:  # pragma: no cover - only without the table's MAINTAIN privilege
            pass
