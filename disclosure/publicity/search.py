"""Public search over licensing and penalty records.

Chinese names have no spaces, and neither SQLite FTS5's `unicode61` nor PostgreSQL's `simple` configuration splits
them; trigram indexes cannot match two-character queries (stack.md, "Search in Chinese"). So each record keeps
`search_text` with one token per Chinese character (Latin letters and digits stay words), and a query is
tokenised the same way and matched as a phrase: correct for queries of any length, on both engines, through
an index (FTS5 table `publicity_fts` on SQLite, a GIN index on `to_tsvector('simple', search_text)` on
PostgreSQL). Credit codes and decision numbers are exact lookups on their own indexes (decision numbers in
their normalised form, core.docnumbers: any bracket, width or spacing finds the record).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

from sqlalchemy import and_, column, func, literal_column, select, table, text

from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.textsearch import bigrams, pg_common_elements, tokens
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from disclosure.publicity.models import PublicityRecord, RecordStatus

_USCC_SHAPE = re.compile(r"^[0-9A-Z]{18}$")
COUNT_CAP = 1000  # "more than 1,000 results": counting every match of a two-character query costs more than it tells
BROAD_ESTIMATE = 3 * COUNT_CAP  # PostgreSQL: a name query whose rarest pair is in more rows is not counted


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


_FREQ_CACHE: dict[str, object] = {"at": -1e9, "freqs": {}, "rows": 0.0}
FREQ_TTL = 600.0  # seconds; ANALYZE refreshes the statistics far less often


def _lexeme_frequencies() -> tuple[dict[str, float], float]:
    """PostgreSQL's statistics of the search index: the share of rows holding each common token, and the row
    count. Read from pg_stats (no table access) and kept for FREQ_TTL."""
    now = time.monotonic()
    if now - float(_FREQ_CACHE["at"]) > FREQ_TTL:
        conn = db.session.connection()
        freqs, _least = pg_common_elements(conn, "ix_publicity_records_search")
        rows = (
            conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE relname = 'publicity_records'").scalar() or 0.0
        )
        _FREQ_CACHE.update(at=now, freqs=freqs, rows=max(float(rows), 0.0))
    return _FREQ_CACHE["freqs"], _FREQ_CACHE["rows"]  # type: ignore[return-value]


def _broad_on_postgres(query_tokens: str) -> bool:
    """True when even the rarest pair of the query is shared by more than BROAD_ESTIMATE rows: the phrase then
    matches more than COUNT_CAP records (or nearly), and counting them would read long posting lists."""
    freqs, rows = _lexeme_frequencies()
    keys = bigrams(query_tokens) or query_tokens.split()
    return bool(keys) and min(freqs.get(k, 0.0) for k in keys) * rows > BROAD_ESTIMATE


@dataclass
class SearchQuery:
    q: str = ""
    kind: str | None = None
    agency_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    order: str = "relevance"  # relevance | date
    page: int = 1
    per_page: int = 20


@dataclass
class SearchResult:
    rows: list[PublicityRecord]
    total: int
    capped: bool
    mode: str  # name | credit_code | decision_no | all


def _fts_table():
    return table("publicity_fts", column("rowid"))


def name_condition(query_tokens: str):
    """A WHERE condition matching records whose name contains the phrase, through the engine's index."""
    if db.session.get_bind().dialect.name == "postgresql":
        vector = func.to_tsvector(literal_column("'simple'::regconfig"), PublicityRecord.search_text)
        pairs = bigrams(query_tokens)
        terms = " ".join(pairs) if pairs else query_tokens
        indexed = vector.op("@@")(func.plainto_tsquery(literal_column("'simple'::regconfig"), terms))
        if not pairs or len(query_tokens.split()) == 2:
            return indexed  # one pair (or one token) is the whole phrase
        return and_(indexed, PublicityRecord.search_text.like(f"%{_like_safe(query_tokens)}%"))
    return PublicityRecord.id.in_(select(_fts_table().c.rowid).where(_fts_match(query_tokens)))


def _like_safe(query_tokens: str) -> str:
    """Tokens hold letters and digits only; drop LIKE's wildcards and escape anyway, to be safe."""
    return query_tokens.replace("\\", "").replace("%", "").replace("_", "")


def _fts_match(query_tokens: str):
    phrase = '"' + query_tokens.replace('"', "") + '"'
    return text("publicity_fts MATCH :fts_phrase").bindparams(fts_phrase=phrase)


