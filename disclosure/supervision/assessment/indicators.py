"""Assessment indicators as data: the built-in defaults, built from the figures the registry holds, and the check of
a set of indicators as the competent department typed it (every problem at once, by row and field).

The defaults follow issue 14 §4 (on-time rates of requests and of proactive entries, overdue counts,
interpretation timeliness, column flags, the correction rate in remedies, the annual report on time) and the local
practice of proactive-china §1.7: 政务公开 weighs at least 4 % of a government's performance assessment (浙江 2016
circular §4(1)); website checks under 国办秘函〔2019〕19号 combine single-veto items with a deduction score out of 100
(the 宣城 2019 scheme). The defaults name figures by what they count (area, ratio or count, key words), not by exact
key, so they follow the registry as the areas define it; a default whose figure is not registered is left out and
the others' weights are scaled to add up to 100 again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from disclosure.core.errors import FieldErrors
from disclosure.supervision import measures
from disclosure.supervision.assessment.scoring import (
    DEDUCT,
    EXCLUDE,
    FLAG,
    FULL,
    MEASURE,
    NO_DATA,
    RATE,
    RATIO,
    RULES,
    Indicator,
)

MAX_INDICATORS = 30
NAME_MAX = 100
FIELDS = ("name", "figure", "weight", "rule", "target", "floor", "per_item", "no_data")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_POINTS = re.compile(r"\d{1,3}(\.\d{1,2})?")
_PERCENT = re.compile(r"\d{1,3}(\.\d)?")

RULE_LABELS = {
    RATE: _l("Rate: full marks at the target, none at the floor"),
    DEDUCT: _l("Deduction: points off per counted item"),
    FLAG: _l("Single veto: full marks only when the count is zero"),
}
NO_DATA_LABELS = {
    FULL: _l("Full marks"),
    EXCLUDE: _l("Left out, its weight shared among the other indicators"),
}


# --- The defaults -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Default:
    """A default indicator: the first registered figure that `matches`, scored by `rule`."""

    name: str  # Chinese: the published results table prints it
    weight: int
    kind: str  # RATIO or MEASURE
    area: str
    matches: Callable[[str, object], bool]  # (key, figure) -> bool
    rule: str
    target: str | None = None
    floor: str | None = None
    per_item: str | None = None
    no_data: str = FULL


def _words(*required: str, any_of: tuple[str, ...] = (), without: tuple[str, ...] = (), lower: bool = False):
    """A figure whose key holds every word of `required` and one of `any_of` (if given), none of `without`, and
    whose direction is `lower` (lower is better, or higher is better)."""

    def matches(key: str, figure) -> bool:
        k = key.lower()
        return (
            bool(figure.lower_is_better) == lower
            and all(w in k for w in required)
            and (not any_of or any(w in k for w in any_of))
            and not any(w in k for w in without)
        )

    return matches


DEFAULTS: tuple[Default, ...] = (
    Default("依申请公开按时答复率", 20, RATIO, "requests", _words("on_time"), RATE, "100", "80"),
    Default("依申请公开超期未答复", 10, MEASURE, "requests", _words("overdue", lower=True), DEDUCT, per_item="2"),
    Default("主动公开按时发布率", 20, RATIO, "proactive", _words("on_time", without=("interpret",)), RATE, "100", "80"),
    Default(
        "主动公开超期未发布",
        10,
        MEASURE,
        "proactive",
        _words("overdue", without=("interpret",), lower=True),
        DEDUCT,
        per_item="1",
    ),
    Default("政策解读及时率", 10, RATIO, "proactive", _words("interpret", "on_time"), RATE, "100", "80"),
    Default("政府网站栏目更新（单项否决）", 10, MEASURE, "columns", _words(any_of=("veto", "flag"), lower=True), FLAG),
    Default("行政复议、行政诉讼纠错率", 10, RATIO, "requests", _words("correct", lower=True), RATE, "0", "20"),
    Default("年度报告逾期发布", 5, MEASURE, "reports", _words("late", lower=True), FLAG),
    Default("年度报告逾期未发布", 5, MEASURE, "reports", _words(any_of=("overdue", "missing"), lower=True), FLAG),
)

# When the registry has no ratio of timely interpretations, their late or missing count is scored by deduction.
INTERPRETATION_COUNT = Default(
    "政策解读超期或缺失",
    10,
    MEASURE,
    "proactive",
    _words("interpret", any_of=("late", "missing", "overdue"), lower=True),
    DEDUCT,
    per_item="1",
)


def _find(default: Default, taken: set[str]) -> str | None:
    """The first registered figure (in registration order) that the default names and no other default took."""
    pool = measures.REGISTRY.ratios if default.kind == RATIO else measures.REGISTRY.measures
    for key, figure in pool.items():
        if figure.area == default.area and key not in taken and default.matches(key, figure):
            return key
    return None


def _scaled(weights: list[int]) -> list[int]:
    """Whole weights scaled to add up to 100 (largest remainder, earlier first on a tie)."""
    total = sum(weights)
    if not total or total == 100:
        return weights
    raw = [w * 100 / total for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))[: 100 - sum(out)]:
        out[i] += 1
    return out


def default_indicators() -> list[dict]:
    """The built-in defaults, resolved against the registry as it is (as stored: `Indicator.as_json` without the
    figure's kind, which is read again when an assessment starts)."""
    taken: set[str] = set()
    chosen: list[tuple[Default, str]] = []
    for d in DEFAULTS:
        key = _find(d, taken)
        if key is None and d.name == "政策解读及时率":
            d = INTERPRETATION_COUNT
            key = _find(d, taken)
        if key is not None:
            taken.add(key)
            chosen.append((d, key))
    weights = _scaled([d.weight for d, _key in chosen])
    out = []
    for (d, key), weight in zip(chosen, weights, strict=True):
        out.append(
            {
                "name": d.name,
                "figure": key,
                "weight": str(weight),
                "rule": d.rule,
                "target": d.target,
                "floor": d.floor,
                "per_item": d.per_item,
                "no_data": d.no_data,
            }
        )
    return out


# --- Checking a set as typed --------------------------------------------------------------------------------------


def field_name(index: int, name: str) -> str:
    """The form field of row `index` (the page's FieldList 'rows' with '_' separators)."""
    return f"rows_{index}_{name}"


def _number(text: str, pattern: re.Pattern) -> Decimal | None:
    text = text.strip().replace("，", ".").replace("％", "").replace("%", "").strip()
    if not pattern.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return None


def _text(value) -> str:
    return "" if value is None else str(value)


def is_blank(row: dict) -> bool:
    return not any(_text(row.get(f)).strip() for f in ("name", "figure", "weight"))


def check(rows: list[dict]) -> list[dict]:
    """The indicators a set of typed rows describes (blank rows and rows marked `remove` left out), as stored; or
    FieldErrors naming every problem beside its field (`rows_<i>_<field>`) and the sum of the weights
    (`weights`)."""
    errors: dict[str, object] = {}
    out: list[dict] = []
    total = Decimal(0)
    kept = [(i, r) for i, r in enumerate(rows) if not r.get("remove") and not is_blank(r)]
    if len(kept) > MAX_INDICATORS:
        errors["weights"] = _l("At most %(n)s indicators.", n=MAX_INDICATORS)
    names: set[str] = set()
    for i, row in kept:
        err = {}
        name = _CONTROL.sub("", _text(row.get("name"))).strip()
        if not name:
            err["name"] = _l("Name the indicator.")
        elif len(name) > NAME_MAX:
            err["name"] = _l("At most %(n)s characters.", n=NAME_MAX)
        elif name in names:
            err["name"] = _l("Another indicator has this name.")
        names.add(name)
        key = _text(row.get("figure")).strip()
        figure = measures.REGISTRY.get(key) if key else None
        if not key:
            err["figure"] = _l("Choose the figure the indicator reads.")
        elif figure is None:
            err["figure"] = _l("No figure is registered under “%(key)s”: choose one from the list.", key=key[:100])
        weight = _number(_text(row.get("weight")), _POINTS)
        if weight is None or not 0 < weight <= 100:
            err["weight"] = _l("A weight in points, more than 0 and at most 100, with at most two decimals.")
        else:
            total += weight
        rule = _text(row.get("rule")).strip()
        if rule not in RULES:
            err["rule"] = _l("Choose how the indicator is scored.")
        elif figure is not None:
            is_ratio = isinstance(figure, measures.Ratio)
            if rule == RATE and not is_ratio:
                err["rule"] = _l(
                    "A rate reads a percentage, and this figure is a count: score it by deduction or as a single "
                    "veto, or choose a percentage."
                )
            elif rule != RATE and is_ratio:
                err["rule"] = _l(
                    "Deductions and single vetoes read a count, and this figure is a percentage: score it as a rate, "
                    "or choose a count."
                )
        target = floor = per_item = None
        if rule == RATE:
            target = _number(_text(row.get("target")), _PERCENT)
            floor = _number(_text(row.get("floor")), _PERCENT)
            if target is None or target > 100:
                err["target"] = _l("A percentage from 0 to 100, with at most one decimal.")
            if floor is None or floor > 100:
                err["floor"] = _l("A percentage from 0 to 100, with at most one decimal.")
            lower = bool(getattr(figure, "lower_is_better", False))
            if target is not None and floor is not None and "target" not in err and "floor" not in err:
                if not lower and target <= floor:
                    err["target"] = _l(
                        "Full marks must need a higher rate than zero marks: the target must be above the floor "
                        "(%(floor)s %%).",
                        floor=floor,
                    )
                elif lower and target >= floor:
                    err["target"] = _l(
                        "Lower is better for this figure: the target (full marks) must be below the floor (zero "
                        "marks, %(floor)s %%).",
                        floor=floor,
                    )
        elif rule == DEDUCT:
            per_item = _number(_text(row.get("per_item")), _POINTS)
            if per_item is None or per_item <= 0:
                err["per_item"] = _l("Points off per item: more than 0, with at most two decimals.")
            elif weight is not None and per_item > weight:
                err["per_item"] = _l("Points off per item cannot exceed the indicator's weight (%(w)s).", w=weight)
        no_data = _text(row.get("no_data")).strip() or FULL
        if no_data not in NO_DATA:
            err["no_data"] = _l("Choose full marks or leaving the indicator out.")
        for name_, message in err.items():
            errors[field_name(i, name_)] = message
        if not err:
            out.append(
                Indicator(
                    name=name,
                    figure=key,
                    weight=weight,
                    rule=rule,
                    target=target,
                    floor=floor,
                    per_item=per_item,
                    no_data=no_data,
                    kind=RATIO if isinstance(figure, measures.Ratio) else MEASURE,
                    lower_is_better=bool(getattr(figure, "lower_is_better", False)),
                ).as_json()
            )
    if not kept:
        errors["weights"] = _l("Define at least one indicator.")
    elif "weights" not in errors and total != 100 and not any(k.endswith("_weight") for k in errors):
        errors["weights"] = _l(
            "The weights add up to %(sum)s points; they must add up to exactly 100.", sum=format(total.normalize(), "f")
        )
    if errors:
        raise FieldErrors(errors)
    for item in out:  # the figure's kind is read again when an assessment starts
        item.pop("kind", None)
        item.pop("lower_is_better", None)
    return out


def resolved(stored: list[dict]) -> list[Indicator]:
    """Stored indicators with the kind and direction of the figures they read now; KeyError naming an indicator
    whose figure is no longer registered."""
    out = []
    for item in stored:
        figure = measures.REGISTRY.get(item["figure"])
        if figure is None:
            raise KeyError(item["name"])
        out.append(
            Indicator.from_json(
                {
                    **item,
                    "kind": RATIO if isinstance(figure, measures.Ratio) else MEASURE,
                    "lower_is_better": bool(figure.lower_is_better),
                }
            )
        )
    return out


def figure_label(key: str) -> str:
    """The figure's words in the interface language, its key when it is no longer registered."""
    figure = measures.REGISTRY.get(key)
    return key if figure is None else str(figure.label)
