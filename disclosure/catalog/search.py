"""The public search of the catalogue (issue 11 §5): what an entry contributes to the index, kept in the
transaction that publishes, revises, withdraws or changes the entry (a withdrawn entry disappears from search the
moment it is withdrawn), and the query side: any length, by relevance or by time, filters, highlighted snippets,
and exact look-up by index number or document number.

The index text. Chinese has no spaces, and a phrase of single characters makes FTS5 and PostgreSQL merge the
position lists of very common characters (发, 展 …) for every query. So a field is stored as *units*: each run of
Chinese characters gives its adjacent pairs (发展改革 -> 发展 展改 改革) and then its last character alone (the only
character that starts no pair), and Latin words and numbers stay whole. A query is cut the same way and matched as
a phrase of units: two characters are one unit (one posting list, no positions read), longer queries a short
phrase, and one character a prefix (发*: every character starts a unit). `search_title` holds the title and
document number, `search_text` the summary, keywords, body and attachments' text; the FTS5 table indexes both
columns under the entry's `search_key` (publication day and id), so the newest matches come first straight from
the index. PostgreSQL keeps each column's tsvector in a column of its own (`search_title_vector`,
`search_text_vector`, written by a trigger with the text, catalog_0014) with a GIN index: the index gives the rows
holding every unit of the query, and only those rows' stored vectors are read to confirm the phrase (`<->`), so no
text is ever parsed again at query time.

Relevance. Ranking every match of a common pair with BM25 reads every posting; instead the body text also carries,
for each pair seen at least twice, one *tier* token (`zq` + a letter for how often + the pair). The most relevant
documents for a query are those where its pairs are frequent: the search takes candidates tier by tier (highest
first) until it has enough, adds every title match, and scores the candidates with BM25 (title matches weighing
TITLE_WEIGHT times as much). Results beyond the candidates follow in time order.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import html
import math
import operator
import re
import time
from collections import Counter

import click
from flask.cli import with_appcontext
from markupsafe import Markup, escape
from sqlalchemy import (
    Integer,
    and_,
    any_,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import load_only
from sqlalchemy.sql.elements import ColumnElement

from disclosure.catalog.models import Entry, EntryAttachment, EntryVersion, SearchIssuer, Theme, Validity
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.textsearch import like_escape, pg_common_elements, tokens
from disclosure.extensions import db
from disclosure.web.richtext import html_to_text

FTS_TABLE = "catalog_entries_fts"
# SQLite (catalog_0015): the titles alone, with each entry's counts stored beside them (what relevance reads).
TITLE_FTS = "catalog_titles_fts"
COUNTS_TABLE = "catalog_titles_fts_counts"  # beside it: the counts, by order key (no model: see TITLE_INDEX)
PAUSE_TABLE = "catalog_fts_pause"  # a row here (inside an import's transaction only) pauses the insert triggers
PG_TITLE_INDEX = "ix_catalog_entries_search_title"
PG_TEXT_INDEX = "ix_catalog_entries_search_text"
# PostgreSQL (catalog_0014): each text's tsvector, kept by a trigger, with a GIN index.
PG_TITLE_VECTOR = "search_title_vector"
PG_TEXT_VECTOR = "search_text_vector"
# A tsvector holds positions up to 16,383: a text this short (a unit and its space take two bytes at least) has
# exact positions, so a phrase is confirmed by the vector; a longer one (an attachment's text) by LIKE.
PG_EXACT_POSITIONS = 32_000
FIELD_BREAK = "丨zq"  # between two fields: a token no query produces (queries never join scripts into one unit)
TIER_PREFIX = "zq"
TIERS = (2, 3, 4, 6, 8, 12, 16, 24, 32)  # a pair seen at least this often in the body has this tier's token
TIER_LETTERS = "abcdefghi"
TITLE_WEIGHT = 3.0
K1, B = 1.2, 0.75
COUNT_CAP = 1000  # "more than 1,000 results": counting every match of a common pair costs more than it tells
PG_CANDIDATES = 5_000  # PostgreSQL: the most rows holding a phrase's units read to check it row by row
PG_VERIFY_BATCH = 20  # PostgreSQL: rows checked for a phrase by one statement, at least
PG_VERIFY_MAX = 500  # and at most
COMMON_MARGIN = 5  # PostgreSQL: a unit the statistics put in this many times COUNT_CAP entries is not counted
POOL = 100  # candidates scored for relevance (more for later pages)
TITLE_SCAN = 1000  # title matches ranked by their titles (the newest this many)
TIE_FACTOR = 4  # titles scoring as the last candidate are candidates too, up to this many times the pool
CORPUS_SECONDS = 600  # the catalogue's statistics for BM25 are read again after this long
MAX_PAGE = 50
PER_PAGE = 20
KEY_SHIFT = 32  # search_key = publication day (ordinal) << 32 | entry id
KEY_ID_MASK = (1 << KEY_SHIFT) - 1

SORTS = ("relevance", "time")


# --- Index text ------------------------------------------------------------------------------------------------


# Latin words and numbers (ASCII, lower case), and runs of other letters and digits (Chinese characters): what
# lies between two matches (punctuation, spaces) ends a run.
_PIECE = re.compile(r"[0-9a-z]+|[^\W_0-9a-z]+")


def _runs(value: str | None, *, split: bool = True) -> list[tuple[str, str]]:
    """('cjk', characters) and ('word', word) runs of a text, in order. Punctuation and spaces end a run of a
    document (`split`); a query's runs ignore them (防汛 抗旱 finds 防汛抗旱)."""
    out: list[tuple[str, str]] = []
    for piece in _PIECE.findall((value or "").lower()):
        kind = "word" if piece.isascii() else "cjk"
        if not split and kind == "cjk" and out and out[-1][0] == "cjk":
            out[-1] = ("cjk", out[-1][1] + piece)
        else:
            out.append((kind, piece))
    return out


def units(value: str | None) -> list[str]:
    """The index units of a text: pairs of each Chinese run then its last character; Latin words whole."""
    out: list[str] = []
    for piece in _PIECE.findall((value or "").lower()):
        if piece.isascii():
            out.append(piece)
        else:
            out.extend([piece[i : i + 2] for i in range(len(piece) - 1)])
            out.append(piece[-1])
    return out


def query_units(query: str) -> tuple[list[str], bool]:
    """A query's phrase of units, and whether its last unit is a prefix. A Chinese run at the end of the query
    drops its last character (the document's run may go on: 发展 is found in 发展改革), unless the run is one
    character, which then matches as a prefix (发*)."""
    out: list[str] = []
    runs = _runs(query, split=False)
    prefix = False
    for i, (kind, toks) in enumerate(runs):
        if kind == "word":
            out.append(toks)
            continue
        last = i == len(runs) - 1
        if len(toks) == 1:
            out.append(toks)
            prefix = last
            continue
        out.extend(toks[j : j + 2] for j in range(len(toks) - 1))
        if not last:
            out.append(toks[-1])
    return out, prefix


