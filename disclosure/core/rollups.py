"""Counts per agency and calendar month kept by the database itself, exact at every commit (issue 14, Benchmarks:
the supervision dashboards over 500 agencies and millions of records, a year's figures in a few milliseconds).

A rollup counts the rows of a source table per agency and month under a condition, with up to two key columns and
six sums (`Part`: SQL over the row). The packages that own the rows declare their rollups (`Source`, registered by
`register`, e.g. `applications.oversight`); `install` writes triggers from them so that every INSERT, UPDATE and
DELETE of a source table — by an operation, a bulk import, a sweep or by hand — appends to `rollup_deltas`, in the
same transaction, the change it makes to the counts: the new rows' contributions minus the old rows'. A reader
(`gather`) sums `rollup_months` and the deltas not yet compacted in one statement, so it reads exactly what a
GROUP BY over the source rows gives in the same snapshot. `compact` moves the deltas into `rollup_months` (the
worker does every ten minutes; `disclosure.core.tasks`); `rebuild` counts everything again from the sources
(after restoring part of a backup); `verify` compares the two.

Writers only ever append deltas: two writing transactions never share a row, so the rollups add no lock waits and
no deadlocks. PostgreSQL runs one statement-level trigger per statement with its transition tables (one grouped
insert however many rows the statement changed); SQLite, with one writer at a time, row triggers.

A period is read as its whole months from the rollup and its partial months at either end from the source rows
(`split`), by the very conditions of the live count, which the tests hold the rollups to.

Limits: a TRUNCATE of a source table is not seen (the application never truncates; run `rebuild` after one);
rebuilding an SQLite table in a migration (a "batch" recreate) drops its triggers — `tests/supervision/
test_rollups.py` checks that every trigger is in place after the migrations, then `install` writes them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Date, Index, Integer, String, event, func, select, union_all
from sqlalchemy.orm import Mapped, Session, mapped_column

from disclosure.core import triggers
from disclosure.core.idlists import in_ids
from disclosure.extensions import db

SUMS = 6
KEY = ("rollup", "agency_id", "month", "k1", "k2")
COUNTS = ("n", *(f"s{i}" for i in range(1, SUMS + 1)))
CHUNK = 5000  # agency ids per statement (twice in it: months and deltas)


class _Counts:
    """The counts every rollup row carries: the row count `n` and the sums `s1`…`s6` (COUNTS)."""

    n: Mapped[int] = mapped_column(Integer, nullable=False)
    s1: Mapped[int] = mapped_column(Integer, nullable=False)
    s2: Mapped[int] = mapped_column(Integer, nullable=False)
    s3: Mapped[int] = mapped_column(Integer, nullable=False)
    s4: Mapped[int] = mapped_column(Integer, nullable=False)
    s5: Mapped[int] = mapped_column(Integer, nullable=False)
    s6: Mapped[int] = mapped_column(Integer, nullable=False)


class RollupMonth(_Counts, db.Model):
    """A rollup's counts of one agency in one month (and key), compacted."""

    __tablename__ = "rollup_months"

    rollup: Mapped[str] = mapped_column(String(40), primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # the month's first day
    k1: Mapped[str] = mapped_column(String(40), primary_key=True)
    k2: Mapped[str] = mapped_column(String(10), primary_key=True)


class RollupYear(_Counts, db.Model):
    """A rollup's counts of one agency in one calendar year (and key): the sum of its months, kept with them by
    `compact` and `rebuild`, so a whole year is read as one row per agency and key instead of twelve."""

    __tablename__ = "rollup_years"

    rollup: Mapped[str] = mapped_column(String(40), primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    k1: Mapped[str] = mapped_column(String(40), primary_key=True)
    k2: Mapped[str] = mapped_column(String(10), primary_key=True)


class RollupDelta(_Counts, db.Model):
    """A change of a rollup's counts not yet compacted (appended by the triggers, never updated)."""

    __tablename__ = "rollup_deltas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rollup: Mapped[str] = mapped_column(String(40), nullable=False)
    agency_id: Mapped[int] = mapped_column(Integer, nullable=False)
    month: Mapped[dt.date] = mapped_column(Date, nullable=False)
    k1: Mapped[str] = mapped_column(String(40), nullable=False)
    k2: Mapped[str] = mapped_column(String(10), nullable=False)

    __table_args__ = (Index("ix_rollup_deltas_rollup_agency_month", "rollup", "agency_id", "month"),)


# --- Declaring rollups ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """What one row of a source table adds to a rollup, as SQL in which `{r}` is the row: the agency it counts
    for, the day whose month holds it, up to two keys and six sums (each 0 or 1), when `where` holds. `tables` are
    further tables the expressions read (FROM items, joined by `where`). A row may add to several agencies (a joint
    document for each issuer): `tables` then yields one result row per agency. `rebuild=False` for a part that only
    keeps the rollup right when this table changes, the rollup being counted from another table's part."""

    rollup: str
    agency: str
    day: str | dict[str, str]  # SQL, or SQL per database ({"postgresql": …, "sqlite": …})
    where: str
    sums: tuple[str, ...] = ()
    k1: str = "''"
    k2: str = "''"
    tables: str = ""
    rebuild: bool = True


@dataclass(frozen=True)
class Source:
    """A table and what each of its rows adds to the rollups. `columns`: those whose change can change a
    contribution (SQLite's triggers fire on an UPDATE of them only)."""

    table: str
    parts: tuple[Part, ...]
    columns: tuple[str, ...]


SOURCES: dict[str, Source] = {}


def register(*sources: Source) -> None:
    """Declare what rows of these tables add to the rollups; a table declared twice (by two modules) has the parts
    and columns of both."""
    for source in sources:
        before = SOURCES.get(source.table)
        if before is not None:
            parts = (*before.parts, *(p for p in source.parts if p not in before.parts))
            columns = (*before.columns, *(c for c in source.columns if c not in before.columns))
            source = Source(source.table, parts, columns)
        SOURCES[source.table] = source
        table = db.metadata.tables.get(source.table)
        if table is not None:
            # Rows deleted table by table in reverse order of dependency (a test's cleanup) leave no delta behind.
            table.add_is_dependent_on(RollupDelta.__table__)
            table.add_is_dependent_on(RollupMonth.__table__)
            table.add_is_dependent_on(RollupYear.__table__)


def rollups() -> set[str]:
    return {p.rollup for s in SOURCES.values() for p in s.parts}


def _month(dialect: str, day: str) -> str:
    if dialect == "postgresql":
        return f"(({day}) - (extract(day from ({day}))::int - 1))"
    return f"date({day}, 'start of month')"


def _select(part: Part, dialect: str, row: str, sign: int, from_row: str | None) -> str:
    day = part.day if isinstance(part.day, str) else part.day[dialect]
    sums = [*part.sums, *(["0"] * (SUMS - len(part.sums)))]
    columns = [
        f"'{part.rollup}' AS rollup",
        f"{part.agency} AS agency_id",
        f"{_month(dialect, day)} AS month",
        f"{part.k1} AS k1",
        f"{part.k2} AS k2",
        f"{sign} AS n",
        *(f"{sign} * ({s}) AS s{i}" for i, s in enumerate(sums, start=1)),
    ]
    froms = ", ".join(f for f in (from_row, part.tables) if f)
    sql = f"SELECT {', '.join(columns)}{f' FROM {froms}' if froms else ''}"  # noqa: S608 - declared SQL, no input
    return f"{sql} WHERE ({day}) IS NOT NULL AND {part.where}".replace("{r}", row)


def _grouped(selects: list[str]) -> str:
    """The contributions summed per key, net-zero keys left out."""
    sums = ", ".join(f"sum({c})" for c in COUNTS)
    nonzero = " OR ".join(f"sum({c}) <> 0" for c in COUNTS)
    keys = ", ".join(KEY)
    union = " UNION ALL ".join(selects)
    return f"SELECT {keys}, {sums} FROM ({union}) contributions GROUP BY {keys} HAVING {nonzero}"  # noqa: S608


def _insert(body: str) -> str:
    return f"INSERT INTO rollup_deltas ({', '.join((*KEY, *COUNTS))}) {body}"


# --- Triggers ---------------------------------------------------------------------------------------------------------


def trigger_names() -> dict[str, list[str]]:
    """{table: the names of its triggers}."""
    return {t: [f"rollup_{t}_{event}" for event in ("insert", "update", "delete")] for t in SOURCES}


def _sqlite_triggers(source: Source) -> list[str]:
    t = source.table

    def rows(row: str, sign: int) -> list[str]:
        return [_select(p, "sqlite", row, sign, None) for p in source.parts]

    # A row inserted or deleted adds ±1 to each contribution it has: written as they are (a row trigger sees one
    # row; grouping them would only cost). An update writes the difference, grouped, the keys that cancel left out.
    inserted, deleted = " UNION ALL ".join(rows("NEW", 1)), " UNION ALL ".join(rows("OLD", -1))
    return [
        f"CREATE TRIGGER rollup_{t}_insert AFTER INSERT ON {t} BEGIN {_insert(inserted)}; END",
        f"CREATE TRIGGER rollup_{t}_delete AFTER DELETE ON {t} BEGIN {_insert(deleted)}; END",
        f"CREATE TRIGGER rollup_{t}_update AFTER UPDATE OF {', '.join(source.columns)} ON {t} "
        f"BEGIN {_insert(_grouped(rows('NEW', 1) + rows('OLD', -1)))}; END",
    ]


def _postgresql_triggers(source: Source) -> list[str]:
    t = source.table

    def rows(table: str, sign: int) -> list[str]:
        return [_select(p, "postgresql", "r", sign, f"{table} r") for p in source.parts]

    function = (
        f"CREATE OR REPLACE FUNCTION rollup_{t}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  IF TG_OP = 'INSERT' THEN\n    {_insert(_grouped(rows('new_rows', 1)))};\n"
        f"  ELSIF TG_OP = 'DELETE' THEN\n    {_insert(_grouped(rows('old_rows', -1)))};\n"
        f"  ELSE\n    {_insert(_grouped(rows('new_rows', 1) + rows('old_rows', -1)))};\n"
        "  END IF;\n  RETURN NULL;\nEND\n$$"
    )
    each = "FOR EACH STATEMENT EXECUTE FUNCTION"
    return [
        function,
        f"CREATE TRIGGER rollup_{t}_insert AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows {each} rollup_{t}()",
        f"CREATE TRIGGER rollup_{t}_update AFTER UPDATE ON {t} REFERENCING OLD TABLE AS old_rows "
        f"NEW TABLE AS new_rows {each} rollup_{t}()",
        f"CREATE TRIGGER rollup_{t}_delete AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows {each} rollup_{t}()",
    ]


def install(bind) -> None:
    """(Re)write the triggers of every registered source on this connection."""
    uninstall(bind)
    dialect = bind.dialect.name
    for source in SOURCES.values():
        for statement in (_postgresql_triggers if dialect == "postgresql" else _sqlite_triggers)(source):
            bind.exec_driver_sql(statement)


def uninstall(bind) -> None:
    triggers.drop(bind, trigger_names(), "rollup_")


def installed(bind) -> set[str]:
    """The rollup triggers present in the database."""
    return triggers.present(bind, "rollup_")


# --- Counting again, compacting -----------------------------------------------------------------------------------


def _recount_sql(dialect: str) -> str:
    """Every rollup counted from its source rows: the parts that count it (`Part.rebuild`), over whole tables."""
    selects = [_select(p, dialect, "r", 1, f"{s.table} r") for s in SOURCES.values() for p in s.parts if p.rebuild]
    return _grouped(selects)


def _year_of(dialect: str, month: str) -> str:
    return (
        f"CAST(extract(year from {month}) AS INTEGER)"
        if dialect == "postgresql"
        else f"CAST(strftime('%Y', {month}) AS INTEGER)"
    )


YEAR_KEY = ("rollup", "agency_id", "year", "k1", "k2")


def rebuild(bind=None) -> None:
    """Count every rollup again from the source rows, months then years; the deltas are dropped (they are in the
    count)."""
    bind = bind if bind is not None else db.session.connection()
    for table in ("rollup_deltas", "rollup_months", "rollup_years"):
        bind.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - the module's own tables
    if SOURCES:
        columns, counts = ", ".join((*KEY, *COUNTS)), ", ".join(COUNTS)
        bind.exec_driver_sql(f"INSERT INTO rollup_months ({columns}) {_recount_sql(bind.dialect.name)}")
        year, sums = _year_of(bind.dialect.name, "month"), ", ".join(f"sum({c})" for c in COUNTS)
        bind.exec_driver_sql(
            f"INSERT INTO rollup_years ({', '.join(YEAR_KEY)}, {counts}) SELECT rollup, agency_id, {year}, k1, k2, "  # noqa: S608
            f"{sums} FROM rollup_months GROUP BY rollup, agency_id, {year}, k1, k2"
        )


def compact(bind=None) -> int:
    """Move the deltas into the months and the years; returns how many were moved. Safe to run concurrently: each
    delta is moved by the one transaction that deletes it."""
    bind = bind if bind is not None else db.session.connection()
    last = bind.exec_driver_sql("SELECT max(id) FROM rollup_deltas").scalar()
    if last is None:
        return 0
    dialect = bind.dialect.name
    keys, year_keys, counts = ", ".join(KEY), ", ".join(YEAR_KEY), ", ".join(COUNTS)
    sums = ", ".join(f"sum({c})" for c in COUNTS)
    year = _year_of(dialect, "month")
    by_year = f"rollup, agency_id, {year}, k1, k2"

    def upsert(table: str, key: str) -> str:
        added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTS)
        return f"ON CONFLICT ({key}) DO UPDATE SET {added}"

    if dialect == "postgresql":
        moved = bind.exec_driver_sql(
            f"WITH moved AS (DELETE FROM rollup_deltas WHERE id <= %(last)s RETURNING {keys}, {counts}), "  # noqa: S608
            f"months AS (INSERT INTO rollup_months ({keys}, {counts}) SELECT {keys}, {sums} FROM moved "
            f"GROUP BY {keys} {upsert('rollup_months', keys)} RETURNING 1), "
            f"years AS (INSERT INTO rollup_years ({year_keys}, {counts}) SELECT {by_year}, {sums} FROM moved "
            f"GROUP BY {by_year} {upsert('rollup_years', year_keys)} RETURNING 1) "
            "SELECT (SELECT count(*) FROM moved)",
            {"last": last},
        ).scalar()
    else:
        bind.exec_driver_sql(
            f"INSERT INTO rollup_months ({keys}, {counts}) SELECT {keys}, {sums} FROM rollup_deltas "  # noqa: S608
            f"WHERE id <= ? GROUP BY {keys} {upsert('rollup_months', keys)}",
            (last,),
        )
        bind.exec_driver_sql(
            f"INSERT INTO rollup_years ({year_keys}, {counts}) SELECT {by_year}, {sums} FROM rollup_deltas "  # noqa: S608
            f"WHERE id <= ? GROUP BY {by_year} {upsert('rollup_years', year_keys)}",
            (last,),
        )
        moved = bind.exec_driver_sql("DELETE FROM rollup_deltas WHERE id <= ?", (last,)).rowcount
    zero = " AND ".join(f"{c} = 0" for c in COUNTS)
    for table in ("rollup_months", "rollup_years"):
        bind.exec_driver_sql(f"DELETE FROM {table} WHERE {zero}")  # noqa: S608
    return int(moved or 0)


def verify(bind=None) -> list[str]:
    """The differences between what the rollups read and a count from the source rows, and between the years and
    the sums of their months ([] when exact)."""
    bind = bind if bind is not None else db.session.connection()
    keys, sums, counts = ", ".join(KEY), ", ".join(f"sum({c})" for c in COUNTS), ", ".join(COUNTS)
    kept = (
        f"SELECT {keys}, {sums} FROM (SELECT {keys}, {counts} FROM rollup_months UNION ALL "  # noqa: S608
        f"SELECT {keys}, {counts} FROM rollup_deltas) k GROUP BY {keys}"
    )
    year = _year_of(bind.dialect.name, "month")
    by_year = f"rollup, agency_id, {year}, k1, k2"
    months_by_year = f"SELECT {by_year}, {sums} FROM rollup_months GROUP BY {by_year}"  # noqa: S608
    years = f"SELECT {', '.join(YEAR_KEY)}, {counts} FROM rollup_years"  # noqa: S608

    def table(sql: str, day: bool = True) -> dict:
        out = {}
        for row in bind.exec_driver_sql(sql).all():
            key = (row[0], int(row[1]), _day(row[2]) if day else int(row[2]), row[3], row[4])
            values = tuple(int(v) for v in row[5:])
            if any(values):
                out[key] = values
        return out

    def differences(have: dict, want: dict, words: tuple[str, str]) -> list[str]:
        return [
            f"{k}: {words[0]} {have.get(k)}, {words[1]} {want.get(k)}"
            for k in sorted(set(have) | set(want))
            if have.get(k) != want.get(k)
        ]

    return differences(table(kept), table(_recount_sql(bind.dialect.name)), ("kept", "counted")) + differences(
        table(years, day=False), table(months_by_year, day=False), ("year", "months")
    )


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


# --- Reading ---------------------------------------------------------------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """A range of days as the first days of its first and last whole months (None without a whole month), and the
    partial ranges at its ends, which are counted from the source rows."""
    if start > end:
        return None, []
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end) if _next_month(end) - dt.timedelta(days=1) == end else _month_start(end)
    if first >= after:
        return None, [(start, end)]
    last = _month_start(after - dt.timedelta(days=1))
    edges = []
    if start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    if after <= end:
        edges.append((after, end))
    return (first, last), edges


Counts = dict[tuple[int, str, str], list[int]]


def _width(rollup: str) -> int:
    """How many counts a rollup uses: n and its parts' sums."""
    return 1 + max((len(p.sums) for s in SOURCES.values() for p in s.parts if p.rollup == rollup), default=0)


def _flat(rollup: str) -> bool:
    """A rollup without keys: one row per agency and month."""
    return all(p.k1 == "''" and p.k2 == "''" for s in SOURCES.values() for p in s.parts if p.rollup == rollup)


def _query(rollup: str, ids: list[int], first: dt.date, last: dt.date, *, by_month: bool):
    """The rollup summed per agency and key (and month) over the months from `first` to `last`, in one statement:
    the whole calendar years among them from `rollup_years` (unless `by_month`), the other months from
    `rollup_months`, and the uncompacted deltas of every month."""
    counts = COUNTS[: _width(rollup)]
    m, y, d = RollupMonth, RollupYear, RollupDelta
    years = [] if by_month else _whole_years(first, last)

    def columns(t):
        return [t.agency_id, *([t.month] if by_month else []), t.k1, t.k2, *(getattr(t, c) for c in counts)]

    parts = []
    for t in (m, d):
        conditions = [t.rollup == rollup, in_ids(t.agency_id, ids), t.month.between(first, last)]
        if t is m and years:
            if (first, last) == (dt.date(years[0], 1, 1), dt.date(years[-1], 12, 1)):
                continue  # whole years only: no month of them is read (the index would be walked for nothing)
            conditions.append(~t.month.between(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 1)))
        parts.append(select(*columns(t)).where(*conditions))
    if years:
        parts.append(
            select(*columns(y)).where(y.rollup == rollup, in_ids(y.agency_id, ids), y.year.between(years[0], years[-1]))
        )
    both = union_all(*parts).subquery()
    keys = [both.c.agency_id, *([both.c.month] if by_month else []), both.c.k1, both.c.k2]
    return db.session.execute(select(*keys, *(func.sum(both.c[c]) for c in counts)).group_by(*keys)).all()


