"""Work that follows a commit: what needs the transaction's result but not its locks.

A gapless number keeps its counter row locked until the commit (core.numbering), so slow work that only reads what
the transaction wrote (rendering a letter that prints the number) is better done after it. `defer(fn)` asks for
that: when the request boundary runs the transaction (it called `collect()` at the start of the request), `fn`
runs after the commit, in a transaction of its own that is committed; a failure there is logged and rolled back,
so such work must be something its owner can redo (and check it can be done before the commit). Everywhere else
(commands, tasks, tests calling operations) `fn` runs at once, in the caller's transaction, as if not deferred. A
rolled-back transaction forgets what it deferred.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from disclosure.extensions import db

_PENDING = "after_commit"


def collect() -> None:
    """The request boundary runs this transaction: deferred work waits for `run()` after its commit."""
    db.session.info[_PENDING] = []


def defer(fn: Callable[[], None]) -> None:
    """Run `fn` after the commit (see the module's note), or now when nothing collects deferred work."""
    pending = db.session.info.get(_PENDING)
    if pending is None:
        fn()
    else:
        pending.append(fn)


def run() -> bool:
    """After the commit: run what was deferred, each in a transaction of its own. True when something ran."""
    pending = db.session.info.pop(_PENDING, None) or []
    for fn in pending:
        try:
            fn()
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("deferred work after commit failed: %s", getattr(fn, "__name__", fn))
    return bool(pending)


def discard() -> None:
    db.session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """Work deferred by a transaction that was rolled back must not run."""
    if session.info.get(_PENDING):
        session.info[_PENDING] = []