def _tier_letter(count: int) -> str | None:
    """The tier of a pair seen `count` times (the highest threshold it reaches), None below the first."""
    at = bisect.bisect_right(TIERS, count)
    return TIER_LETTERS[at - 1] if at else None


# The tier token's prefix of a pair seen `count` times (`_TIER_TOKEN[count]`, the last for any count beyond): a
# list look-up per repeated pair instead of a bisect and a format (the import indexes 20,000 bodies).
_TIER_TOKEN = [f"{TIER_PREFIX}{_tier_letter(c)}" if c >= TIERS[0] else "" for c in range(TIERS[-1] + 1)]


@dataclasses.dataclass(frozen=True)
class SearchColumns:
    title: str  # search_title: the title's and document number's units
    text: str  # search_text: the other words' units, then the tier tokens
    counts: str  # search_counts: `pair:count` of the pairs seen twice or more, and `#:units` (the length)


def search_columns(title: str, document_number: str, words: list[str]) -> SearchColumns:
    """The search columns of a public entry: its title and document number; the other words (summary, keywords,
    body, attachments) followed by the tier tokens of the pairs they repeat; the counts relevance reads. Used by
    `refresh_search_text`, the import and the benchmarks' bulk inserts.

    The same units as `units`, in one pass over each word's runs: a Chinese run's pairs are made and joined by C
    loops (`map` over the run and the run shifted by one) and counted once for the whole body (`Counter` over one
    list), not unit by unit in Python (a body of 2,000 characters has 2,000 units). (Regular expressions making
    the pairs, `(?=(..))` or a substitution, were measured 1-5 times slower than this loop.)"""
    title_text = f" {FIELD_BREAK} ".join(" ".join(u) for u in (units(title), units(document_number)) if u)
    parts: list[str] = []
    pairs: list[str] = []  # every Chinese pair of the body, in order, for the counts
    length = 0
    for word in words:
        if not word:
            continue
        field: list[str] = []
        for piece in _PIECE.findall(word.lower()):
            if piece.isascii():
                field.append(piece)
                length += 1
                continue
            if len(piece) > 1:
                run_pairs = list(map(operator.add, piece, piece[1:]))
                pairs += run_pairs
                field.append(" ".join(run_pairs))
            field.append(piece[-1])
            length += len(piece)
        if field:
            parts.append(" ".join(field))
    repeated = [(u, c) for u, c in Counter(pairs).items() if c >= TIERS[0]]
    if repeated:
        top = _TIER_TOKEN[-1]
        parts.append(" ".join([(_TIER_TOKEN[c] if c < len(_TIER_TOKEN) else top) + u for u, c in repeated]))
    counts_text = " ".join([f"#:{length}", *[f"{u}:{c}" for u, c in repeated]])
    return SearchColumns(title_text, f" {FIELD_BREAK} ".join(parts), counts_text)


def search_key(published_on: dt.date, entry_id: int) -> int:
    return (published_on.toordinal() << KEY_SHIFT) | entry_id


def public_words(entry: Entry) -> list[str]:
    """The published version's searchable words besides title and number: summary, keywords, body, and its
    attachments' titles and text."""
    version = entry.published_version
    if version is None:
        return []
    meta = version.metadata_json or {}
    words = [meta.get("summary", ""), meta.get("keywords", ""), html_to_text(version.body_html)]
    if version.attachment_ids:
        rows = db.session.execute(
            db.select(EntryAttachment.title, EntryAttachment.text).where(EntryAttachment.id.in_(version.attachment_ids))
        ).all()
        for title, attachment_text in rows:
            words.extend([title, attachment_text or ""])
    return words


def refresh_search_text(entry: Entry) -> None:
    """Index the entry while the public may see it (its published version: texts, order key, classification and
    issuing organs); empty all of it otherwise. Runs in the caller's transaction."""
    version = entry.published_version
    db.session.execute(db.delete(SearchIssuer).where(SearchIssuer.entry_id == entry.id))
    if not entry.is_public or version is None:
        entry.search_title, entry.search_text, entry.search_counts, entry.search_key = "", "", "", None
        entry.public_theme_id = entry.public_genre_id = None
        entry.public_category = entry.public_doc_kind = ""
        return
    meta = version.metadata_json or {}
    columns = search_columns(version.title, version.document_number, public_words(entry))
    entry.search_title, entry.search_text, entry.search_counts = columns.title, columns.text, columns.counts
    entry.search_key = search_key(version.published_on, entry.id)
    entry.public_theme_id = meta.get("theme_id")
    entry.public_genre_id = meta.get("genre_id")
    entry.public_category = meta.get("category") or ""
    entry.public_doc_kind = meta.get("doc_kind") or ""
    for agency_id in {*(meta.get("issuer_ids") or []), entry.agency_id}:
        db.session.add(SearchIssuer(entry_id=entry.id, agency_id=agency_id))


# --- Schema (installed by migration catalog_0002) --------------------------------------------------------------