def _whole_years(first: dt.date, last: dt.date) -> list[int]:
    """The calendar years whose twelve months all lie from month `first` to month `last`."""
    start = first.year if first.month == 1 else first.year + 1
    end = last.year if last.month == 12 else last.year - 1
    return list(range(start, end + 1))


def read(rollup: str, agency_ids: Iterable[int], first: dt.date, last: dt.date) -> Counts:
    """{(agency, k1, k2): [n, s1 …]} of a rollup over the months from `first` to `last` (their first days), months
    and uncompacted deltas summed in one statement. A keyless rollup asked for single months of the same agencies
    more than once in a transaction (a chart's monthly trend) reads their whole year at once and answers the other
    months from it."""
    ids = sorted({int(a) for a in agency_ids})
    if first == last and _flat(rollup):
        year = _year(rollup, ids, first)
        if year is not None:
            return {key: list(values) for key, values in year.get(first, {}).items()}
    out: Counts = {}
    for start in range(0, len(ids), CHUNK):
        for agency_id, k1, k2, *values in _query(rollup, ids[start : start + CHUNK], first, last, by_month=False):
            if any(values):
                out[(agency_id, k1, k2)] = values
    return out


def _year(rollup: str, ids: list[int], month: dt.date) -> dict | None:
    """The year of `month` per month ({month: Counts}), read once a second month of it is asked for alone (None
    before that: the first month is read by itself)."""
    store = db.session.info.setdefault(_MEMO, {})
    key = (rollup, tuple(ids), month.year)
    if key in store:
        return store[key]
    asked = store.setdefault(("asked", *key), set())
    asked.add(month)
    if len(asked) < 2:
        return None
    year: dict[dt.date, Counts] = {}
    for start in range(0, len(ids), CHUNK):
        rows = _query(
            rollup, ids[start : start + CHUNK], month.replace(month=1), month.replace(month=12), by_month=True
        )
        for agency_id, day, k1, k2, *values in rows:
            if any(values):
                year.setdefault(_day(day), {})[(agency_id, k1, k2)] = values
    store[key] = year
    return year


# The reads kept within a transaction (`_year`), forgotten whenever the data may have changed: at every flush, at
# the end of every transaction and at every statement through the session that is not a SELECT.
_MEMO = "core.rollups.read"


def _forget(session: Session, *_args) -> None:
    session.info.pop(_MEMO, None)


def forget() -> None:
    """Drop the reads kept in this transaction (a page made, no more of its months are asked for)."""
    _forget(db.session)


event.listen(Session, "after_flush", _forget)
event.listen(Session, "after_transaction_end", _forget)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if not state.is_select:
        _forget(state.session)


def gather(
    rollup: str, agency_ids: Iterable[int], start: dt.date, end: dt.date, live: Callable[[dt.date, dt.date], Counts]
) -> Counts:
    """A rollup's counts over a range of days: its whole months from the rollup, its partial months from `live`
    (the same counts from the source rows over a range of days), added up."""
    months, edges = split(start, end)
    out: Counts = read(rollup, agency_ids, *months) if months else {}
    for a, b in edges:
        for key, values in live(a, b).items():
            have = out.setdefault(key, [0] * len(COUNTS))
            for i, v in enumerate(values):
                have[i] += int(v or 0)
    return {k: v for k, v in out.items() if any(v)}
