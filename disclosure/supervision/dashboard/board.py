"""The dashboard's composition (issue 14 §1): from the figures registry (`measures.REGISTRY`), every area's figures
for a `Scope` — the total over the scope's agencies and the value of each agency — and the three charts.

The board is registry-driven: it shows whatever the area modules under `figures/` have registered, area by area in
`AREAS` order, and an area with nothing registered is simply absent. Each measure is counted once for the page's
period (`measures.counts`, through the figures kept per agency and period between writes: `figures.store`); a ratio
is computed from its summed parts, never as an average of the agencies' percentages (a bureau answering 1 of 1 on
time and another 1 of 3 make 2 of 4, 50 %, not 66.7 %).

The charts pick their figures by the registry's key conventions, with a fallback so that a renamed key still draws:
- on-time rates by agency: the ratios whose key holds "on_time" (else every ratio where higher is better);
- the outcome mix of requests: the measures of the area "requests" whose key holds "outcome";
- the trend of received requests and published entries: `requests.received` and `proactive.published` (else the
  first measure of each area that counts events in the period). The trend counts these two measures once per month
  of the period (once per quarter beyond two years), through the same `Measure.count` (and the same store), so each
  month's number is exactly the records its drill-down lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from disclosure.supervision import measures, periods
from disclosure.supervision.figures import store
from disclosure.supervision.measures import AREAS, REGISTRY, Measure, Ratio, Scope

# The overview table shows at most this many key figures per area (see `key_figures`).
KEY_FIGURES_PER_AREA = 3
# The trend's measures by convention, per area.
TREND_KEYS = {"requests": "requests.received", "proactive": "proactive.published"}
# Beyond this many months the trend is drawn by quarter.
TREND_MONTHS_MAX = 24
# The areas shown at the top of one agency's dashboard: what needs acting on (issue 14 §1, §3).
ATTENTION_AREAS = ("notices", "columns")

Link = Callable[..., str]


@dataclass(frozen=True)
class Value:
    """A figure's value for one agency or for the scope: a count, or a percentage with its two parts."""

    number: int | float | None
    numerator: int | None = None
    denominator: int | None = None


@dataclass
class Figure:
    spec: Measure | Ratio
    total: Value
    by_agency: Mapping[int, Value]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def area(self) -> str:
        return self.spec.area

    @property
    def label(self):
        return self.spec.label

    @property
    def definition(self):
        return self.spec.definition

    @property
    def is_ratio(self) -> bool:
        return isinstance(self.spec, Ratio)

    @property
    def now(self) -> bool:
        """A state today (overdue now …), not an event within the period. A ratio is 'now' when its parts are."""
        if isinstance(self.spec, Ratio):
            return REGISTRY.measures[self.spec.numerator].now and REGISTRY.measures[self.spec.denominator].now
        return self.spec.now

    @property
    def lower_is_better(self) -> bool:
        return self.spec.lower_is_better


@dataclass
class Area:
    key: str
    label: object
    figures: list[Figure]


@dataclass
class Series:
    name: str
    key: str  # the figure drawn
    values: list[int | float | None]
    links: list[str | None]


@dataclass
class Chart:
    """A chart and its accessible table: `categories` are the table's rows (and the chart's axis or slices),
    `series` its columns. The same object gives the JSON the script draws from and the table the page shows; the
    records' addresses are only in the table's links (the script follows them from there)."""

    id: str
    kind: str  # "bar" | "pie" | "line"
    title: object
    row_header: object
    unit: str  # "%" or ""
    categories: list[str]
    category_links: list[str | None]
    series: list[Series]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": str(self.title),
            "unit": self.unit,
            "categories": self.categories,
            "series": [{"name": s.name, "key": s.key, "data": s.values} for s in self.series],
        }