class _SearchIndex:
    """The FTS5 table over both texts, keyed by `search_key` and kept by triggers (SQLite); a GIN index per text
    column (PostgreSQL)."""

    def sqlite_ddl(self) -> tuple[str, ...]:
        f = FTS_TABLE
        insert = (
            f"INSERT INTO {f}(rowid, search_title, search_text) "
            "SELECT new.search_key, new.search_title, new.search_text WHERE new.search_key IS NOT NULL;"
        )
        delete = (
            f"INSERT INTO {f}({f}, rowid, search_title, search_text) "
            "SELECT 'delete', old.search_key, old.search_title, old.search_text WHERE old.search_key IS NOT NULL;"
        )
        return (
            f"CREATE VIRTUAL TABLE {f} USING fts5(search_title, search_text, content='catalog_entries', "
            "content_rowid='search_key', tokenize='unicode61')",
            f"CREATE TRIGGER {f}_ai AFTER INSERT ON catalog_entries BEGIN {insert} END",
            f"CREATE TRIGGER {f}_ad AFTER DELETE ON catalog_entries BEGIN {delete} END",
            f"CREATE TRIGGER {f}_au AFTER UPDATE OF search_key, search_title, search_text ON catalog_entries "
            f"BEGIN {delete} {insert} END",
        )

    def postgres_ddl(self) -> tuple[str, ...]:
        return tuple(
            f"CREATE INDEX {name} ON catalog_entries USING gin (to_tsvector('simple'::regconfig, {col}))"
            for name, col in ((PG_TITLE_INDEX, "search_title"), (PG_TEXT_INDEX, "search_text"))
        )

    def install(self, connection) -> None:
        ddl = self.postgres_ddl() if connection.dialect.name == "postgresql" else self.sqlite_ddl()
        for statement in ddl:
            connection.exec_driver_sql(statement)

    def drop(self, connection) -> None:
        if connection.dialect.name == "postgresql":
            statements = [f"DROP INDEX IF EXISTS {n}" for n in (PG_TITLE_INDEX, PG_TEXT_INDEX)]
        else:
            statements = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{s}" for s in ("au", "ad", "ai")]
            statements.append(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        for statement in statements:
            connection.exec_driver_sql(statement)

    def declare_postgres_indexes(self) -> None:
        """Declare on the model what catalog_0014 keeps on PostgreSQL only, for the model/migration comparison:
        each text's vector column (filled by a trigger, never by the ORM) and its GIN index."""
        from sqlalchemy import Column, Index  # noqa: PLC0415 - only when the app runs on PostgreSQL
        from sqlalchemy.dialects.postgresql import TSVECTOR  # noqa: PLC0415 - idem

        model_table = Entry.__table__
        for vector in (PG_TITLE_VECTOR, PG_TEXT_VECTOR):
            if vector not in model_table.c:
                model_table.append_column(Column(vector, TSVECTOR(), nullable=True))
            name = f"ix_catalog_entries_{vector}"
            if not any(ix.name == name for ix in model_table.indexes):
                Index(name, model_table.c[vector], postgresql_using="gin")


SEARCH_INDEX = _SearchIndex()


class _TitleIndex:
    """SQLite: an FTS5 table of the public entries' title units alone (`TITLE_FTS`), and a table of their
    `search_counts` (`COUNTS_TABLE`), both keyed by `search_key` and kept by triggers on the entries. The title's
    units are in the FTS5 table of both texts too, but there a title query reads the whole position list of its
    units, body occurrences included (a common pair: every entry's); here only titles, in rows of a few hundred
    bytes, so the titles of thousands of matches are read at once. And relevance reads a candidate's counts by its
    key from their own small rows, not from the entry's, where they lie behind its body and search text (SQLite
    reads a row's columns in order, through its overflow pages). PostgreSQL keeps the title's vector apart
    already (catalog_0014) and reads the counts from the entry.

    The insert triggers of both FTS5 tables stand aside while a row exists in `PAUSE_TABLE`: an import inserts
    thousands of entries, and indexes them with one statement per table (`indexing_paused`, `index_inserted`)."""

    def main_insert_trigger(self, *, pausable: bool) -> str:
        """The insert trigger of the FTS5 table of both texts (catalog_0002's), pausable or as it was."""
        ddl = SEARCH_INDEX.sqlite_ddl()[1]
        head = f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON catalog_entries "
        assert ddl.startswith(head)
        return ddl.replace(head, head + self._unpaused()) if pausable else ddl

    @staticmethod
    def _unpaused() -> str:
        return f"WHEN NOT EXISTS (SELECT 1 FROM {PAUSE_TABLE}) "  # noqa: S608 - our own table's name

    def sqlite_ddl(self) -> tuple[str, ...]:
        t, c = TITLE_FTS, COUNTS_TABLE
        insert = (
            f"INSERT INTO {t}(rowid, search_title) SELECT new.search_key, new.search_title "
            "WHERE new.search_key IS NOT NULL; "
            f"INSERT INTO {c}(search_key, search_counts) SELECT new.search_key, new.search_counts "
            "WHERE new.search_key IS NOT NULL;"
        )
        delete = (
            f"DELETE FROM {t} WHERE rowid = old.search_key; "  # noqa: S608 - our own tables' names
            f"DELETE FROM {c} WHERE search_key = old.search_key;"
        )
        return (
            f"CREATE VIRTUAL TABLE {t} USING fts5(search_title, tokenize='unicode61')",
            f"CREATE TABLE {c} (search_key INTEGER PRIMARY KEY, search_counts TEXT NOT NULL)",
            f"CREATE TABLE {PAUSE_TABLE} (id INTEGER PRIMARY KEY)",
            f"DROP TRIGGER {FTS_TABLE}_ai",
            self.main_insert_trigger(pausable=True),
            f"CREATE TRIGGER {t}_ai AFTER INSERT ON catalog_entries {self._unpaused()}BEGIN {insert} END",
            f"CREATE TRIGGER {t}_ad AFTER DELETE ON catalog_entries BEGIN {delete} END",
            f"CREATE TRIGGER {t}_au AFTER UPDATE OF search_key, search_title, search_counts ON catalog_entries "
            f"BEGIN {delete} {insert} END",
        )

    def install(self, connection) -> None:
        """Create the tables and their triggers and fill them from the entries already indexed (SQLite only)."""
        if connection.dialect.name == "postgresql":
            return
        for statement in self.sqlite_ddl():
            connection.exec_driver_sql(statement)
        for target, column_name in ((TITLE_FTS, "rowid"), (COUNTS_TABLE, "search_key")):
            source = "search_title" if target == TITLE_FTS else "search_counts"
            connection.exec_driver_sql(
                f"INSERT INTO {target}({column_name}, {source}) "  # noqa: S608 - our own tables' names
                f"SELECT search_key, {source} FROM catalog_entries WHERE search_key IS NOT NULL"
            )

    def drop(self, connection) -> None:
        if connection.dialect.name == "postgresql":
            return
        for suffix in ("au", "ad", "ai"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {TITLE_FTS}_{suffix}")
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai")
        connection.exec_driver_sql(self.main_insert_trigger(pausable=False))
        for name in (TITLE_FTS, COUNTS_TABLE, PAUSE_TABLE):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


TITLE_INDEX = _TitleIndex()


@contextlib.contextmanager
def indexing_paused():
    """SQLite: the search's insert triggers stand aside until the block ends, inside the caller's transaction
    (SQLite has one writer at a time: no other connection sees the pause). The caller indexes what it inserts with
    `index_inserted`."""
    connection = db.session.connection()
    connection.exec_driver_sql(f"INSERT OR IGNORE INTO {PAUSE_TABLE} (id) VALUES (1)")  # noqa: S608 - our table
    try:
        yield
    finally:
        connection.exec_driver_sql(f"DELETE FROM {PAUSE_TABLE}")  # noqa: S608 - our own table's name


def index_inserted(entries: list[dict]) -> None:
    """SQLite, `indexing_paused`: index new entries (dicts of their columns) as the insert triggers would, one
    statement per table."""
    public = [e for e in entries if e.get("search_key") is not None]
    if not public:
        return
    connection = db.session.connection()
    tables = (
        (FTS_TABLE, "rowid", ("search_title", "search_text")),
        (TITLE_FTS, "rowid", ("search_title",)),
        (COUNTS_TABLE, "search_key", ("search_counts",)),
    )
    for name, key, columns in tables:
        connection.exec_driver_sql(
            f"INSERT INTO {name}({key}, {', '.join(columns)}) "  # noqa: S608 - our own tables' and columns' names
            f"VALUES ({', '.join('?' * (len(columns) + 1))})",
            [(e["search_key"], *(e[c] for c in columns)) for e in public],
        )


# --- Queries ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class SearchQuery:
    q: str = ""
    sort: str = "relevance"  # relevance | time
    agency_id: int | None = None
    theme_id: int | None = None
    genre_id: int | None = None
    year: int | None = None
    validity: str | None = None  # valid | expired | repealed
    category: str | None = None
    doc_kind: str | None = None
    current_only: bool = False  # leave out expired and repealed documents
    page: int = 1
    per_page: int = PER_PAGE


@dataclasses.dataclass
class Hit:
    entry: Entry
    version: EntryVersion
    snippet: Markup


@dataclasses.dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    capped: bool  # more than COUNT_CAP matches
    mode: str  # text | index_number | document_number | all | none
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, math.ceil(min(self.total, COUNT_CAP) / self.per_page)))


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _fts():
    return table(FTS_TABLE, column("rowid"))