def _name_select(entity, query_tokens: str):
    """SELECT … driven by the full-text index. On SQLite the FTS table is the outer loop, so ordering by its
    rowid needs no sort and stops after one page; on PostgreSQL the GIN index answers the condition."""
    if db.session.get_bind().dialect.name == "postgresql":
        return select(entity).where(name_condition(query_tokens))
    fts = _fts_table()
    return (
        select(entity)
        .select_from(fts)
        .join(PublicityRecord, PublicityRecord.id == fts.c.rowid)
        .where(_fts_match(query_tokens))
    )


def public_condition():
    return PublicityRecord.status == RecordStatus.PUBLISHED


def _plan(query: SearchQuery, public_only: bool) -> tuple[str, str, list] | None:
    """(mode, name tokens, WHERE conditions) of a query, or None when its name has nothing to search for."""
    q = (query.q or "").strip()
    conds = [public_condition()] if public_only else []
    mode, toks = "all", ""
    if q:
        upper = q.upper()
        if _USCC_SHAPE.match(upper):
            mode = "credit_code"
            conds.append(PublicityRecord.credit_code == upper)
        else:
            number = normalise_document_number(q)
            exact_no = select(PublicityRecord.id).where(PublicityRecord.decision_key == number, *conds).limit(1)
            if db.session.execute(exact_no).first() is not None:
                mode = "decision_no"
                conds.append(PublicityRecord.decision_key == number)
            else:
                toks = tokens(q)
                if not toks:
                    return None
                mode = "name"
    if query.kind:
        conds.append(PublicityRecord.kind == query.kind)
    if query.agency_id:
        conds.append(PublicityRecord.agency_id == query.agency_id)
    if query.date_from:
        conds.append(PublicityRecord.decision_date >= query.date_from)
    if query.date_to:
        conds.append(PublicityRecord.decision_date <= query.date_to)
    return mode, toks, conds


def export_select(query: SearchQuery, limit: int):
    """One statement for a download of the search's matches (the same filters), newest decision first, at most
    `limit` rows, for the caller to stream (instead of paging through `search`, which counted and sorted every
    match again for each of fifty pages)."""
    planned = _plan(query, True)
    if planned is None:
        return select(PublicityRecord).where(text("1 = 0"))
    mode, toks, conds = planned
    stmt = (_name_select(PublicityRecord, toks) if mode == "name" else select(PublicityRecord)).where(*conds)
    return stmt.order_by(PublicityRecord.decision_date.desc(), PublicityRecord.id.desc()).limit(limit)


def search(query: SearchQuery, *, public_only: bool = True) -> SearchResult:
    """Name (phrase of characters), credit code (exact) or decision number (exact), with filters.

    Relevance ranks shorter names first (the query covers more of them), then newer decisions. A name query
    matching more than COUNT_CAP records is too broad to rank usefully; it lists the newest records first
    straight from the index, and the page says to narrow the query."""
    planned = _plan(query, public_only)
    if planned is None:
        return SearchResult([], 0, False, "name")
    mode, toks, conds = planned

    def base(entity):
        return (_name_select(entity, toks) if mode == "name" else select(entity)).where(*conds)

    per_page = max(1, min(query.per_page, 100))
    page = max(1, query.page)
    postgres = mode == "name" and _postgres()
    broad = postgres and _broad_on_postgres(toks)
    if broad:
        # Counting a phrase whose every pair tens of thousands of names share would read long posting lists;
        # the index statistics already say the answer is "more than COUNT_CAP". Newest first by walking the
        # primary key backwards, testing the stored tokens with a LIKE (the cheapest exact test): since the
        # phrase is common, a page is found within some thousands of rows.
        padded = func.concat(" ", PublicityRecord.search_text, " ")
        stmt = (
            select(PublicityRecord)
            .where(*conds, padded.like(f"% {_like_safe(toks)} %"))
            .order_by(PublicityRecord.id.desc())
        )
        rows = list(db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars())
        return SearchResult(rows, COUNT_CAP, True, mode)
    stmt = base(PublicityRecord)
    if mode == "name" and query.order == "relevance":
        stmt = stmt.order_by(
            func.length(PublicityRecord.counterpart_name),
            PublicityRecord.decision_date.desc(),
            PublicityRecord.id.desc(),
        )
    else:
        stmt = stmt.order_by(PublicityRecord.decision_date.desc(), PublicityRecord.id.desc())
    if postgres:
        # The matches of a phrase that is not common are few: one pass through the index gives the page and,
        # by a window count, their number.
        found = db.session.execute(
            stmt.add_columns(func.count().over()).limit(per_page).offset((page - 1) * per_page)
        ).all()
        if found or page == 1:
            total = found[0][1] if found else 0
            return SearchResult([r[0] for r in found], min(total, COUNT_CAP), total > COUNT_CAP, mode)
    counted = db.session.execute(
        select(func.count()).select_from(base(PublicityRecord.id).limit(COUNT_CAP + 1).subquery())
    ).scalar_one()
    capped = counted > COUNT_CAP
    if mode == "name" and capped and not postgres:
        # SQLite: the FTS table drives the loop; its rowid order needs no sort and stops after one page.
        stmt = base(PublicityRecord).order_by(literal_column("publicity_fts.rowid").desc())
    rows = list(db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars())
    return SearchResult(rows, min(counted, COUNT_CAP), capped, mode)


