"""Figures for the dashboard's tests: measures over a fixed list of records, registered in the real registry for one
test and removed after it, so the dashboard is tested whatever the area modules have registered so far (the real
measures are on the page beside them and are checked the same way).

Keys carry a `zz_` part so they never collide with a real measure; they follow the chart conventions of
`disclosure.supervision.dashboard.board` ("on_time" in a rate's key, "outcome" in an outcome's key).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from disclosure.supervision.measures import REGISTRY, Item, Measure, Ratio, Scope


@dataclass(frozen=True)
class Record:
    figure: str
    agency_id: int
    reference: str
    on: dt.date | None  # None: a state today (counted whatever the period)


class FakeFigures:
    """Registers, per key, a measure counting the records given for it."""

    def __init__(self):
        self.records: list[Record] = []
        self.keys: list[str] = []

    def add(self, figure: str, agency, day: dt.date | None, n: int = 1) -> None:
        for _i in range(n):
            number = len(self.records) + 1
            self.records.append(Record(figure, agency.id, f"ZZ-{number:04d}", day))

    def _matching(self, key: str, scope: Scope) -> list[Record]:
        return sorted(
            (
                r
                for r in self.records
                if r.figure == key and r.agency_id in scope.agency_ids and (r.on is None or scope.period.contains(r.on))
            ),
            key=lambda r: r.reference,
        )

    def measure(self, key: str, area: str, label: str, *, now: bool = False, lower: bool = False) -> Measure:
        def count(scope: Scope) -> dict[int, int]:
            out: dict[int, int] = {}
            for r in self._matching(key, scope):
                out[r.agency_id] = out.get(r.agency_id, 0) + 1
            return out

        def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
            rows = self._matching(key, scope)
            rows = rows[offset:] if limit is None else rows[offset : offset + limit]
            return [Item(r.agency_id, r.reference, f"记录{r.reference}", r.on, "/staff/", "") for r in rows]

        return Measure(
            key,
            area,
            label,
            count,
            items,
            definition=f"Counts the test records of {key}.",
            now=now,
            lower_is_better=lower,
        )

    def register(self) -> None:
        figures = [
            self.measure("requests.zz_received", "requests", "ZZ received"),
            self.measure("requests.zz_concluded", "requests", "ZZ concluded"),
            self.measure("requests.zz_on_time", "requests", "ZZ answered on time"),
            self.measure("requests.zz_outcome_granted", "requests", "ZZ granted"),
            self.measure("requests.zz_outcome_refused", "requests", "ZZ refused"),
            self.measure("requests.zz_overdue", "requests", "ZZ overdue now", now=True, lower=True),
            Ratio(
                "requests.zz_on_time_rate",
                "requests",
                "ZZ on-time rate",
                "requests.zz_on_time",
                "requests.zz_concluded",
                definition="Answered on time among those concluded.",
            ),
            self.measure("notices.zz_late", "notices", "ZZ late notices", now=True, lower=True),
            self.measure("columns.zz_blank", "columns", "ZZ blank columns", now=True, lower=True),
        ]
        REGISTRY.add(*figures)
        self.keys = [f.key for f in figures]

    def unregister(self) -> None:
        for key in self.keys:
            REGISTRY.measures.pop(key, None)
            REGISTRY.ratios.pop(key, None)


def fill(fake: FakeFigures, tree) -> None:
    """Records of 2025 (and one of 2024) across the tree and the outsider:
    office: 3 received (Jan, Feb, Jul), 1 concluded on time, 1 granted;
    bureau: 4 received (Jan ×2, Mar, Dec 2024), 3 concluded, 1 on time, 2 granted, 1 refused, 2 overdue now,
            1 late notice, 1 blank column;
    bureau2: nothing;
    outsider: 5 received, 5 concluded on time, 1 overdue now (never counted for the tree)."""
    d = dt.date
    fake.add("requests.zz_received", tree.office, d(2025, 1, 10))
    fake.add("requests.zz_received", tree.office, d(2025, 2, 3))
    fake.add("requests.zz_received", tree.office, d(2025, 7, 30))
    fake.add("requests.zz_concluded", tree.office, d(2025, 2, 20))
    fake.add("requests.zz_on_time", tree.office, d(2025, 2, 20))
    fake.add("requests.zz_outcome_granted", tree.office, d(2025, 2, 20))
    fake.add("requests.zz_received", tree.bureau, d(2025, 1, 5), n=2)
    fake.add("requests.zz_received", tree.bureau, d(2025, 3, 31))
    fake.add("requests.zz_received", tree.bureau, d(2024, 12, 31))
    fake.add("requests.zz_concluded", tree.bureau, d(2025, 4, 1), n=3)
    fake.add("requests.zz_on_time", tree.bureau, d(2025, 4, 1))
    fake.add("requests.zz_outcome_granted", tree.bureau, d(2025, 4, 1), n=2)
    fake.add("requests.zz_outcome_refused", tree.bureau, d(2025, 4, 1))
    fake.add("requests.zz_overdue", tree.bureau, None, n=2)
    fake.add("notices.zz_late", tree.bureau, None)
    fake.add("columns.zz_blank", tree.bureau, None)
    fake.add("requests.zz_received", tree.outsider, d(2025, 5, 5), n=5)
    fake.add("requests.zz_concluded", tree.outsider, d(2025, 5, 6), n=5)
    fake.add("requests.zz_on_time", tree.outsider, d(2025, 5, 6), n=5)
    fake.add("requests.zz_overdue", tree.outsider, None)
