"""The numbers of an annual report (国办公开办函〔2021〕30号 tables 2–4, rules-china §3) and their checks (勾稽关系),
computed from live data read through the package doors: `disclosure.applications` (cases and remedies, a few
grouped set queries), `disclosure.publicity` (licensing and penalty decisions), `disclosure.catalog` (rules and
normative documents) and `disclosure.correspondence` (which outcome goes to which row of table 3).

`compute()` returns the JSON object of the CLI (`disclosure report annual --json`): every row key of table 3 with
all seven columns, even when zero; fees in 万元 as an exact decimal string.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from disclosure import applications, publicity
from disclosure.catalog import normative_counts
from disclosure.correspondence import OUTCOMES, Outcome
from disclosure.reports.checks import run_checks
from disclosure.reports.grid import (
    CATALOG_KEYS,
    CATALOG_MEASURES,
    CATEGORIES,
    COLUMNS,
    REMEDY_BLOCKS,
    REMEDY_RESULTS,
    ROW_KEYS,
    WITHDRAWN_ROW,
)


@dataclass(frozen=True)
class Period:
    year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def row_of(outcome: str | None, withdrawn: bool) -> str | None:
    """The row of table 3 a concluded request counts in; None when its outcome is unknown (a data problem)."""
    if withdrawn:
        return WITHDRAWN_ROW
    try:
        return OUTCOMES[Outcome(outcome)].report_row
    except ValueError:
        return None


def ten_thousand_yuan(yuan: Decimal | int | None) -> str:
    """Yuan → 万元, exact (yuan have at most 2 decimals, so 万元 at most 6), never rounded; at least 4 decimals."""
    value = Decimal(yuan or 0) / Decimal(10000)
    if -value.as_tuple().exponent < 4:
        value = value.quantize(Decimal("0.0001"))
    return format(value, "f")


# --- Table 2 -----------------------------------------------------------------------------------------------------


def catalogue_counts(agency_id: int, year: int) -> dict | None:
    """规章 and 行政规范性文件 made / repealed / valid from the catalogue (`catalog.normative_counts`)."""
    raw = normative_counts(agency_id, year)
    return {key: {m: int(raw.get(src, {}).get(m, 0)) for m in CATALOG_MEASURES} for key, src in CATALOG_KEYS.items()}


def table2(agency_id: int, period: Period, report=None) -> dict:
    counts = catalogue_counts(agency_id, period.year) or {
        key: {"made": 0, "repealed": 0, "valid": 0} for key in CATALOG_KEYS
    }
    decisions = publicity.decisions_by_kind(agency_id, period.start, period.end)
    return {
        **counts,
        "licensing": {"decisions": decisions.get("licensing", 0)},
        "penalty": {"decisions": decisions.get("penalty", 0)},
        "coercion": {"decisions": int(getattr(report, "coercion_decisions", None) or 0)},
        "fees": {"amount_10k_yuan": ten_thousand_yuan(getattr(report, "fees_yuan", None))},
    }


# --- Table 3 -----------------------------------------------------------------------------------------------------


def table3(agency_id: int, period: Period) -> tuple[dict, dict]:
    """Table 3 and the raw facts the checks need (the counts of data problems)."""
    table = {row: dict.fromkeys(COLUMNS, 0) for row in ROW_KEYS}
    problems = {"closed_before_received": 0, "closed_without_date": 0, "unknown_outcome": 0, "unknown_category": 0}

    def add(row: str, category: str, n: int) -> None:
        if not n:
            return
        if category in CATEGORIES:
            table[row][category] += n
        table[row]["total"] += n  # a case of an unknown category is counted, and the row check names it

    for g in applications.yearly_case_counts(agency_id, period.start, period.end):
        for measure in ("new", "carried_in", "carried_out"):
            add(measure, g.category, getattr(g, measure))
        add("total", g.category, g.concluded)
        row = row_of(g.outcome, g.withdrawn)
        if row is not None:
            add(row, g.category, g.concluded)
        elif g.concluded:
            problems["unknown_outcome"] += g.concluded
        if g.category not in CATEGORIES:
            problems["unknown_category"] += g.new + g.carried_in + g.concluded + g.carried_out
        problems["closed_before_received"] += g.closed_before_received
        problems["closed_without_date"] += g.closed_without_date
    return table, problems


# --- Table 4 -----------------------------------------------------------------------------------------------------


def table4(agency_id: int, period: Period) -> tuple[dict, int]:
    """The three blocks, and how many remedies have a kind or result the format does not know."""
    table = {block: dict.fromkeys((*REMEDY_RESULTS, "total"), 0) for block in REMEDY_BLOCKS}
    unknown = 0
    for r in applications.yearly_remedy_counts(agency_id, period.start, period.end):
        if r.kind not in table:
            unknown += r.count
            continue
        if r.result in REMEDY_RESULTS:
            table[r.kind][r.result] += r.count
        table[r.kind]["total"] += r.count  # an unknown result breaks the block's sum, which names the remedies
    return table, unknown


# --- The whole report --------------------------------------------------------------------------------------------


def compute(agency, year: int, report=None, *, previous_valid: dict | None = None) -> dict:
    """The report's numbers and checks as the CLI prints them (`report`: the draft's hand-entered figures)."""
    period = Period(year)
    t2 = table2(agency.id, period, report)
    t3, problems = table3(agency.id, period)
    t4, unknown_remedies = table4(agency.id, period)
    numbers = {"agency": agency.slug, "year": year, "table2": t2, "table3": t3, "table4": t4}
    catalogue_known = catalogue_counts(agency.id, year) is not None
    if previous_valid is None and catalogue_known:
        previous = catalogue_counts(agency.id, year - 1)
        previous_valid = {k: v["valid"] for k, v in previous.items()} if previous else None
    numbers["checks"] = run_checks(
        numbers,
        agency_id=agency.id,
        period=period,
        problems=problems,
        unknown_remedies=unknown_remedies,
        report=report,
        previous_valid=previous_valid,
        catalogue_known=catalogue_known,
    )
    return numbers
