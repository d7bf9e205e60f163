"""Character search in Chinese text, through an index, on SQLite and PostgreSQL (one machine for every package).

Chinese names have no spaces, and neither SQLite FTS5's `unicode61` nor PostgreSQL's `simple` configuration splits
them; trigram indexes cannot match two-character queries (stack.md, "Search in Chinese"). So a searched row keeps
a text column with one token per Chinese character (Latin letters and digits stay words) followed by the pairs of
adjacent characters (`index_text`), and a query is tokenised the same way and matched as a phrase: correct for
queries of any length, on both engines, through an index — an FTS5 table kept by triggers on SQLite, a GIN index on
`to_tsvector('simple', column)` on PostgreSQL (`TextIndex`).

Where user text reaches a LIKE anyway, `like_escape` / `contains` keep `%` and `_` literal.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sqlalchemy import Index, Table, and_, column, false, func, literal_column, select, table, text
from sqlalchemy.sql.elements import ColumnElement

_WORD = re.compile(r"[0-9A-Za-z]+|[^\W_]", re.UNICODE)
# Between two fields of one row: a token that `tokens` never produces (three letters that are not ASCII are three
# tokens there) and no pair equals, so a phrase never runs from the end of one field into the next on SQLite, and
# the padded LIKE that confirms a phrase on PostgreSQL never spans it either.
FIELD_BREAK = "丨丨丨"
LIKE_ESCAPE = "\\"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def tokens(value: str | None) -> str:
    """北京市海淀区ABC科技 -> '北 京 市 海 淀 区 abc 科 技': one token per Chinese character, Latin words whole.
    Queries are tokenised with this function and matched as a phrase."""
    return " ".join(m.lower() for m in _WORD.findall(value or ""))


def bigrams(query_tokens: str) -> list[str]:
    """Adjacent pairs of single-character tokens: '北 京 科' -> ['北京', '京科']."""
    toks = query_tokens.split()
    return [a + b for a, b in itertools.pairwise(toks) if len(a) == 1 and len(b) == 1]


def index_text(value: str | None) -> str:
    """The stored text of one field: the tokens, then ' | ', then the character pairs.

    SQLite FTS5 matches a query as a phrase of single characters (pairs never equal a one-character token, and
    the bar keeps a phrase from spanning the two parts). PostgreSQL looks the pairs up in its GIN index without
    re-reading positions, which keeps two-character queries on common characters fast, and confirms the phrase
    with a LIKE on the candidates only."""
    toks = tokens(value)
    pairs = bigrams(toks)
    return f"{toks} | {' '.join(pairs)}" if pairs else toks


def index_text_fields(*values: str | None) -> str:
    """The stored text of several fields (a name, a reference, descriptions…): each field's `index_text`, with
    FIELD_BREAK between them so that no phrase matches across two fields."""
    parts = [index_text(v) for v in values if v and tokens(v)]
    return f" {FIELD_BREAK} ".join(parts)


def pg_common_elements(connection, relation: str, attribute: str | None = None) -> tuple[dict[str, float], float]:
    """PostgreSQL's statistics of a text-search column or expression index (ANALYZE's most common elements): the
    share of rows holding each of the most common tokens, and the least of these shares ({} and 0.0 before
    ANALYZE). Read from pg_stats, no table access. `relation` is the table (with `attribute`) or the index."""
    sql = "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats WHERE tablename = :relation"
    params = {"relation": relation}
    if attribute is not None:
        sql += " AND attname = :attribute"
        params["attribute"] = attribute
    row = connection.execute(text(sql), params).first()
    if row is None or not row[0]:
        return {}, 0.0
    elements, freqs = row[0], row[1]
    # most_common_elem_freqs: one share per element, then the least and the greatest of them, then nulls' share.
    return dict(zip(elements, freqs[: len(elements)], strict=True)), float(freqs[len(elements)])


def like_escape(term: str) -> str:
    """User text for a LIKE pattern: `%`, `_` and the escape character match only themselves (use with
    `escape=LIKE_ESCAPE`)."""
    return term.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def contains(col, term: str) -> ColumnElement[bool]:
    """`col` contains `term` literally (a LIKE with the wildcards of the term escaped)."""
    return col.like(f"%{like_escape(term)}%", escape=LIKE_ESCAPE)


@dataclass(frozen=True)
class TextIndex:
    """One searched text column and its index: the FTS5 table `fts_table` (external content, kept by triggers,
    SQLite) or the GIN expression index `pg_index` (PostgreSQL). The owning package installs it in a migration
    (`install`), declares the PostgreSQL index on its model for the model/migration comparison
    (`declare_postgres_index`, PostgreSQL only) and searches with `condition`."""

    table: str  # the searched table, with an integer primary key `id`
    column: str  # its text column, filled with `index_text` / `index_text_fields`
    fts_table: str
    pg_index: str

    # --- Searching -----------------------------------------------------------------------------------------

    def condition(self, dialect: str, id_col, text_col, query: str) -> ColumnElement[bool]:
        """Rows whose text contains the query as a phrase of characters, through the index. A query without a
        letter or digit (`%`, `_`, spaces) matches nothing."""
        toks = tokens(query)
        if not toks:
            return false()
        if dialect == "postgresql":
            return self._postgres_condition(text_col, toks)
        return id_col.in_(select(self.fts_rowid()).where(self.fts_match(toks)))

    def _postgres_condition(self, text_col, toks: str) -> ColumnElement[bool]:
        vector = func.to_tsvector(literal_column("'simple'::regconfig"), text_col)
        pairs = bigrams(toks)
        indexed = vector.op("@@")(
            func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(pairs) if pairs else toks)
        )
        n = len(toks.split())
        if n == 1 or (n == 2 and pairs):
            return indexed  # one token, or one pair, is the whole phrase
        padded = func.concat(" ", text_col, " ")
        return and_(indexed, padded.like(f"% {like_escape(toks)} %", escape=LIKE_ESCAPE))

    def fts_rowid(self):
        return table(self.fts_table, column("rowid")).c.rowid

    def fts_match(self, query_tokens: str):
        phrase = '"' + query_tokens.replace('"', "") + '"'
        return text(f"{self.fts_table} MATCH :{self.fts_table}_phrase").bindparams(
            **{f"{self.fts_table}_phrase": phrase}
        )

    # --- Schema --------------------------------------------------------------------------------------------

    def __post_init__(self):
        for name in (self.table, self.column, self.fts_table, self.pg_index):
            if not _IDENTIFIER.fullmatch(name):
                raise ValueError(f"not an SQL identifier: {name!r}")

    def sqlite_ddl(self) -> tuple[str, ...]:
        t, c, f = self.table, self.column, self.fts_table  # identifiers checked in __post_init__
        insert = f"INSERT INTO {f}(rowid, {c}) VALUES (new.id, new.{c});"  # noqa: S608
        delete = f"INSERT INTO {f}({f}, rowid, {c}) VALUES ('delete', old.id, old.{c});"  # noqa: S608
        return (
            f"CREATE VIRTUAL TABLE {f} USING fts5({c}, content='{t}', content_rowid='id', tokenize='unicode61')",
            f"CREATE TRIGGER {f}_ai AFTER INSERT ON {t} BEGIN {insert} END",
            f"CREATE TRIGGER {f}_ad AFTER DELETE ON {t} BEGIN {delete} END",
            f"CREATE TRIGGER {f}_au AFTER UPDATE OF {c} ON {t} BEGIN {delete} {insert} END",
            # Rows already in the table (a migration that adds the index to existing data).
            f"INSERT INTO {f}({f}) VALUES ('rebuild')",  # noqa: S608
        )

    def sqlite_drop(self) -> tuple[str, ...]:
        f = self.fts_table
        return (
            f"DROP TRIGGER IF EXISTS {f}_au",
            f"DROP TRIGGER IF EXISTS {f}_ad",
            f"DROP TRIGGER IF EXISTS {f}_ai",
            f"DROP TABLE IF EXISTS {f}",
        )

    def postgres_ddl(self) -> tuple[str, ...]:
        return (
            f"CREATE INDEX {self.pg_index} ON {self.table} USING gin (to_tsvector('simple'::regconfig, {self.column}))",
        )

    def postgres_drop(self) -> tuple[str, ...]:
        return (f"DROP INDEX IF EXISTS {self.pg_index}",)

    def install(self, connection) -> None:
        """Create the engine's index (called by the migration, after the column is filled)."""
        ddl = self.postgres_ddl() if connection.dialect.name == "postgresql" else self.sqlite_ddl()
        for statement in ddl:
            connection.exec_driver_sql(statement)

    def drop(self, connection) -> None:
        ddl = self.postgres_drop() if connection.dialect.name == "postgresql" else self.sqlite_drop()
        for statement in ddl:
            connection.exec_driver_sql(statement)

    def declare_postgres_index(self, model_table: Table) -> None:
        """Declare the PostgreSQL index on the model's table, so that comparing models and migrations sees it.
        For a PostgreSQL database only: SQLite has the FTS5 table instead and cannot reflect expression indexes
        (Alembic would warn on every comparison). Idempotent."""
        if any(ix.name == self.pg_index for ix in model_table.indexes):
            return
        Index(
            self.pg_index,
            func.to_tsvector(literal_column("'simple'::regconfig"), text(self.column)),
            postgresql_using="gin",
            _table=model_table,
        )
