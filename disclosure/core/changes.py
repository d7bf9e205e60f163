"""A change stamp per agency kept by the database itself, exact at every commit (issue 14, Benchmarks: figures
computed once may be kept between writes only if nothing they count has changed since).

A package that keeps something computed from rows of several tables (the supervision dashboards' figures, kept per
agency and period by `supervision.figures.store`) declares which agencies a row of each of those tables concerns
(`Watch`: SQL over the row, as `core.rollups` declares its parts), and `install` writes triggers from the
declarations, so that every INSERT, UPDATE and DELETE of a watched table — by an operation, a bulk import, a sweep or
by hand — appends to `agency_changes`, in the same transaction, one row per agency it concerns. Agency 0 stands for
every agency (a change of the calendar or of a deployment-wide setting).

The stamp of an agency (`stamps`) is the sum of `n` over its rows and agency 0's; each row's `n` is a random
positive number, so every commit that concerns an agency makes its stamp strictly larger — a stamp read twice is
equal only if nothing was committed for that agency in between — and a database emptied or restored under a
running process gives stamps it has not seen (the chance of meeting an old one is about 2⁻³⁰). Writers only ever
append: two writing transactions never share a row (no lock waits, no deadlocks). `compact` sums each agency's rows
into one, which leaves every stamp as it was (the worker does it with the rollups' compaction).

Limits, as for the rollups: a TRUNCATE is not seen; an SQLite table rebuilt by a migration ("batch" recreate) loses
its triggers (`tests/supervision/test_figure_store.py` checks they are in place after the migrations; `install`
writes them again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import BigInteger, Index, Integer, func, select
from sqlalchemy.orm import Mapped, mapped_column

from disclosure.core import triggers
from disclosure.core.idlists import in_ids
from disclosure.extensions import db

EVERY_AGENCY = 0
CHUNK = 5000  # agency ids per statement


class AgencyChange(db.Model):
    """Changes committed that concern an agency (0: every agency); appended by the triggers, summed by `compact`."""

    __tablename__ = "agency_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, nullable=False)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (Index("ix_agency_changes_agency_n", "agency_id", "n"),)


@dataclass(frozen=True)
class Who:
    """Agencies a row concerns, as SQL in which `{r}` is the row: `agency` over the row and the FROM items
    `tables`, where `where` holds (NULL agencies are left out)."""

    agency: str
    tables: str = ""
    where: str = "1 = 1"


@dataclass(frozen=True)
class Watch:
    """A table whose every change concerns the agencies `who` names (of the old row and of the new one)."""

    table: str
    who: tuple[Who, ...]


WATCHES: dict[str, Watch] = {}


def watch(*watches: Watch) -> None:
    """Declare tables to watch; a table declared twice concerns the agencies of both declarations."""
    for w in watches:
        before = WATCHES.get(w.table)
        if before is not None:
            w = Watch(w.table, (*before.who, *(x for x in w.who if x not in before.who)))
        WATCHES[w.table] = w
        table = db.metadata.tables.get(w.table)
        if table is not None:
            # Rows deleted table by table in reverse order of dependency (a test's cleanup) leave no change behind.
            table.add_is_dependent_on(AgencyChange.__table__)


def random_n(dialect: str) -> str:
    """A random positive number below 2³⁰ + 1."""
    if dialect == "postgresql":
        return "(floor(random() * 1073741824)::bigint + 1)"
    return "(abs(random()) % 1073741824 + 1)"


def _agencies(w: Watch, row: str, from_row: str | None) -> str:
    selects = []
    for who in w.who:
        froms = ", ".join(f for f in (from_row, who.tables) if f)
        sql = f"SELECT {who.agency} AS agency_id{f' FROM {froms}' if froms else ''} WHERE {who.where}"  # noqa: S608
        selects.append(sql.replace("{r}", row))
    return " UNION ".join(selects)


def _insert(dialect: str, agencies: str) -> str:
    return (
        f"INSERT INTO agency_changes (agency_id, n) SELECT agency_id, {random_n(dialect)} "  # noqa: S608 - declared SQL
        f"FROM ({agencies}) concerned WHERE agency_id IS NOT NULL"
    )


def trigger_names() -> dict[str, list[str]]:
    """{table: the names of its triggers}."""
    return {t: [f"changes_{t}_{event}" for event in ("insert", "update", "delete")] for t in WATCHES}


def _sqlite_triggers(w: Watch) -> list[str]:
    t = w.table
    new, old = _agencies(w, "NEW", None), _agencies(w, "OLD", None)
    return [
        f"CREATE TRIGGER changes_{t}_insert AFTER INSERT ON {t} BEGIN {_insert('sqlite', new)}; END",
        f"CREATE TRIGGER changes_{t}_delete AFTER DELETE ON {t} BEGIN {_insert('sqlite', old)}; END",
        f"CREATE TRIGGER changes_{t}_update AFTER UPDATE ON {t} BEGIN {_insert('sqlite', f'{new} UNION {old}')}; END",
    ]


def _postgresql_triggers(w: Watch) -> list[str]:
    t = w.table
    new, old = _agencies(w, "r", "new_rows r"), _agencies(w, "r", "old_rows r")
    function = (
        f"CREATE OR REPLACE FUNCTION changes_{t}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  IF TG_OP = 'INSERT' THEN\n    {_insert('postgresql', new)};\n"
        f"  ELSIF TG_OP = 'DELETE' THEN\n    {_insert('postgresql', old)};\n"
        f"  ELSE\n    {_insert('postgresql', f'{new} UNION {old}')};\n"
        "  END IF;\n  RETURN NULL;\nEND\n$$"
    )
    each = "FOR EACH STATEMENT EXECUTE FUNCTION"
    return [
        function,
        f"CREATE TRIGGER changes_{t}_insert AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows {each} changes_{t}()",
        f"CREATE TRIGGER changes_{t}_update AFTER UPDATE ON {t} REFERENCING OLD TABLE AS old_rows "
        f"NEW TABLE AS new_rows {each} changes_{t}()",
        f"CREATE TRIGGER changes_{t}_delete AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows {each} changes_{t}()",
    ]


def install(bind) -> None:
    """(Re)write the triggers of every watched table on this connection."""
    uninstall(bind)
    for w in WATCHES.values():
        for statement in (_postgresql_triggers if bind.dialect.name == "postgresql" else _sqlite_triggers)(w):
            bind.exec_driver_sql(statement)


def uninstall(bind) -> None:
    triggers.drop(bind, trigger_names(), "changes_")


def installed(bind) -> set[str]:
    """The change triggers present in the database."""
    return triggers.present(bind, "changes_")


def stamps(agency_ids: Iterable[int]) -> dict[int, int]:
    """{agency: its stamp} in this transaction's snapshot: the sum of its changes and of every agency's (0 when
    nothing was ever recorded)."""
    ids = sorted({int(a) for a in agency_ids})
    summed: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = [EVERY_AGENCY, *ids[start : start + CHUNK]]
        summed.update(
            db.session.execute(
                select(AgencyChange.agency_id, func.sum(AgencyChange.n))
                .where(in_ids(AgencyChange.agency_id, chunk))
                .group_by(AgencyChange.agency_id)
            ).all()
        )
    every = int(summed.get(EVERY_AGENCY) or 0)
    return {a: int(summed.get(a) or 0) + every for a in ids}


def compact(bind=None) -> int:
    """Sum each agency's rows into one (the stamps stay as they were); returns how many rows were summed. Safe to
    run concurrently with writers: only the rows this transaction sees are summed, in one statement."""
    bind = bind if bind is not None else db.session.connection()
    last = bind.exec_driver_sql("SELECT max(id) FROM agency_changes").scalar()
    if last is None:
        return 0
    if bind.dialect.name == "postgresql":
        moved = bind.exec_driver_sql(
            "WITH moved AS (DELETE FROM agency_changes WHERE id <= %(last)s RETURNING agency_id, n), "
            "summed AS (INSERT INTO agency_changes (agency_id, n) SELECT agency_id, sum(n) FROM moved "
            "GROUP BY agency_id RETURNING 1) SELECT (SELECT count(*) FROM moved)",
            {"last": last},
        ).scalar()
    else:
        # One writer at a time on SQLite: the sums and the deletion see the same rows.
        bind.exec_driver_sql(
            "INSERT INTO agency_changes (agency_id, n) SELECT agency_id, sum(n) FROM agency_changes "
            "WHERE id <= ? GROUP BY agency_id",
            (last,),
        )
        moved = bind.exec_driver_sql("DELETE FROM agency_changes WHERE id <= ?", (last,)).rowcount
    return int(moved or 0)
