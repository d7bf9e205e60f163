"""One grouped query for many measures: several measures of an area read the same grouped counts (the concluded
requests give concluded, answered, on time, late and six outcome groups), so the area module asks for them once per
scope and each measure picks its part.

The memo lives in the database session (`session.info`) and is forgotten whenever the data may have changed: at
every flush, at the end of every transaction (commit or rollback) and at every statement through the session that
is not a SELECT. A figure is therefore never older than the transaction that reads it — exactly what a second
query would have returned — while a dashboard counting thirty measures over five hundred agencies runs each grouped
query once. This module registers no figures.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from disclosure.extensions import db

T = TypeVar("T")
_KEY = "supervision.figures.memo"


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its result from earlier in this transaction if nothing was written since."""
    store = db.session.info.setdefault(_KEY, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)


def forget() -> None:
    """Drop what this transaction kept (a page made, its figures are no longer asked for)."""
    _forget(db.session)


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    _forget(session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, _transaction) -> None:
    _forget(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if not state.is_select:
        _forget(state.session)