def _fts_match(fts_table: str, expr: str):
    return text(f"{fts_table} MATCH :match").bindparams(bindparam("match", expr, unique=True))


_TITLES = table(TITLE_FTS, column("rowid"), column("search_title"))
_COUNTS = table(COUNTS_TABLE, column("search_key"), column("search_counts"))


def _quote(unit: str) -> str:
    return '"' + unit.replace('"', "") + '"'


@dataclasses.dataclass(frozen=True)
class _Phrase:
    """A query's phrase of units, matched in one or both texts."""

    units: tuple[str, ...]
    prefix: bool

    @property
    def pairs(self) -> list[str]:
        return [u for u in self.units if len(u) == 2 and not u.isascii()]

    def fts(self) -> str:
        return '"' + " ".join(self.units) + '"' + (" *" if self.prefix else "")

    def fts_tiers(self, from_tier: int) -> str:
        """FTS5: the phrase in the body with every pair of it at `from_tier` or above."""
        groups = [
            "(" + " OR ".join(_quote(f"{TIER_PREFIX}{letter}{p}") for letter in TIER_LETTERS[from_tier:]) + ")"
            for p in self.pairs
        ]
        if len(self.units) == 1:
            return groups[0]  # a pair's tier tokens imply the pair
        return " AND ".join([f"search_text : {self.fts()}", *groups])

    def _pg_terms(self, tiers_from: int | None) -> tuple[list[str], list[str]]:
        """PostgreSQL tsquery terms: the units (the last a prefix when it is one), and the tier groups of the pairs
        at `tiers_from` or above (none without it)."""
        last = len(self.units) - 1
        terms = [u + (":*" if self.prefix and i == last else "") for i, u in enumerate(self.units)]
        if tiers_from is None:
            return terms, []
        return terms, [
            "(" + " | ".join(f"{TIER_PREFIX}{lt}{p}" for lt in TIER_LETTERS[tiers_from:]) + ")" for p in self.pairs
        ]

    def pg_units(self, *, tiers_from: int | None = None) -> ColumnElement[bool]:
        """PostgreSQL: the body holds every unit of the phrase (at `tiers_from` or above), in any order: what the
        GIN index answers exactly, no row's vector read (see `_pg_verified`). With tiers, a pair's tier tokens
        imply the pair, so the pair itself is left out: the index then reads the tokens' short lists without
        intersecting them with the pair's, which for a common pair lists nearly every entry (the three tier
        statements of 开展建设 at 200,000 entries: 2.7-3.0, 4.7-4.9 and 7.5 ms, against 4.2, 6.6 and 9.4)."""
        terms, groups = self._pg_terms(tiers_from)
        if groups:
            pairs = set(self.pairs)
            terms = [t for t, u in zip(terms, self.units, strict=True) if u not in pairs]
        return _ts_match(literal_column(f"catalog_entries.{PG_TEXT_VECTOR}"), " & ".join(terms + groups))

    def pg(self, which: str, *, tiers_from: int | None = None) -> ColumnElement[bool]:
        """PostgreSQL: the phrase in the title or the body (`which`). The GIN index gives the rows with every unit
        (exact, no row read); the phrase (units in a row: `<->`) is then checked on those rows (`pg_phrase`)."""
        terms, groups = self._pg_terms(tiers_from)
        if which == "title":  # a title is always short enough for exact positions; the index takes the phrase
            vector = literal_column(f"catalog_entries.{PG_TITLE_VECTOR}")
            if len(self.units) == 1:
                return _ts_match(vector, " & ".join(terms))
            return _ts_match(vector, "(" + " <-> ".join(terms) + ")")
        if len(self.units) == 1:  # one unit is the whole phrase; a pair's tier tokens imply the pair
            return _ts_match(literal_column(f"catalog_entries.{PG_TEXT_VECTOR}"), " & ".join(groups or terms))
        # The units as the index's condition (exact: no row's vector is read to answer it), the phrase as a filter:
        # given the phrase query, the index would recheck every row on its vector and the filter read it again.
        return and_(self.pg_units(tiers_from=tiers_from), self.pg_phrase(tiers_from=tiers_from))

    def pg_phrase(self, *, tiers_from: int | None = None) -> ColumnElement[bool]:
        """PostgreSQL: whether a body that holds every unit holds them as the phrase: checked on its stored vector
        (read once: about 10-25 µs a row from its TOAST), or with LIKE on a text too long for exact positions
        (`octet_length` reads the stored size, not the text)."""
        terms, groups = self._pg_terms(tiers_from)
        vector = literal_column(f"catalog_entries.{PG_TEXT_VECTOR}")
        like = func.concat(" ", Entry.search_text, " ").like(
            f"% {like_escape(' '.join(self.units))}{'%' if self.prefix else ' %'}", escape="\\"
        )
        phrase = " & ".join([f"({' <-> '.join(terms)})", *groups])
        return case((func.octet_length(Entry.search_text) <= PG_EXACT_POSITIONS, _ts_match(vector, phrase)), else_=like)


def _ts_match(vector, query: str) -> ColumnElement[bool]:
    return vector.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), query))


def _filters(query: SearchQuery) -> list:
    conds = []
    if query.agency_id:
        conds.append(Entry.id.in_(select(SearchIssuer.entry_id).where(SearchIssuer.agency_id == query.agency_id)))
    if query.theme_id:
        children = select(Theme.id).where(Theme.parent_id == query.theme_id)
        conds.append(or_(Entry.public_theme_id == query.theme_id, Entry.public_theme_id.in_(children)))
    if query.genre_id:
        conds.append(Entry.public_genre_id == query.genre_id)
    if query.year:
        conds.append(Entry.published_on.between(dt.date(query.year, 1, 1), dt.date(query.year, 12, 31)))
    if query.validity:
        conds.append(Entry.validity == query.validity)
    if query.current_only:
        conds.append(Entry.validity == Validity.VALID.value)
    if query.category:
        conds.append(Entry.public_category == query.category)
    if query.doc_kind:
        conds.append(Entry.public_doc_kind == query.doc_kind)
    return conds