def latest(days: int, *, limit: int = 50, kind: str | None = None) -> list[PublicityRecord]:
    """Records published in the last `days` days (the rolling "latest" list)."""

    since = utcnow() - dt.timedelta(days=days)
    stmt = select(PublicityRecord).where(public_condition(), PublicityRecord.published_at >= since)
    if kind:
        stmt = stmt.where(PublicityRecord.kind == kind)
    stmt = stmt.order_by(PublicityRecord.published_at.desc(), PublicityRecord.id.desc()).limit(limit)
    return list(db.session.execute(stmt).scalars())


SQLITE_DDL = (
    "CREATE VIRTUAL TABLE publicity_fts USING fts5(search_text, content='publicity_records', "
    "content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER publicity_fts_ai AFTER INSERT ON publicity_records BEGIN "
    "INSERT INTO publicity_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER publicity_fts_ad AFTER DELETE ON publicity_records BEGIN "
    "INSERT INTO publicity_fts(publicity_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER publicity_fts_au AFTER UPDATE OF search_text ON publicity_records BEGIN "
    "INSERT INTO publicity_fts(publicity_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO publicity_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
# Bulk imports fill the FTS table themselves, one statement per chunk (importer.insert_records): while a row
# exists in publicity_fts_pause — only ever inside the importing transaction — the insert trigger stands aside.
SQLITE_PAUSABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS publicity_fts_pause (id INTEGER PRIMARY KEY)",
    "DROP TRIGGER IF EXISTS publicity_fts_ai",
    "CREATE TRIGGER publicity_fts_ai AFTER INSERT ON publicity_records "
    "WHEN NOT EXISTS (SELECT 1 FROM publicity_fts_pause) BEGIN "
    "INSERT INTO publicity_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
SQLITE_UNPAUSABLE_DDL = (
    "DROP TRIGGER IF EXISTS publicity_fts_ai",
    SQLITE_DDL[1],
    "DROP TABLE IF EXISTS publicity_fts_pause",
)
SQLITE_DROP = (
    "DROP TABLE IF EXISTS publicity_fts_pause",
    "DROP TRIGGER IF EXISTS publicity_fts_au",
    "DROP TRIGGER IF EXISTS publicity_fts_ad",
    "DROP TRIGGER IF EXISTS publicity_fts_ai",
    "DROP TABLE IF EXISTS publicity_fts",
)
POSTGRES_DDL = (
    "CREATE INDEX ix_publicity_records_search ON publicity_records "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
)
POSTGRES_DROP = ("DROP INDEX IF EXISTS ix_publicity_records_search",)


def install_search_index(connection) -> None:
    """Create the engine's full-text index (called by the migration, and by tests that build with create_all)."""
    ddl = POSTGRES_DDL if connection.dialect.name == "postgresql" else SQLITE_DDL + SQLITE_PAUSABLE_DDL
    for statement in ddl:
        connection.exec_driver_sql(statement)


def make_fts_pausable(connection, pausable: bool = True) -> None:
    """Migration publicity_0002: let bulk imports pause the SQLite FTS insert trigger (idempotent)."""
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_PAUSABLE_DDL if pausable else SQLITE_UNPAUSABLE_DDL:
            connection.exec_driver_sql(statement)


def drop_search_index(connection) -> None:
    ddl = POSTGRES_DROP if connection.dialect.name == "postgresql" else SQLITE_DROP
    for statement in ddl:
        connection.exec_driver_sql(statement)
