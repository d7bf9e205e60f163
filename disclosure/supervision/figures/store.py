"""The figures of each agency and period kept between requests, used only while nothing they count has changed
(issue 14, Benchmarks: the competent department's dashboard over 500 agencies; pre-aggregation kept exact).

`counts(keys, scope)` answers what `measures.counts` answers — {measure: {agency: n}} — from vectors of counts
kept per agency and period (its first and last day), and per date for the figures that read today's date (the 'now'
figures are states on a date; `UNDATED` names the figures of events within the period, kept whatever the day), each
stamped with the agency's change stamp (`core.changes`: the triggers of `watched.py` add to it, in the writing
transaction, whenever a row any figure of the agency reads is written). A vector whose stamp is the agency's stamp
in the reading transaction is exactly what counting again would give; the others — agencies written to since, a new
day for the dated figures, a period not asked for before — are counted again, together, by the measures and kept.
A write to one agency recounts that agency only; the calendar and the deployment's settings concern every agency.

The stamps are read once per transaction, before anything is counted: under PostgreSQL's READ COMMITTED a write
committed while the page is being counted may be in the figures without being in the stamp, which only means those
figures are counted again by the next reader (never the reverse). The vectors live in the process (per application,
at most `SUPERVISION_FIGURE_STORE_SIZE` agency vectors, the periods least recently used dropped first); each
worker process keeps its own. `tests/supervision/test_figure_store.py` holds the kept figures to fresh counts after
writes of every kind.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable

from flask import current_app

from disclosure.core import changes
from disclosure.supervision import measures
from disclosure.supervision.figures import watched  # noqa: F401 - the watches the stamps count
from disclosure.supervision.figures._memo import memo
from disclosure.supervision.measures import REGISTRY, Ratio, Scope

DEFAULT_SIZE = 50_000  # agency vectors kept per process: a 500-agency page with its monthly trend is 6,500
_EXTENSION = "supervision.figure_store"

PeriodKey = tuple[dt.date, dt.date, dt.date | None, tuple[str, ...]]

# The measures whose count reads only the period, never today's date (events within the period: received,
# concluded, published, held …), kept per period whatever the day; every other measure — a state today (overdue now,
# the columns, open notices) or one judged against today (an annual report late or not yet due) — is kept per
# period and date. A measure is dated unless named here; `tests/supervision/test_figure_store.py` checks each of
# these counts the same on other days.
UNDATED = frozenset(
    {
        *(f"requests.{k}" for k in ("received", "concluded", "answered", "on_time", "late")),
        *(f"requests.outcome_{g}" for g in ("granted", "partial", "deny", "na", "np", "oth")),
        *(f"requests.{k}" for k in ("remedies", "reconsiderations", "lawsuits", "corrected")),
        *(f"proactive.{k}" for k in ("published", "changes_published", "judged", "on_time", "late")),
        *(f"proactive.{k}" for k in ("interpretations", "interpretations_on_time", "interpretations_late")),
        *(
            f"consultations.{k}"
            for k in ("held", "comments", "feedback_published", "feedback_on_time", "feedback_late")
        ),
        *(f"publicity.{k}" for k in ("received", "on_time", "late", "judged")),
        "notices.answered_late",
        *(f"appraisal.{k}" for k in ("responses", "responses_satisfied", "ratings", "ratings_satisfied")),
    }
)


class Store:
    """{(first day, last day, today, measures): {agency: (stamp, counts)}}, the periods in order of last use."""

    def __init__(self, size: int):
        self.size = size
        self._periods: OrderedDict[PeriodKey, dict[int, tuple[int, tuple[int, ...]]]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def period(self, key: PeriodKey) -> dict[int, tuple[int, tuple[int, ...]]]:
        """The vectors kept for a period (a copy: readers never see a half-written one)."""
        with self._lock:
            kept = self._periods.get(key)
            if kept is None:
                return {}
            self._periods.move_to_end(key)
            return dict(kept)

    def keep(self, key: PeriodKey, vectors: dict[int, tuple[int, tuple[int, ...]]]) -> None:
        with self._lock:
            kept = self._periods.setdefault(key, {})
            self._periods.move_to_end(key)
            before = len(kept)
            kept.update(vectors)
            self._held += len(kept) - before
            while self._held > self.size and len(self._periods) > 1:
                _key, dropped = self._periods.popitem(last=False)
                self._held -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._periods.clear()
            self._held = 0


def store() -> Store:
    """This application's store."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kept = app.extensions.get(_EXTENSION)
    if kept is None:
        kept = app.extensions.setdefault(
            _EXTENSION, Store(app.config.get("SUPERVISION_FIGURE_STORE_SIZE", DEFAULT_SIZE))
        )
    return kept


def measure_keys(keys: Iterable[str]) -> tuple[str, ...]:
    """The measures behind these figures (a ratio's two parts), each once, in a fixed order."""
    wanted: set[str] = set()
    for key in keys:
        f = REGISTRY.get(key)
        if isinstance(f, Ratio):
            wanted.update((f.numerator, f.denominator))
        elif f is not None:
            wanted.add(key)
    return tuple(sorted(wanted))


def stamps(agency_ids: tuple[int, ...]) -> dict[int, int]:
    """The agencies' change stamps, read once per transaction (forgotten with the figures' memo at any write)."""
    return memo(("figure stamps", tuple(sorted(set(agency_ids)))), lambda: changes.stamps(agency_ids))


def counts(keys: Iterable[str], scope: Scope) -> dict[str, dict[int, int]]:
    """`measures.counts(keys, scope)` — the scope's agencies only, each count an int, none 0 — each agency's counts
    taken from the store when its stamp has not changed, the others counted (all of them in one go) and kept: the
    measures of `UNDATED` per period, the others per period and date."""
    wanted = measure_keys(keys)
    ids = tuple(dict.fromkeys(int(a) for a in scope.agency_ids))
    stamp = stamps(ids)
    out: dict[str, dict[int, int]] = {}
    undated = tuple(k for k in wanted if k in UNDATED)
    dated = tuple(k for k in wanted if k not in UNDATED)
    for chosen, day in ((undated, None), (dated, scope.today)):
        if chosen:
            out.update(_kept(chosen, scope, day, ids, stamp))
    return out


def _kept(
    wanted: tuple[str, ...], scope: Scope, day: dt.date | None, ids: tuple[int, ...], stamp: dict[int, int]
) -> dict[str, dict[int, int]]:
    key: PeriodKey = (scope.period.start, scope.period.end, day, wanted)
    kept = store().period(key)
    out: dict[str, dict[int, int]] = {k: {} for k in wanted}
    columns = [out[k] for k in wanted]
    missing = []
    for agency_id in ids:
        vector = kept.get(agency_id)
        if vector is None or vector[0] != stamp[agency_id]:
            missing.append(agency_id)
            continue
        for column, n in zip(columns, vector[1], strict=True):
            if n:
                column[agency_id] = n
    if missing:
        fresh = measures.counts(wanted, Scope(tuple(missing), scope.period, scope.today))
        made = {}
        for agency_id in missing:
            values = tuple(int(fresh[k].get(agency_id, 0) or 0) for k in wanted)
            made[agency_id] = (stamp[agency_id], values)
            for column, n in zip(columns, values, strict=True):
                if n:
                    column[agency_id] = n
        store().keep(key, made)
    return out