def _matching(phrase: _Phrase | None, where: str, filters: list, *, tiers_from: int | None = None):
    """SELECT Entry.id, Entry.search_key of public entries matching the phrase (`where`: any, title or body),
    newest first. On SQLite a title query reads the titles' own FTS5 table (`TITLE_INDEX`)."""
    if phrase is None:
        return (
            select(Entry.id, Entry.search_key)
            .where(Entry.search_key.is_not(None), *filters)
            .order_by(Entry.search_key.desc())
        )
    if _postgres():
        if where == "title":
            cond = phrase.pg("title")
        elif where == "body":
            cond = phrase.pg("body", tiers_from=tiers_from)
        else:
            cond = or_(phrase.pg("title"), phrase.pg("body"))
        if tiers_from is not None and len(phrase.units) == 1:
            # A tier's documents are few, but PostgreSQL's statistics of a vector know only the commonest units: it
            # would read every entry along `search_key` for them. The GIN index gives them all first (exact, no
            # vector read for one unit), then they are ordered. (A longer phrase reads each candidate's vector, so
            # it keeps the walk that stops at the page.)
            found = (
                select(Entry.id, Entry.search_key)
                .where(cond, Entry.search_key.is_not(None), *filters)
                .cte(f"catalog_tier_matches_{where}_{tiers_from}")
                .prefix_with("MATERIALIZED")
            )
            return select(found.c.id, found.c.search_key).order_by(found.c.search_key.desc())
        return (
            select(Entry.id, Entry.search_key)
            .where(cond, Entry.search_key.is_not(None), *filters)
            .order_by(Entry.search_key.desc())
        )
    if where == "title":
        fts, name, expr = _TITLES, TITLE_FTS, phrase.fts()
    else:
        fts, name = _fts(), FTS_TABLE
        if where == "body":
            expr = phrase.fts_tiers(tiers_from) if tiers_from is not None else f"search_text : {phrase.fts()}"
        else:
            expr = phrase.fts()
    if not filters:  # the order key holds the entry's id (`search_key`): the index alone answers
        return (
            select(fts.c.rowid.op("&")(KEY_ID_MASK).label("id"), fts.c.rowid.label("search_key"))
            .where(_fts_match(name, expr))
            .order_by(fts.c.rowid.desc())
        )
    return (
        select(Entry.id, Entry.search_key)
        .select_from(fts)
        .join(Entry, Entry.search_key == fts.c.rowid)
        .where(_fts_match(name, expr), *filters)
        .order_by(fts.c.rowid.desc())
    )


def _ids(stmt, limit: int, offset: int = 0) -> list[int]:
    return list(db.session.execute(stmt.limit(limit).offset(offset)).scalars())


def _keyed(stmt, limit: int) -> dict[int, int]:
    """{entry id: order key} of the first `limit` rows of a `_matching` statement, in its order."""
    return dict(db.session.execute(stmt.limit(limit)).all())


def _count_and_edge(stmt) -> tuple[int, int | None]:
    """How many entries match (at most COUNT_CAP + 1), and the order key of the oldest of the newest COUNT_CAP + 1
    (None on PostgreSQL)."""
    count, edge, _newest = _counted(stmt)
    return count, edge


def _counted(stmt) -> tuple[int, int | None, dict[int, int] | None]:
    """How many entries match (at most COUNT_CAP + 1), the order key of the oldest of the newest COUNT_CAP + 1,
    and those matches ({id: order key}, newest first; the first page of the time order is among them). SQLite:
    FTS5 gives them in that order. PostgreSQL reads them in the GIN index's order instead (a walk along
    `search_key` would read each entry's vector to test it), so it gives no edge, and the matches only when they
    are all (COUNT_CAP or fewer), ordered here."""
    if _postgres():
        rows = db.session.execute(stmt.order_by(None).limit(COUNT_CAP + 1)).all()
        if len(rows) > COUNT_CAP:
            return len(rows), None, None
        return len(rows), None, dict(sorted(rows, key=lambda r: -r[1]))
    rows = db.session.execute(stmt.limit(COUNT_CAP + 1)).all()
    return len(rows), (rows[-1][1] if rows else None), dict(rows)


def _pg_arms(phrase: _Phrase, filters: list, limit: int, *, ordered: bool):
    """PostgreSQL: the title's and the body's matches as two statements of `limit` rows each (newest first when
    `ordered`, else in the GIN index's order), united. Each is answered by its own GIN index with the phrase
    rechecked on its own vector only; one statement with both texts ORed would test both vectors of every row
    again, reading the body's for the rows the title's index gave too."""
    arms = []
    for where in ("title", "body"):
        arm = select(Entry.id, Entry.search_key).where(phrase.pg(where), Entry.search_key.is_not(None), *filters)
        if ordered:
            arm = arm.order_by(Entry.search_key.desc())
        arms.append(arm.limit(limit).subquery().select())
    return union_all(*arms)


def _pg_counted(phrase: _Phrase, filters: list) -> tuple[int, None, dict[int, int] | None]:
    """`_counted` for a phrase on PostgreSQL, from `_pg_arms`: more than COUNT_CAP when either text has more;
    else every match, newest first."""
    rows = db.session.execute(_pg_arms(phrase, filters, COUNT_CAP + 1, ordered=False)).all()
    found = dict(rows)
    if len(found) > COUNT_CAP:
        return len(found), None, None
    return len(found), None, dict(sorted(found.items(), key=lambda kv: -kv[1]))


def _pg_newest(phrase: _Phrase, filters: list, limit: int) -> dict[int, int]:
    """The `limit` newest matches of a phrase on PostgreSQL ({id: order key}). The title's from its GIN index.
    The body's, for a phrase of several units: the rows holding all its units (the GIN index alone, exact, no
    vector read), newest first, each checked for the phrase until `limit` hold it (`_pg_verified`): checking the
    phrase reads the row's body vector from its TOAST (about 10-25 µs a row), so the planner's way, every row the
    index gives checked and then sorted, reads thousands; unless they are more than PG_CANDIDATES."""
    title = _keyed(_pg_arm(phrase, "title", filters).order_by(Entry.search_key.desc()), limit)
    body = None
    if len(phrase.units) > 1 and not _pg_surely_many_candidates(phrase, filters):
        stmt = select(Entry.id, Entry.search_key).where(phrase.pg_units(), Entry.search_key.is_not(None), *filters)
        rows = db.session.execute(stmt.limit(PG_CANDIDATES + 1)).all()
        if len(rows) <= PG_CANDIDATES:
            body = _pg_verified(phrase, sorted(rows, key=lambda r: -r[1]), limit)
    if body is None:
        body = _keyed(_pg_arm(phrase, "body", filters).order_by(Entry.search_key.desc()), limit)
    return dict(sorted({**title, **body}.items(), key=lambda kv: -kv[1])[:limit])


def _pg_surely_many_candidates(phrase: _Phrase, filters: list) -> bool:
    """PostgreSQL: whether the bodies holding every unit of the phrase are surely more than PG_CANDIDATES (twice
    as many, by the statistics, without filters), so that `_pg_newest` walks along the order key at once instead
    of first reading PG_CANDIDATES + 1 of them for nothing (15 ms for 开展建设, measured). The units' shares are
    multiplied as if independent: a phrase's units occur together more often than that, so the estimate errs low
    (the read is then made, as before)."""
    shares = None if filters else _pg_unit_shares(PG_TEXT_VECTOR)
    if shares is None:
        return False
    common, least = shares
    share = math.prod(common.get(u, least / 2) for u in phrase.units)
    return share * _corpus().n > 2 * PG_CANDIDATES


def _pg_arm(phrase: _Phrase, where: str, filters: list):
    return select(Entry.id, Entry.search_key).where(phrase.pg(where), Entry.search_key.is_not(None), *filters)


