"""The arithmetic of an assessment (考核): how an indicator turns a figure into points, and how an agency's
indicators add up to a score out of 100. Pure functions of their arguments (no Flask, no database), so the rules
can be tested on fixed inputs.

The rules (issue 14 §4; proactive-china §1.7):
- `rate` reads a percentage (a `Ratio`): full marks at or above the target, zero at or below the floor, linear in
  between; for a figure where lower is better (a correction rate), full marks at or below the target and zero at
  or above the floor. The percentage is the one the dashboard shows (one decimal, as `Ratio.value` rounds it), so a
  figure shown as 90.0 % meets a target of 90 %.
- `deduct` reads a count (a `Measure`): points off per counted item, never below zero (the deduction scheme of the
  local website checks under 国办秘函〔2019〕19号, e.g. the 宣城 2019 scheme).
- `flag` reads a count: full marks when it is zero, none otherwise — the single-veto (单项否决) style of
  国办秘函〔2019〕19号, applied to this indicator's points.
- A figure without data (a percentage of nothing: no request concluded, no remedy decided) gives full marks, or is
  excluded: its weight is then shared among the agency's other indicators in proportion to their weights, so the
  agency is still scored out of 100.

Points are kept in hundredths; the indicators' maxima are apportioned by largest remainder so that they always add
up to exactly 100.00.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

RATE, DEDUCT, FLAG = "rate", "deduct", "flag"
RULES = (RATE, DEDUCT, FLAG)
FULL, EXCLUDE = "full", "exclude"
NO_DATA = (FULL, EXCLUDE)
RATIO, MEASURE = "ratio", "measure"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ONE, ZERO = Decimal(1), Decimal(0)


def _dec(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@dataclass(frozen=True)
class Indicator:
    """One indicator as the assessment reads it. `kind` and `lower_is_better` come from the figure it reads and
    are copied when an assessment starts (a frozen result keeps the rule it was scored by)."""

    name: str
    figure: str  # a key of measures.REGISTRY
    weight: Decimal  # points out of 100
    rule: str  # RULES
    target: Decimal | None = None  # rate: full marks from here (a percentage)
    floor: Decimal | None = None  # rate: zero marks from here (a percentage)
    per_item: Decimal | None = None  # deduct: points off per counted item
    no_data: str = FULL  # NO_DATA
    kind: str = RATIO  # RATIO or MEASURE
    lower_is_better: bool = False

    @classmethod
    def from_json(cls, data: dict) -> Indicator:
        return cls(
            name=str(data["name"]),
            figure=str(data["figure"]),
            weight=Decimal(str(data["weight"])),
            rule=str(data["rule"]),
            target=_dec(data.get("target")),
            floor=_dec(data.get("floor")),
            per_item=_dec(data.get("per_item")),
            no_data=str(data.get("no_data") or FULL),
            kind=str(data.get("kind") or (RATIO if data["rule"] == RATE else MEASURE)),
            lower_is_better=bool(data.get("lower_is_better")),
        )

    def as_json(self) -> dict:
        def text(d: Decimal | None) -> str | None:
            return None if d is None else format(d.normalize(), "f")

        return {
            "name": self.name,
            "figure": self.figure,
            "weight": text(self.weight),
            "rule": self.rule,
            "target": text(self.target),
            "floor": text(self.floor),
            "per_item": text(self.per_item),
            "no_data": self.no_data,
            "kind": self.kind,
            "lower_is_better": self.lower_is_better,
        }


@dataclass(frozen=True)
class Figure:
    """The figure an indicator read for one agency: a measure's count, or a ratio's numerator and denominator."""

    count: int | None = None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def percent(self) -> Decimal | None:
        """The percentage as the dashboard shows it (`Ratio.value`: one decimal); None for a percentage of
        nothing."""
        if self.denominator is None or not self.denominator:
            return None
        return Decimal(str(round(100.0 * (self.numerator or 0) / self.denominator, 1)))

    @property
    def has_data(self) -> bool:
        return self.count is not None or bool(self.denominator)


def achievement(indicator: Indicator, figure: Figure) -> Decimal | None:
    """The share of the indicator's points the figure earns, from 0 to 1; None when the figure has no data."""
    if indicator.rule == RATE:
        p = figure.percent
        if p is None:
            return None
        good, bad = indicator.target, indicator.floor
        if indicator.lower_is_better:
            if p <= good:
                return ONE
            if p >= bad:
                return ZERO
            return (bad - p) / (bad - good)
        if p >= good:
            return ONE
        if p <= bad:
            return ZERO
        return (p - bad) / (good - bad)
    if figure.count is None:
        return None
    if indicator.rule == DEDUCT:
        return max(ZERO, ONE - indicator.per_item * figure.count / indicator.weight)
    if indicator.rule == FLAG:
        return ONE if figure.count == 0 else ZERO
    raise ValueError(f"unknown rule {indicator.rule!r}")


def apportion(weights: list[Decimal], included: list[bool]) -> list[Decimal]:
    """Each indicator's maximum points: its weight scaled so that the included ones share exactly 100.00 (largest
    remainder on hundredths, earlier indicators first on a tie); 0 for the excluded ones."""
    total = sum((w for w, inc in zip(weights, included, strict=True) if inc), ZERO)
    if not total:
        return [ZERO for _ in weights]
    raw = [(w * 10000 / total if inc else ZERO) for w, inc in zip(weights, included, strict=True)]
    cents = [r.to_integral_value(rounding=ROUND_DOWN) for r in raw]
    left = 10000 - int(sum(cents))
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - cents[i]), i))
    for i in order[:left]:
        cents[i] += 1
    return [c / 100 for c in cents]


@dataclass(frozen=True)
class Line:
    """One indicator's score for one agency."""

    figure: Figure
    has_data: bool
    excluded: bool  # no data and the indicator says so: its weight went to the others
    max_points: Decimal  # the weight after any sharing (0 when excluded)
    points: Decimal | None  # None when excluded


def score(indicators: list[Indicator], figures: list[Figure]) -> tuple[list[Line], Decimal | None]:
    """One agency's lines, in the indicators' order, and its total (None when every indicator was excluded)."""
    shares = [achievement(i, f) for i, f in zip(indicators, figures, strict=True)]
    included = [s is not None or i.no_data == FULL for i, s in zip(indicators, shares, strict=True)]
    maxima = apportion([i.weight for i in indicators], included)
    lines = []
    for figure, share, inc, most in zip(figures, shares, included, maxima, strict=True):
        points = None
        if inc:
            points = (most * (ONE if share is None else share)).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(Line(figure, share is not None, not inc, most, points))
    if not any(included):
        return lines, None
    return lines, sum((line.points for line in lines if line.points is not None), ZERO).quantize(CENT)


def ranks(totals: dict[int, Decimal | None]) -> dict[int, int | None]:
    """Competition ranking (1, 1, 3) by total, highest first; None for an agency without a total."""
    scored = sorted((t for t in totals.values() if t is not None), reverse=True)
    return {k: (None if t is None else scored.index(t) + 1) for k, t in totals.items()}
