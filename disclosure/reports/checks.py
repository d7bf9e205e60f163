"""The checks of an annual report (勾稽关系, 国办公开办函〔2021〕30号; rules-china §3.3–3.4, proactive-china §4).

Hard checks (severity "error") block submission: for every column of table 3 新收 + 上年结转 = 总计 + 结转下年度; 总计 =
the sum of the outcome rows; each row's 总计 = the sum of its six columns; each block of table 4 adds up; no case is
closed before it was received or without its closing date; table 2's hand-entered figures have their source. The
cross-year identity of table 2 (valid(y) = valid(y−1) + made − repealed) only warns: real reports do not reconcile
(catalogue cleanups, expiries), so the office explains instead.

A failing check names the rows and the cases (or remedies) behind it, so the office fixes the data, not the numbers.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from disclosure import applications
from disclosure.reports.grid import (
    CATALOG_KEYS,
    CATEGORIES,
    COLUMN_LABELS,
    COLUMNS,
    KNOWN_OUTCOMES,
    OUTCOME_ROWS,
    REMEDY_BLOCK_LABELS,
    REMEDY_BLOCKS,
    REMEDY_RESULTS,
    ROW_KEYS,
    ROW_LABELS,
    TABLE2_ROW_LABELS,
)

NAMED = 50  # cases named per failing check (the drill-down page lists them all)


def _cases(refs) -> list[dict]:
    return [{"id": r.id, "reference": r.reference} for r in refs]


def _remedies(refs) -> list[dict]:
    return [{"id": r.id, "case_id": r.case_id, "reference": r.reference} for r in refs]


def _check(rule: str, ok: bool, detail: str, *, severity: str = "error", rows=(), cases=(), remedies=()) -> dict:
    out = {"rule": rule, "ok": bool(ok), "detail": detail, "severity": severity}
    if rows:
        out["rows"] = list(rows)
    if cases:
        out["cases"] = list(cases)
    if remedies:
        out["remedies"] = list(remedies)
    return out


def _unique(refs: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in refs:
        if r["id"] not in seen:
            seen.add(r["id"])
            out.append(r)
    return out[:NAMED]


def run_checks(
    numbers: dict,
    *,
    agency_id: int,
    period,
    problems: dict,
    unknown_remedies: int,
    report=None,
    previous_valid: dict | None = None,
    catalogue_known: bool = True,
) -> list[dict]:
    t2, t3, t4 = numbers["table2"], numbers["table3"], numbers["table4"]
    start, end = period.start, period.end

    def cases(measure: str, **kw) -> list[dict]:
        return _cases(applications.yearly_cases(agency_id, start, end, measure=measure, limit=NAMED, **kw))

    checks = []

    # 1. For every column: 新收 + 上年结转 = 总计 + 结转下年度.
    bad = [c for c in COLUMNS if t3["new"][c] + t3["carried_in"][c] != t3["total"][c] + t3["carried_out"][c]]
    detail = (
        _("For every column, new + carried in = total + carried out.")
        if not bad
        else _(
            "New + carried in differs from total + carried out in: %(columns)s.",
            columns="、".join(
                f"{COLUMN_LABELS[c]}（{t3['new'][c]} + {t3['carried_in'][c]} ≠ "
                f"{t3['total'][c]} + {t3['carried_out'][c]}）"
                for c in bad
            ),
        )
    )
    named = []
    if bad:
        named = cases("closed_before_received") + cases("closed_without_date")
    checks.append(
        _check(
            "table3.columns",
            not bad,
            detail,
            rows=("new", "carried_in", "total", "carried_out") if bad else (),
            cases=_unique(named),
        )
    )

    # 2. 总计 = the sum of the outcome rows.
    bad = [c for c in COLUMNS if t3["total"][c] != sum(t3[r][c] for r in OUTCOME_ROWS)]
    named = cases("concluded", exclude_outcomes=KNOWN_OUTCOMES, withdrawn=False) if bad else []
    checks.append(
        _check(
            "table3.total",
            not bad,
            _("The total equals the sum of the outcome rows.")
            if not bad
            else _(
                "The total differs from the sum of the outcome rows in: %(columns)s; concluded requests without a "
                "known outcome: %(n)s.",
                columns="、".join(COLUMN_LABELS[c] for c in bad),
                n=problems.get("unknown_outcome", 0),
            ),
            rows=("total",) if bad else (),
            cases=_unique(named),
        )
    )

    # 3. Every row's 总计 = the sum of its six columns.
    bad = [r for r in ROW_KEYS if t3[r]["total"] != sum(t3[r][c] for c in CATEGORIES)]
    named = []
    for r in bad:
        measure = r if r in ("new", "carried_in", "carried_out") else "concluded"
        named += cases(measure, exclude_categories=CATEGORIES)
    checks.append(
        _check(
            "table3.rows",
            not bad,
            _("Every row's total equals the sum of its six applicant columns.")
            if not bad
            else _(
                "Requests without a known applicant category in rows: %(rows)s.",
                rows="；".join(ROW_LABELS[r] for r in bad),
            ),
            rows=bad,
            cases=_unique(named),
        )
    )

    # 4. Data behind the table: conclusions dated before receipt, closed cases without a closing date.
    n = problems.get("closed_before_received", 0)
    checks.append(
        _check(
            "table3.dates",
            n == 0,
            _("No request is concluded before it was received.")
            if n == 0
            else ngettext(
                "%(n)s request is concluded before the day it was received.",
                "%(n)s requests are concluded before the day they were received.",
                n,
                n=n,
            ),
            cases=_unique(cases("closed_before_received")) if n else (),
        )
    )
    n = problems.get("closed_without_date", 0)
    checks.append(
        _check(
            "table3.closing_dates",
            n == 0,
            _("Every closed request has its closing date.")
            if n == 0
            else ngettext(
                "%(n)s closed request has no closing date: it is counted as carried over.",
                "%(n)s closed requests have no closing date: they are counted as carried over.",
                n,
                n=n,
            ),
            cases=_unique(cases("closed_without_date")) if n else (),
        )
    )

    # 5. Each block of table 4 adds up; every remedy is of a kind the format knows.
    bad = [b for b in REMEDY_BLOCKS if t4[b]["total"] != sum(t4[b][r] for r in REMEDY_RESULTS)]
    named = []
    for b in bad:
        named += _remedies(
            applications.yearly_remedies(agency_id, start, end, kind=b, exclude_results=REMEDY_RESULTS, limit=NAMED)
        )
    checks.append(
        _check(
            "table4.blocks",
            not bad,
            _("Each block of table 4 adds up (upheld + corrected + other + pending = total).")
            if not bad
            else _(
                "Remedies with an unknown result in: %(blocks)s.", blocks="、".join(REMEDY_BLOCK_LABELS[b] for b in bad)
            ),
            rows=bad,
            remedies=named,
        )
    )
    checks.append(
        _check(
            "table4.kinds",
            unknown_remedies == 0,
            _("Every remedy is a reconsideration or a lawsuit (direct or after reconsideration).")
            if unknown_remedies == 0
            else ngettext(
                "%(n)s remedy is of no kind table 4 counts.",
                "%(n)s remedies are of no kind table 4 counts.",
                unknown_remedies,
                n=unknown_remedies,
            ),
            remedies=_remedies(
                applications.yearly_remedies(agency_id, start, end, exclude_kinds=REMEDY_BLOCKS, limit=NAMED)
            )
            if unknown_remedies
            else (),
        )
    )

    # 6. Table 2: the figures no module records are entered with their source.
    missing = []
    if report is None or report.coercion_decisions is None or not (report.coercion_source or "").strip():
        missing.append("行政强制")
    if report is None or report.fees_yuan is None or not (report.fees_source or "").strip():
        missing.append("行政事业性收费")
    checks.append(
        _check(
            "table2.entered",
            not missing,
            _("Administrative coercion decisions and administrative fees are entered with their source.")
            if not missing
            else _("Enter with its source: %(rows)s.", rows="、".join(missing)),
            rows=missing,
        )
    )

    # 7. Cross-year identity of table 2: a warning with the office's explanation, never a block.
    if catalogue_known and previous_valid:
        off = [
            k
            for k in CATALOG_KEYS
            if k in previous_valid and previous_valid[k] + t2[k]["made"] - t2[k]["repealed"] != t2[k]["valid"]
        ]
        explanation = (getattr(report, "cross_year_explanation", "") or "").strip()
        if off:
            detail = _(
                "Currently valid does not follow from last year's figure (last year's valid + made − repealed) "
                "for: %(rows)s.",
                rows="、".join(
                    f"{TABLE2_ROW_LABELS[k]}（{previous_valid[k]} + {t2[k]['made']} − {t2[k]['repealed']} ≠ "
                    f"{t2[k]['valid']}）"
                    for k in off
                ),
            )
            if explanation:
                detail += " " + _("Explanation: %(text)s", text=explanation)
        else:
            detail = _("Currently valid follows from last year's figure.")
        checks.append(_check("table2.cross_year", not off, detail, severity="warning", rows=off))
    return checks


def blocking(checks: list[dict]) -> list[dict]:
    """The failing hard checks: while any remain the report cannot be submitted."""
    return [c for c in checks if not c["ok"] and c["severity"] == "error"]