def _pg_verified(phrase: _Phrase, rows: list, limit: int) -> dict[int, int]:
    """The first `limit` of `rows` ((id, order key), in order) whose body holds the phrase, checked a batch at a
    time (twice `limit` rows, from PG_VERIFY_BATCH to PG_VERIFY_MAX), each by its primary key. The phrase is a
    column of the statement, not its condition: as a condition, the planner takes the phrase's GIN matches
    instead and checks them all, for every batch (seconds for a deep page, measured)."""
    found: dict[int, int] = {}
    size = min(PG_VERIFY_MAX, max(PG_VERIFY_BATCH, 2 * limit))
    for at in range(0, len(rows), size):
        batch = rows[at : at + size]
        checked = db.session.execute(select(Entry.id, phrase.pg_phrase()).where(_pg_among([r[0] for r in batch]))).all()
        holding = {entry_id for entry_id, holds in checked if holds}
        for entry_id, key in batch:
            if entry_id in holding:
                found[entry_id] = key
                if len(found) >= limit:
                    return found
    return found


def _pg_among(ids: list[int]) -> ColumnElement[bool]:
    """PostgreSQL: the entry is one of `ids`, as one array parameter (`= ANY`): hundreds of ids as as many
    parameters of an IN list cost a quarter more (800 entries' counts: 24 ms against 17, measured)."""
    return Entry.id == any_(literal(ids, ARRAY(Integer)))


def _surely_common(phrase: _Phrase | None, filters: list) -> bool:
    """PostgreSQL: whether a query of one unit, without filters, surely has more than COUNT_CAP matches, by the
    planner's statistics (the share of bodies holding it, times the public entries, is at least COMMON_MARGIN
    times the cap). Counting them would read the vector of every entry the count walks (the GIN index cannot
    count alone): the count is "more than COUNT_CAP" without reading any."""
    if phrase is None or filters or len(phrase.units) != 1 or phrase.prefix or not _postgres():
        return False
    shares = _pg_unit_shares(PG_TEXT_VECTOR)
    return shares is not None and shares[0].get(phrase.units[0], 0.0) * _corpus().n >= COMMON_MARGIN * COUNT_CAP


@dataclasses.dataclass
class _Corpus:
    """What BM25 needs of the whole public catalogue, read at most every CORPUS_SECONDS: how many entries are public and
    on which days they were published (newest first), and the average lengths of titles and bodies (of the
    newest entries)."""

    n: float
    days: list[int]  # publication days (ordinals), newest first
    newer: list[int]  # public entries published on that day or later
    avg_title: float
    avg_body: float

    def newer_than(self, key: int) -> float:
        """About how many public entries are at least as new as the order key (half of its day's)."""
        day = key >> KEY_SHIFT
        i = bisect.bisect_left(self.days, -day, key=lambda d: -d)
        if i >= len(self.days):
            return self.n
        before = self.newer[i - 1] if i else 0
        if self.days[i] != day:
            return float(before)
        return before + (self.newer[i] - before) / 2


_CORPUS: dict = {"at": -1e9, "corpus": None, "bind": None}
CORPUS_SAMPLE = 500


def _corpus() -> _Corpus:
    now, bind = time.monotonic(), str(db.session.get_bind().url)
    if _CORPUS["corpus"] is None or now - _CORPUS["at"] > CORPUS_SECONDS or _CORPUS["bind"] != bind:
        day = Entry.search_key.op(">>")(literal_column(str(KEY_SHIFT)))
        rows = db.session.execute(
            select(day, func.count()).where(Entry.search_key.is_not(None)).group_by(day).order_by(day.desc())
        ).all()
        days, newer, total = [], [], 0
        for d, n in rows:
            total += n
            days.append(int(d))
            newer.append(total)
        sample = db.session.execute(
            select(Entry.search_title, Entry.search_counts)
            .where(Entry.search_key.is_not(None))
            .order_by(Entry.search_key.desc())
            .limit(CORPUS_SAMPLE)
        ).all()
        titles = [t.count(" ") + 1 for t, _c in sample if t]
        bodies = [_count_of(c, "#") or 1 for _t, c in sample]
        corpus = _Corpus(
            float(max(total, 1)),
            days,
            newer,
            max(1.0, sum(titles) / len(titles)) if titles else 1.0,
            max(1.0, sum(bodies) / len(bodies)) if bodies else 1.0,
        )
        _CORPUS.update(at=now, corpus=corpus, bind=bind)
    return _CORPUS["corpus"]


_PG_SHARES: dict = {}


def _pg_unit_shares(vector: str) -> tuple[dict[str, float], float] | None:
    """PostgreSQL: the share of public entries whose vector holds each of the column's most common units, and the
    least of these shares, from the planner's statistics (read at most once a minute); None before ANALYZE."""
    now = time.monotonic()
    cached = _PG_SHARES.get(vector)
    if cached is None or now - cached[0] > 60:
        shares = pg_common_elements(db.session, Entry.__tablename__, vector)
        cached = _PG_SHARES[vector] = (now, shares if shares[0] else None)
    return cached[1]


def _document_frequency(count: int, edge: int | None, phrase: _Phrase, where: str, cap: int | None = None) -> float:
    """How many public entries match: the count itself up to the cap (COUNT_CAP, or the number of matches read);
    beyond, the newest cap + 1 matches extrapolated over the catalogue (they are as many as the public entries at
    least as new as the oldest of them hold); on PostgreSQL, the share of the vectors holding the phrase's rarest
    unit in the column's statistics (ANALYZE's most common elements; a unit not among them is taken as half as
    common as the least common of them, as the planner takes it)."""
    if count <= (COUNT_CAP if cap is None else cap):
        return float(count)
    corpus = _corpus()
    if edge is None:
        shares = _pg_unit_shares(PG_TITLE_VECTOR if where == "title" else PG_TEXT_VECTOR)
        if shares is None:
            return float(count)
        common, least = shares
        share = min(common.get(u, least / 2) for u in phrase.units)
        return min(corpus.n, max(float(count), share * corpus.n))
    return min(corpus.n, max(float(count), count * corpus.n / max(corpus.newer_than(edge), 1.0)))


def _bm25(tf: int, length: int, avg: float, idf: float) -> float:
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg)) if tf else 0.0


def _idf(n_matches: float, n_docs: float) -> float:
    return math.log(1 + (n_docs - n_matches + 0.5) / (n_matches + 0.5))


