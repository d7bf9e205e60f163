"""The dashboards' figures built without the cyclic garbage collector running in the middle.

A competent department's page over 500 agencies reads tens of thousands of rows (the rollups, the column monitor's
9,000 columns, the per-agency values) into short-lived objects that reference counting frees as soon as the request
is done. While they live, every 700 new objects start a collection of the youngest generation, every tenth of those
one of the middle one, and now and then one of the oldest, which walks every object of the process not frozen at
start-up: on the benchmark's page (issue 14, Benchmarks) some 290 collections a request, about a third of its CPU
time, to find next to no garbage. `paused` holds the automatic collections off for the length of the view and lets
them run again once it has returned, its locals freed and the figures the transaction kept for the page dropped
(`figures._memo`, `core.rollups`), so the first collection after it finds little to walk; a cycle made meanwhile is
collected by the next collection.
Requests served at the same time in threads share one pause: the collector runs again when the last of them ends,
and is left alone if something else had turned it off.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from disclosure.core import rollups
from disclosure.supervision.figures import _memo

F = TypeVar("F", bound=Callable)

_lock = threading.Lock()
_depth = 0
_restore = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic garbage collection inside the block (nested and concurrent blocks share one pause)."""
    global _depth, _restore
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()


def without_collection(view: F) -> F:
    """A view run inside `paused` (its frame, the objects it made and the figures kept for it gone before the
    collector runs again)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with paused():
            try:
                return view(*args, **kwargs)
            finally:
                _memo.forget()
                rollups.forget()

    return wrapped  # type: ignore[return-value]