@dataclass
class Board:
    scope: Scope
    agencies: list  # Agency rows, in tree order
    areas: list[Area]
    agency_id: int | None = None  # one agency's dashboard; None: every agency the user may see
    charts: list[Chart] = field(default_factory=list)
    # The agencies the on-time chart draws: every agency of the board unless the page shows some of them (the
    # competent department's page draws the agencies of the overview table's page, in its order).
    shown: list | None = None

    @property
    def shown_agencies(self) -> list:
        return self.agencies if self.shown is None else self.shown

    def figure(self, key: str) -> Figure | None:
        for area in self.areas:
            for f in area.figures:
                if f.key == key:
                    return f
        return None

    @property
    def figures(self) -> list[Figure]:
        return [f for area in self.areas for f in area.figures]

    def key_figures(self) -> list[tuple[Area, list[Figure]]]:
        """Per area, the figures of the overview table (agencies × key figures): the area's first count of events
        (received, published, held …), its rates where higher is better, and its states today where lower is
        better (overdue now, late notices, flagged columns); at most `KEY_FIGURES_PER_AREA`."""
        out = []
        for area in self.areas:
            volume = [f for f in area.figures if not f.is_ratio and not f.now][:1]
            rates = [f for f in area.figures if f.is_ratio and not f.lower_is_better]
            alarms = [f for f in area.figures if not f.is_ratio and f.now and f.lower_is_better]
            chosen = [*volume, *rates, *alarms][:KEY_FIGURES_PER_AREA]  # three disjoint kinds
            if not chosen:
                chosen = area.figures[:KEY_FIGURES_PER_AREA]
            out.append((area, chosen))
        return out

    def split(self, first: tuple[str, ...]) -> tuple[list[Area], list[Area]]:
        """The areas named in `first` (in AREAS order), then the others."""
        return [a for a in self.areas if a.key in first], [a for a in self.areas if a.key not in first]


def _measure_value(per_agency: dict[int, int], agency_id: int) -> Value:
    return Value(int(per_agency.get(agency_id, 0)))


class PerAgency(Mapping):
    """A figure's value for each agency of the scope, made when first asked for: the competent department's page
    shows a few figures per agency out of some fifty, over hundreds of agencies."""

    def __init__(self, ids: tuple[int, ...], make: Callable[[int], Value]):
        self._ids, self._known, self._make, self._made = ids, frozenset(ids), make, {}

    def __getitem__(self, agency_id: int) -> Value:
        value = self._made.get(agency_id)
        if value is None:
            if agency_id not in self._known:
                raise KeyError(agency_id)
            value = self._made[agency_id] = self._make(agency_id)
        return value

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _ratio_value(ratio: Ratio, num: int, den: int) -> Value:
    return Value(ratio.value(num, den), num, den)


def build(
    scope: Scope, agencies: list, *, agency_id: int | None = None, link: Link | None = None, charts: bool = True
) -> Board:
    """The board of these agencies (`scope.agency_ids`, with their rows in `agencies`) over the scope's period;
    `agency_id` when it is one agency's dashboard. `link(key, agency_id, period)` gives a figure's drill-down
    address (the charts' tables link each number); without it, no links."""
    keys = [*REGISTRY.measures, *REGISTRY.ratios]
    # Each measure once, kept per agency and period between writes; only the scope's agencies, so a total is the
    # sum of the values.
    counted = store.counts(keys, scope)
    ids = scope.agency_ids
    areas: list[Area] = []
    for area_key, area_label in AREAS.items():
        specs = REGISTRY.in_area(area_key)
        if not specs:
            continue
        figures = []
        for spec in specs:
            if isinstance(spec, Ratio):
                num, den = counted[spec.numerator], counted[spec.denominator]
                by_agency = PerAgency(
                    ids,
                    lambda a, spec=spec, num=num, den=den: _ratio_value(spec, int(num.get(a, 0)), int(den.get(a, 0))),
                )
                total = _ratio_value(spec, sum(num.values()), sum(den.values()))  # from the summed parts
            else:
                per_agency = counted[spec.key]
                by_agency = PerAgency(ids, lambda a, per_agency=per_agency: _measure_value(per_agency, a))
                total = Value(sum(per_agency.values()))
            figures.append(Figure(spec, total, by_agency))
        areas.append(Area(area_key, area_label, figures))
    board = Board(scope, agencies, areas, agency_id)
    if charts:
        draw(board, link)
    return board


def draw(board: Board, link: Link | None) -> None:
    """The board's three charts (the on-time chart over `board.shown_agencies`)."""
    drawn = (on_time_chart(board, link), outcome_chart(board, link), trend_chart(board, link))
    board.charts = [c for c in drawn if c is not None]


def sort_agencies(agencies: list, figure: Figure | None, descending: bool) -> list:
    """The agencies by a figure's value (agencies with nothing to rate last, ties in the given order), or as they
    are without a figure."""
    if figure is None:
        return list(agencies)
    values = {a.id: figure.by_agency[a.id].number for a in agencies}
    valued = sorted((a for a in agencies if values[a.id] is not None), key=lambda a: values[a.id], reverse=descending)
    return valued + [a for a in agencies if values[a.id] is None]


def _link(link: Link | None, key: str, agency_id: int | None = None, period: periods.Period | None = None):
    return link(key, agency_id, period) if link else None


