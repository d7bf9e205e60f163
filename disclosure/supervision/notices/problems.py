"""The matters a notice can be about: an agency's current problems, as the figures registry counts them.

Every measure that is a state today and where fewer is better (`Measure.now and Measure.lower_is_better`: overdue
requests, unpublished or late catalogue entries, stale columns, late 双公示 records, a late annual report …) lists
its records for the agency (`Measure.items`); the supervisor ticks the ones the notice is about. The notices' own
figures (area "notices") are left out: a notice is not about another notice. A ticked record is named by a token
(`<measure key>|<reference>`) and looked up again in the list when the notice is issued, so what is stored is what
the registry says now, never what the browser sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from flask import current_app
from flask_babel import force_locale

from disclosure.supervision import periods
from disclosure.supervision.measures import REGISTRY, Item, Measure, Scope

# The records listed per figure: enough to choose from; the notice can name the rest as a free-text matter.
PICK_LIMIT = 100
SEPARATOR = "|"


def token(key: str, reference: str, title: str) -> str:
    digest = hashlib.sha256(str(title).encode("utf-8")).hexdigest()[:8]
    return SEPARATOR.join((key, str(reference), digest))


@dataclass(frozen=True)
class Problem:
    measure: Measure
    item: Item

    @property
    def token(self) -> str:
        return token(self.measure.key, self.item.reference, self.item.title)


@dataclass(frozen=True)
class ProblemGroup:
    """One figure's records for the agency: `total` counted, `problems` the first PICK_LIMIT of them."""

    measure: Measure
    total: int
    problems: tuple[Problem, ...]

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.problems))


def pickable_measures() -> list[Measure]:
    return [m for m in REGISTRY.measures.values() if m.now and m.lower_is_better and m.area != "notices"]


def _frozen(item: Item) -> Item:
    """The record with its words as text now (a lazily translated title would change with the reader)."""
    return replace(item, reference=str(item.reference), title=str(item.title), note=str(item.note or ""))


def current_problems(agency_id: int, today: dt.date) -> list[ProblemGroup]:
    """The agency's current problems, one group per figure that counts any, in the registry's order. The records
    are read in the platform's language (Chinese): a notice is an official document, and its items are kept in the
    words the agency reads, whatever the supervisor's interface language."""
    scope = Scope((agency_id,), periods.year(today.year), today)
    groups = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for measure in pickable_measures():
            total = measure.count(scope).get(agency_id, 0)
            if not total:
                continue
            items = measure.items(scope, PICK_LIMIT, 0)
            problems = tuple(Problem(measure, _frozen(item)) for item in items if item.agency_id == agency_id)
            groups.append(ProblemGroup(measure, total, problems))
    return groups


def resolve(groups: list[ProblemGroup], tokens) -> tuple[list[Problem], list[str]]:
    """The problems the tokens name, in the order they are listed (each once), and the tokens that name none (a
    problem solved since the page was drawn, or a value the page never offered)."""
    by_token: dict[str, Problem] = {}
    for group in groups:
        for problem in group.problems:
            by_token.setdefault(problem.token, problem)
    wanted = list(dict.fromkeys(t for t in tokens if t))
    found = [p for p in by_token.values() if p.token in wanted]
    return found, [t for t in wanted if t not in by_token]
