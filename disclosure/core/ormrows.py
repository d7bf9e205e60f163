"""Mapped objects inserted by a statement of the caller's own, then kept by the session as if flushed.

An ORM flush of one new row costs several times its INSERT in Python (the unit of work sorts, compares and
synchronises every attribute). A hot path that creates rows of a known shape (a portal filing: the case, its items,
its audit event) builds them as usual, reads the row each would insert (`insert_values`), writes them with one
statement of its own (several rows, RETURNING their ids), and hands the objects to the session as persistent and
clean (`adopt`): callers see the same objects with their ids, lazy loads and later changes work as after a flush.

`insert_values` follows the flush's rule for the column values of an insert: the attribute's value; for an unset
or None attribute of a column with a default, the default (a scalar, or a callable without arguments); the
version counter starts at the mapper's first version. A column with only a server default, a sequence or an SQL
expression default is refused (the object could not know its value without reading the row back).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import json
from typing import Any

from sqlalchemy import JSON, Table, inspect
from sqlalchemy.orm import make_transient_to_detached

from disclosure.extensions import db


def insert_values(obj: Any) -> dict[str, Any]:
    """The columns (by column key) a flush would insert for the transient `obj`, its primary key left out."""
    state = inspect(obj)
    if not state.transient:
        raise ValueError(f"{obj!r} is not transient: only a new object's row is read")
    mapper = state.mapper
    values: dict[str, Any] = {}
    for prop in mapper.column_attrs:
        if len(prop.columns) != 1:
            raise NotImplementedError(f"{prop.key}: a property over several columns")
        column = prop.columns[0]
        if column.primary_key:
            continue
        value = state.dict.get(prop.key)
        if value is None and column is mapper.version_id_col:
            value = mapper.version_id_generator(None)
        elif value is None and column.default is not None:
            default = column.default
            if default.is_scalar:
                value = default.arg
            elif default.is_callable:
                value = default.arg(None)
            else:
                raise NotImplementedError(f"{column.key}: a default the database computes")
        elif value is None and column.server_default is not None:
            raise NotImplementedError(f"{column.key}: a server default only")
        values[column.key] = value
    return values


@functools.cache
def _attribute_keys(mapper) -> tuple[tuple[str, str], ...]:
    """(column key, attribute key) of each column attribute of a mapper."""
    return tuple((prop.columns[0].key, prop.key) for prop in mapper.column_attrs)


def adopt(*inserted: tuple[Any, dict[str, Any], dict[str, Any]]) -> None:
    """Hand transient objects, each inserted with its `values` (from `insert_values`) and the values the database
    generated (its id, …), to the session as persistent, unmodified objects, as a flush would leave them. Pass
    together the objects that refer to each other (a case and its items): any transient one that an adopted
    object cascades to would be inserted again by the next flush."""
    for obj, values, generated in inserted:
        state = inspect(obj)
        for column_key, attr in _attribute_keys(state.mapper):  # (a transient object's: committed just below)
            if column_key in generated:
                state.dict[attr] = generated[column_key]
            elif column_key in values:
                state.dict[attr] = values[column_key]
        make_transient_to_detached(obj)  # its attributes as loaded (the rest expired), its identity from its key
    db.session.add_all([obj for obj, _values, _generated in inserted])


def json_record(table: Table, values: dict[str, Any]) -> str:
    """`values` (columns of `table`) as one JSON object for PostgreSQL's `json_populate_record(NULL::<table>, …)`:
    a row of any width is then one parameter of a short statement (psycopg parses and caches a statement of at
    most 50 parameters and 4 KB once; a wider one at every execution), and the database converts each value to its
    column's type. Dates and times as ISO text (an aware time keeps its offset), numbers, text and booleans as
    themselves; a JSON column is refused (a JSON null would be SQL NULL there, not the JSON the column type
    writes: pass such a column as a parameter of its own)."""
    json_columns, aware_columns = _column_kinds(table)
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in json_columns:
            raise ValueError(f"{key}: a JSON column is passed as a parameter of its own")
        if value is None or type(value) in _AS_THEY_ARE:
            pass
        elif isinstance(value, dt.datetime):
            if value.tzinfo is None and key in aware_columns:
                raise ValueError(f"{key}: naive datetime given to a timezone-aware column")
            value = value.isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = str(value)
        elif isinstance(value, enum.Enum):
            value = value.value
        elif not isinstance(value, str | int | float | bool):
            raise TypeError(f"{key}: {type(value).__name__} has no JSON form here")
        out[key] = value
    return json.dumps(out, ensure_ascii=False)


_AS_THEY_ARE = frozenset((str, int, bool, float))


@functools.cache
def _column_kinds(table: Table) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of `table`'s JSON columns, and of its timezone-aware ones."""
    json_columns = frozenset(c.key for c in table.c if isinstance(c.type, JSON))
    aware = frozenset(c.key for c in table.c if getattr(c.type, "timezone", False))
    return json_columns, aware