def on_time_rates(board: Board) -> list[Figure]:
    ratios = [f for f in board.figures if f.is_ratio]
    chosen = [f for f in ratios if "on_time" in f.key and not f.lower_is_better]
    return chosen or [f for f in ratios if not f.lower_is_better]


def on_time_chart(board: Board, link: Link | None) -> Chart | None:
    """On-time rates by agency (bar): one bar per agency shown and rate."""
    rates = on_time_rates(board)
    if not rates:
        return None
    agencies = board.shown_agencies
    return Chart(
        id="on-time",
        kind="bar",
        title=_l("On-time rates by agency"),
        row_header=_l("Agency"),
        unit="%",
        categories=[a.short_name for a in agencies],
        category_links=[None for _a in agencies],
        series=[
            Series(
                str(f.label),
                f.key,
                [f.by_agency[a.id].number for a in agencies],
                [_link(link, f.key, a.id) if f.by_agency[a.id].number is not None else None for a in agencies],
            )
            for f in rates
        ],
    )


def outcome_measures(board: Board) -> list[Figure]:
    return [f for f in board.figures if f.area == "requests" and not f.is_ratio and "outcome" in f.key]


def outcome_chart(board: Board, link: Link | None) -> Chart | None:
    """The outcome mix of the requests concluded (pie): one slice per outcome group, totals over the scope."""
    outcomes = outcome_measures(board)
    if not outcomes:
        return None
    return Chart(
        id="outcomes",
        kind="pie",
        title=_l("Outcome mix of requests"),
        row_header=_l("Outcome"),
        unit="",
        categories=[str(f.label) for f in outcomes],
        category_links=[None for _f in outcomes],
        series=[
            Series(
                str(_l("Requests")),
                "",
                [f.total.number for f in outcomes],
                [_link(link, f.key, board.agency_id) for f in outcomes],
            )
        ],
    )


def trend_measures() -> list[Measure]:
    out = []
    for area, key in TREND_KEYS.items():
        measure = REGISTRY.measures.get(key)
        if measure is None:
            measure = next((m for m in REGISTRY.measures.values() if m.area == area and not m.now), None)
        if measure is not None:
            out.append(measure)
    return out


def buckets(period: periods.Period) -> list[periods.Period]:
    """The trend's steps: the months of the period (quarters beyond `TREND_MONTHS_MAX` months), each cut to the
    period where the period starts or ends inside it."""
    steps: list[periods.Period] = []
    months = period.months()
    if len(months) <= TREND_MONTHS_MAX:
        steps = [periods.month(y, m) for y, m in months]
    else:
        for y, m in months:
            q = periods.quarter(y, (m - 1) // 3 + 1)
            if not steps or steps[-1] != q:
                steps.append(q)
    out = []
    for step in steps:
        start, end = max(step.start, period.start), min(step.end, period.end)
        out.append(step if (start, end) == (step.start, step.end) else periods.custom(start, end))
    return out


def bucket_label(step: periods.Period) -> str:
    """A step of the trend as its axis shows it: 2026-03, Q2 2026 (a cut step by its first day's month)."""
    if step.kind is periods.PeriodKind.QUARTER:
        return step.label
    return f"{step.start.year}-{step.start.month:02d}"


def trend(scope: Scope) -> tuple[list[periods.Period], list[tuple[Measure, list[int]]]]:
    """The trend's steps and, per trend measure, the total over the scope's agencies in each step."""
    steps = buckets(scope.period)
    chosen = trend_measures()
    ids = set(scope.agency_ids)
    per_step = [store.counts([m.key for m in chosen], Scope(scope.agency_ids, step, scope.today)) for step in steps]
    return steps, [(m, [measures.total(counted[m.key], ids) for counted in per_step]) for m in chosen]


def trend_chart(board: Board, link: Link | None) -> Chart | None:
    """Received requests and published entries month by month over the period (lines)."""
    steps, lines = trend(board.scope)
    if not lines:
        return None
    quarterly = bool(steps) and steps[0].kind is periods.PeriodKind.QUARTER
    return Chart(
        id="trend",
        kind="line",
        title=_l("Quarterly trend") if quarterly else _l("Monthly trend"),
        row_header=_l("Quarter") if quarterly else _l("Month"),
        unit="",
        categories=[bucket_label(s) for s in steps],
        category_links=[None for _s in steps],
        series=[
            Series(str(m.label), m.key, values, [_link(link, m.key, board.agency_id, s) for s in steps])
            for m, values in lines
        ],
    )
