"""Dropping and listing the triggers a mechanism writes from its declarations (`core.rollups`, `core.changes`): on
PostgreSQL a trigger's function is named `<prefix><table>()` beside it; on SQLite the trigger carries its body."""

from __future__ import annotations


def drop(bind, names_by_table: dict[str, list[str]], prefix: str) -> None:
    """Drop the named triggers of each table (and on PostgreSQL the table's trigger function `<prefix><table>`)."""
    postgresql = bind.dialect.name == "postgresql"
    for table, names in names_by_table.items():
        for name in names:
            bind.exec_driver_sql(
                f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgresql else f"DROP TRIGGER IF EXISTS {name}"
            )
        if postgresql:
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {prefix}{table}()")


def present(bind, prefix: str) -> set[str]:
    """The names of the triggers in the database that start with `prefix` (`_` matched as itself)."""
    if bind.dialect.name == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE left(tgname, length(%(p)s)) = %(p)s AND NOT tgisinternal"
        return set(bind.exec_driver_sql(sql, {"p": prefix}).scalars())
    sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, ?) = ?"
    return set(bind.exec_driver_sql(sql, (len(prefix), prefix)).scalars())
