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

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

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


def adopt(*inserted: tuple[Any, dict[str, Any], dict[str, Any]]) -> None:
    """Hand transient objects, each inserted with its `values` (from `insert_values`) and the values the database
    generated (its id, …), to the session as persistent, unmodified objects, as a flush would leave them. Pass
    together the objects that refer to each other (a case and its items): any transient one that an adopted
    object cascades to would be inserted again by the next flush."""
    for obj, values, generated in inserted:
        for prop in inspect(obj).mapper.column_attrs:
            key = prop.columns[0].key
            if key in generated:
                set_committed_value(obj, prop.key, generated[key])
            elif key in values:
                set_committed_value(obj, prop.key, values[key])
        make_transient_to_detached(obj)  # its attributes as loaded (the rest expired), its identity from its key
    db.session.add_all([obj for obj, _values, _generated in inserted])
