"""The figures supervision counts, as a registry: each `Measure` counts records per agency over a period and can
list the very records it counts, so every number on the dashboard links to its records and a test can recompute
every figure from them (issue 14, 'How it is checked'). A `Ratio` is a percentage of two measures.

Each area registers its measures in `disclosure/supervision/figures/<area>.py`; the counting itself goes through
the owning package's door (applications, catalog, participation, publicity, reports), never around it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from disclosure.supervision.periods import Period

# The dashboard's areas, in the order they are shown (issue 14 §1).
AREAS: dict[str, object] = {
    "requests": _l("Requests for disclosure"),
    "proactive": _l("Proactive disclosure"),
    "consultations": _l("Public consultations"),
    "publicity": _l("Double publicity"),
    "reports": _l("Annual reports"),
    "columns": _l("Column updates"),
    "notices": _l("Supervision notices"),
    "appraisal": _l("Public appraisal"),
}


@dataclass(frozen=True)
class Scope:
    """What a figure is counted over: these agencies (never 'all': the caller resolves the tree), this period, and
    today (for figures that are a state now, such as 'overdue now')."""

    agency_ids: tuple[int, ...]
    period: Period
    today: dt.date

    def only(self, agency_id: int) -> Scope:
        return Scope((agency_id,), self.period, self.today)


@dataclass(frozen=True)
class Item:
    """One record behind a figure, as the drill-down list shows it."""

    agency_id: int
    reference: str  # the case reference, index number, record number …
    title: str
    on: dt.date | None  # the date that put it in the count
    url: str  # its staff page (or public page where staff have none)
    note: str = ""  # e.g. '3 working days late'


@dataclass(frozen=True)
class Measure:
    """A count of records per agency. `count(scope)` returns {agency_id: n} (agencies with none may be missing);
    `items(scope, limit, offset)` returns the records counted, ordered, `len(items(scope, None, 0))` equal to the
    sum of `count(scope)` — a test holds every measure to that."""

    key: str  # "requests.received"
    area: str  # a key of AREAS
    label: object
    count: Callable[[Scope], dict[int, int]]
    items: Callable[[Scope, int | None, int], list[Item]]
    definition: object = ""  # one sentence: what is counted, and the rule it follows
    now: bool = False  # a state today ('overdue now'), not an event within the period
    lower_is_better: bool = False  # overdue, late, missing …


@dataclass(frozen=True)
class Ratio:
    """A percentage: numerator / denominator × 100, one decimal; None when the denominator is 0."""

    key: str
    area: str
    label: object
    numerator: str  # a Measure key
    denominator: str  # a Measure key
    definition: object = ""
    lower_is_better: bool = False

    def value(self, num: int, den: int) -> float | None:
        return None if not den else round(100.0 * num / den, 1)


@dataclass
class Registry:
    measures: dict[str, Measure] = field(default_factory=dict)
    ratios: dict[str, Ratio] = field(default_factory=dict)

    def add(self, *figures: Measure | Ratio) -> None:
        for f in figures:
            if f.area not in AREAS:
                raise ValueError(f"unknown area {f.area!r} for {f.key}")
            if f.key in self.measures or f.key in self.ratios:
                raise ValueError(f"figure {f.key} registered twice")
            (self.measures if isinstance(f, Measure) else self.ratios)[f.key] = f

    def in_area(self, area: str) -> list[Measure | Ratio]:
        return [f for f in (*self.measures.values(), *self.ratios.values()) if f.area == area]

    def get(self, key: str) -> Measure | Ratio | None:
        return self.measures.get(key) or self.ratios.get(key)


REGISTRY = Registry()
register = REGISTRY.add


def counts(keys, scope: Scope) -> dict[str, dict[int, int]]:
    """The per-agency counts of these measures (ratios' parts included), each measure counted once."""
    wanted: dict[str, Measure] = {}
    for key in keys:
        f = REGISTRY.get(key)
        if isinstance(f, Ratio):
            wanted[f.numerator] = REGISTRY.measures[f.numerator]
            wanted[f.denominator] = REGISTRY.measures[f.denominator]
        elif f is not None:
            wanted[key] = f
    return {k: m.count(scope) for k, m in wanted.items()}


def total(per_agency: dict[int, int], agency_ids=None) -> int:
    return sum(v for a, v in per_agency.items() if agency_ids is None or a in agency_ids)