def _candidates(phrase: _Phrase, filters: list, pool_size: int) -> dict[int, int]:
    """The body matches most likely to rank first, when they are too many to score all: the body tiers of the
    phrase's pairs from the highest down, each complete, until one reaches `pool_size` (its newest are taken);
    then the newest matches. One tier after the other, down to the first that is large enough (measured cheaper
    than every tier at once: a common pair's lower tiers are most of the catalogue)."""
    tiers = list(range(len(TIERS) - 1, -1, -1)) if phrase.pairs else []
    if _postgres() and len(phrase.units) > 1:  # the tiers by the GIN index alone, the phrase checked on the pool

        def statement(tier):
            cond = phrase.pg_units(tiers_from=tier)
            return select(Entry.id, Entry.search_key).where(cond, Entry.search_key.is_not(None), *filters)

        def rows(tier, limit):
            return dict(db.session.execute(statement(tier).limit(limit)).all())

        # `_walk` reads two tiers: the highest holding pool_size documents or more (its newest are taken), and the
        # one above it whole (fewer; it holds every tier above it). The first is found by a binary search over the
        # tiers, each probed for pool_size rows (a tier holds every tier above, so their sizes fall as they rise):
        # four statements of at most pool_size rows, where probing from the highest down read up to nine tiers of up
        # to PG_CANDIDATES rows.
        probed: dict[int, dict[int, int]] = {}
        low, high, first = 0, len(tiers) - 1, None  # positions in `tiers`, highest tier first
        while low <= high:
            middle = (low + high) // 2
            probed[middle] = rows(tiers[middle], pool_size)
            if len(probed[middle]) >= pool_size:
                first, high = middle, middle - 1
            else:
                low = middle + 1
        found: dict[int | None, dict[int, int]] = {}
        above = (len(tiers) if first is None else first) - 1
        if above >= 0:
            found[tiers[above]] = probed[above] if above in probed else rows(tiers[above], pool_size)
        if first is None:
            found[None] = _pg_newest(phrase, filters, pool_size)
        else:
            found[tiers[first]] = rows(tiers[first], PG_CANDIDATES + 1)
        for tier, rows_found in found.items():
            if tier is not None:
                ordered = sorted(rows_found.items(), key=lambda kv: -kv[1])
                found[tier] = _pg_verified(phrase, ordered, len(ordered) if len(ordered) < pool_size else pool_size)
        return _walk(found, tiers, pool_size)
    found = {}
    for tier in tiers:
        found[tier] = _keyed(_matching(phrase, "body", filters, tiers_from=tier), pool_size)
        if len(found[tier]) >= pool_size:
            break
    else:
        found[None] = _keyed(_matching(phrase, "body", filters), pool_size)
    return _walk(found, tiers, pool_size)


def _walk(found: dict, tiers: list[int], pool_size: int) -> dict[int, int]:
    """The tiers from the highest down, each complete, until one reaches `pool_size`; then the newest matches."""
    complete: dict[int, int] = {}
    for tier in tiers:
        rows = found.get(tier, {})
        if len(rows) < pool_size:
            complete = rows  # every document of these tiers
            continue
        return {**complete, **rows}
    rest = [(i, k) for i, k in found[None].items() if i not in complete]
    return {**complete, **dict(rest[: pool_size - len(complete)])}


def _count_of(counts: str, unit: str) -> int | None:
    """The count of a unit in `search_counts` ('#:length pair:count …')."""
    at = counts.find(f"{unit}:")
    while at > 0 and counts[at - 1] != " ":
        at = counts.find(f"{unit}:", at + 1)
    if at < 0:
        return None
    start = at + len(unit) + 1
    end = counts.find(" ", start)
    return int(counts[start : end if end >= 0 else len(counts)])


def _title_scores(phrase: _Phrase, filters: list) -> dict[int, tuple[float, int]]:
    """The title matches (the newest TITLE_SCAN + 1 on SQLite, as many in the index's order on PostgreSQL), each
    with its title's BM25 weighed TITLE_WEIGHT times (the idf from the phrase's document frequency among titles)
    and its order key. A title is a few units: the phrase's occurrences in it are counted here, from its units."""
    stmt = _matching(phrase, "title", filters)
    if _postgres():
        stmt = stmt.order_by(None).add_columns(Entry.search_title)
    else:
        stmt = stmt.add_columns(_TITLES.c.search_title)
    rows = db.session.execute(stmt.limit(TITLE_SCAN + 1)).all()
    edge = None if _postgres() or not rows else rows[-1][1]
    corpus = _corpus()
    idf = _idf(_document_frequency(len(rows), edge, phrase, "title", cap=TITLE_SCAN), corpus.n)
    pattern = " " + " ".join(phrase.units) + ("" if phrase.prefix else " ")
    scores = {}
    for entry_id, key, title in rows:
        tf = f" {title} ".count(pattern)
        scores[entry_id] = (TITLE_WEIGHT * _bm25(tf, title.count(" ") + 1, corpus.avg_title, idf), key)
    return scores


def _body_scores(phrase: _Phrase, candidates: dict[int, int], df_body: float) -> dict[int, float]:
    """BM25 of the candidates' bodies: the count of the phrase's rarest pair (from `search_counts`: a pair of the
    phrase occurs at least as often as the phrase, and mostly as part of it), 1 when no pair repeats, and the
    body's length. SQLite reads the counts from their own table by order key (`TITLE_INDEX`), PostgreSQL from the
    entry."""
    if _postgres():
        rows = db.session.execute(select(Entry.id, Entry.search_counts).where(_pg_among(list(candidates)))).all()
    else:
        by_key = {key: entry_id for entry_id, key in candidates.items()}
        found = db.session.execute(
            select(_COUNTS.c.search_key, _COUNTS.c.search_counts).where(_COUNTS.c.search_key.in_(list(by_key)))
        ).all()
        rows = [(by_key[key], counts) for key, counts in found]
    corpus = _corpus()
    idf = _idf(df_body, corpus.n)
    pairs = phrase.pairs
    out = {}
    for entry_id, counts in rows:
        found_counts = [_count_of(counts, p) or 1 for p in pairs]
        tf = min(found_counts) if found_counts else 1
        out[entry_id] = _bm25(tf, _count_of(counts, "#") or 1, corpus.avg_body, idf)
    return out


def _ranked(
    phrase: _Phrase, filters: list, need: int, total: int, edge: int | None, matches: dict[int, int] | None
) -> list[int]:
    """The `need` most relevant public entries (`matches`: every match, when COUNT_CAP or fewer are, else None).

    The title weighs TITLE_WEIGHT times the body, and a title is short: a title match outranks a match in the body
    alone. So the title matches are ranked by their titles first, and the best `pool_size` of them are the
    candidates, with the titles scoring as the last of them (up to TIE_FACTOR times as many); when there are
    fewer, the body's most likely best are added (every match when they are few, else the body tiers). The
    candidates are ranked by title and body BM25, newest first among equals; the other matches follow, newest
    first."""
    pool_size = max(POOL, 2 * need)
    title_scores = _title_scores(phrase, filters)
    ranked = sorted(title_scores.items(), key=lambda kv: (-kv[1][0], -kv[1][1]))
    if len(ranked) > pool_size:  # titles as good as the last taken are taken too (their bodies decide), up to a bound
        floor = ranked[pool_size - 1][1][0]
        ranked = [kv for kv in ranked[: TIE_FACTOR * pool_size] if kv[1][0] >= floor]
    candidates = {entry_id: key for entry_id, (_score, key) in ranked}
    if len(title_scores) < pool_size:
        body = matches if matches is not None and total <= COUNT_CAP else _candidates(phrase, filters, pool_size)
        candidates.update(body)
    if not candidates:
        return []
    body_scores = _body_scores(phrase, candidates, _document_frequency(total, edge, phrase, "body"))
    score = {i: title_scores.get(i, (0.0,))[0] + body_scores.get(i, 0.0) for i in candidates}
    scored = sorted(candidates, key=lambda i: (-score[i], -candidates[i]))
    if len(scored) < need:
        seen = set(scored)
        rest = matches if matches is not None else _keyed(_matching(phrase, "any", filters), need + len(seen))
        scored += [i for i in rest if i not in seen]
    return scored[:need]


