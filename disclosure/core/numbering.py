"""Gapless counters: application references, document numbers, catalogue index serials.

A counter row is incremented with one `UPDATE … RETURNING` inside the caller's transaction, so the row lock
serialises concurrent callers and a rolled-back transaction gives its number back: numbers are unique and
without gaps on both PostgreSQL and SQLite.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from disclosure.extensions import db

SYSTEM_WIDE = 0  # owner id for series that belong to no agency


class Counter(db.Model):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(80), nullable=False)
    owner_id: Mapped[int] = mapped_column(Integer, nullable=False)  # agency id, or SYSTEM_WIDE
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (UniqueConstraint("scope", "owner_id", "year"),)


def _increment(scope: str, owner_id: int, year: int) -> int | None:
    # On the table, not the mapped class: no Counter object is ever kept in a session to synchronise, and the ORM's
    # bulk-update path (evaluating the criteria against the identity map) cost more than the statement itself.
    counters = Counter.__table__.c
    return db.session.execute(
        update(Counter.__table__)
        .where(counters.scope == scope, counters.owner_id == owner_id, counters.year == year)
        .values(value=counters.value + 1)
        .returning(counters.value)
    ).scalar_one_or_none()


def next_value(scope: str, owner_id: int | None, year: int) -> int:
    """Take the next number of (scope, owner, year), starting at 1, inside the current transaction."""
    owner = SYSTEM_WIDE if owner_id is None else owner_id
    value = _increment(scope, owner, year)
    if value is not None:
        return value
    ensure(scope, owner, year)
    value = _increment(scope, owner, year)
    assert value is not None
    return value


def ensure(scope: str, owner_id: int | None, year: int) -> None:
    """The counter row of (scope, owner, year) exists (at 0 when new), also under concurrent callers."""
    owner = SYSTEM_WIDE if owner_id is None else owner_id
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(Counter)
        .values(scope=scope, owner_id=owner, year=year, value=0)
        .on_conflict_do_nothing(index_elements=["scope", "owner_id", "year"])
    )


def next_value_cte(scope: str, owner_id: int | None, year: int, name: str = "counter"):
    """The increment of `next_value` as a common table expression with the columns `value` and `owner_id` (to
    join on), for a PostgreSQL statement that writes the number where it belongs in the same round trip (the row
    stays locked until the commit either way). Empty when the counter row does not exist yet: the caller then calls
    `ensure` and runs its statement again."""
    owner = SYSTEM_WIDE if owner_id is None else owner_id
    counters = Counter.__table__.c
    return (
        update(Counter.__table__)
        .where(counters.scope == scope, counters.owner_id == owner, counters.year == year)
        .values(value=counters.value + 1)
        .returning(counters.value, counters.owner_id)
        .cte(name)
    )


def current_value(scope: str, owner_id: int | None, year: int) -> int:
    owner = SYSTEM_WIDE if owner_id is None else owner_id
    return (
        db.session.execute(
            db.select(Counter.value).where(Counter.scope == scope, Counter.owner_id == owner, Counter.year == year)
        ).scalar_one_or_none()
        or 0
    )