def exact_lookup(q: str) -> tuple[str, list[Entry]]:
    """A query that is an index number, or a document number in any bracket variant: the public entries it names
    (mode `index_number` or `document_number`), or ("", [])."""
    q = (q or "").strip()
    if not q or len(q) > 80 or not re.search(r"\d", q):  # both numbers hold digits (an index number its serial)
        return "", []
    entry = db.session.execute(select(Entry).where(Entry.index_number == q)).scalar_one_or_none()
    if entry is not None and entry.is_public:
        return "index_number", [entry]
    key = normalise_document_number(q)
    found = [
        e
        for e in db.session.execute(
            select(Entry).where(Entry.document_number_key == key, Entry.search_key.is_not(None)).order_by(Entry.id)
        ).scalars()
        if e.is_public and normalise_document_number(e.published_version.document_number) == key
    ]
    return ("document_number", found) if found else ("", [])


def _no_sequential_scans() -> None:
    """PostgreSQL, for the rest of the transaction: read the catalogue through its indexes. A statement taking the
    first 1,001 matches of a common phrase (the count) was planned as a sequential scan that stops at the 1,001st
    (expected after a tenth of the table): the planner does not price reading each row's body vector from its
    TOAST, so it read 24,000 vectors (245 ms) where the GIN index gives the 2,700 holding every unit (35 ms).
    The plan flipped between two ANALYZEs of the same catalogue (measured)."""
    db.session.execute(text("SET LOCAL enable_seqscan = off"))


def search(query: SearchQuery) -> SearchResult:
    """One page of public entries for the query (see the module's docstring)."""
    page = max(1, min(query.page, MAX_PAGE))
    per_page = query.per_page
    q = (query.q or "").strip()
    mode, exact = exact_lookup(q)
    if exact:
        return SearchResult(_hits(exact, q), len(exact), False, mode, 1, per_page)
    filters = _filters(query)
    phrase = None
    if q:
        found_units, prefix = query_units(q)
        if not found_units:
            return SearchResult([], 0, False, "none", page, per_page)
        phrase = _Phrase(tuple(found_units), prefix)
        if _postgres():
            _no_sequential_scans()
    stmt = _matching(phrase, "any", filters)
    if _surely_common(phrase, filters):
        total, edge, newest = COUNT_CAP + 1, None, None
    elif phrase is not None and _postgres():
        total, edge, newest = _pg_counted(phrase, filters)
    else:
        total, edge, newest = _counted(stmt)
    start = (page - 1) * per_page
    if phrase is not None and query.sort == "relevance" and total:
        ids = _ranked(phrase, filters, start + per_page, total, edge, newest)[start:]
    elif newest is not None and (start + per_page <= len(newest) or total <= COUNT_CAP):
        ids = list(newest)[start : start + per_page]  # the page is among the newest matches already read
    elif phrase is not None and _postgres():
        ids = list(_pg_newest(phrase, filters, start + per_page))[start:]
    else:
        ids = _ids(stmt, per_page, start)
    entries = {e.id: e for e in db.session.execute(_listed(ids)).scalars()} if ids else {}
    hits = _hits([entries[i] for i in ids if i in entries], q)
    return SearchResult(hits, min(total, COUNT_CAP), total > COUNT_CAP, "text" if q else "all", page, per_page)


def _listed(ids: list[int]):
    """The entries of a page, without their long texts (the version has what the page shows)."""
    return (
        select(Entry)
        .where(Entry.id.in_(ids))
        .options(
            load_only(
                Entry.id,
                Entry.agency_id,
                Entry.index_number,
                Entry.published_version_id,
                Entry.published_on,
                Entry.validity,
                Entry.validity_since,
                Entry.withdrawn_at,
            )
        )
    )


def _hits(entries: list[Entry], q: str) -> list[Hit]:
    versions = {
        v.id: v
        for v in db.session.execute(
            select(EntryVersion).where(EntryVersion.id.in_([e.published_version_id for e in entries]))
        ).scalars()
    }
    out = []
    for e in entries:
        version = versions.get(e.published_version_id)
        if version is None:
            continue
        out.append(Hit(e, version, snippet(version, q)))
    return out


SNIPPET_CHARS = 120
_TAG = re.compile(r"<[^>]*>")


def _plain(body_html: str) -> str:
    """The text of a stored body, quickly: bodies are sanitised when saved, and a snippet is escaped again."""
    return html.unescape(_TAG.sub(" ", body_html or ""))


def snippet(version: EntryVersion, q: str) -> Markup:
    """About SNIPPET_CHARS characters of the version's summary or body around the first match of the query, the
    matches marked (<mark>), everything else escaped."""
    meta = version.metadata_json or {}
    texts = [t for t in (_plain(version.body_html), meta.get("summary", "")) if t]
    if not texts:
        return Markup("")
    toks = tokens(q).split()
    pattern = re.compile(r"\s*".join(re.escape(t) for t in toks), re.IGNORECASE) if toks else None
    for body in texts:
        body = re.sub(r"\s+", " ", body)
        found = pattern.search(body) if pattern else None
        if found is None:
            continue
        start = max(0, found.start() - SNIPPET_CHARS // 3)
        end = min(len(body), start + SNIPPET_CHARS)
        return _marked(body, start, end, pattern)
    body = re.sub(r"\s+", " ", texts[-1] if meta.get("summary") else texts[0])
    return _marked(body, 0, min(len(body), SNIPPET_CHARS), None)


def _marked(body: str, start: int, end: int, pattern) -> Markup:
    window = body[start:end]
    parts = [Markup("…") if start > 0 else Markup("")]
    pos = 0
    for m in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[pos : m.start()]))
        parts.append(Markup("<mark>") + escape(m.group(0)) + Markup("</mark>"))
        pos = m.end()
    parts.append(escape(window[pos:]))
    if end < len(body):
        parts.append(Markup("…"))
    return Markup("").join(parts)


def reindex(batch: int = 500) -> int:
    """Index every published entry again (after the search's format changed, or a restore); commits per batch.
    Returns how many entries were visited."""
    last, done = 0, 0
    while True:
        entries = list(
            db.session.execute(
                select(Entry)
                .where(Entry.published_version_id.is_not(None), Entry.id > last)
                .order_by(Entry.id)
                .limit(batch)
            ).scalars()
        )
        if not entries:
            return done
        for entry in entries:
            refresh_search_text(entry)
        db.session.commit()
        done += len(entries)
        last = entries[-1].id


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Index every published entry's search text again."""
    click.echo(f"{reindex()} entries indexed.")
