"""Tables 3 and 4 and the checks from live data: years with cases received, concluded and carried across year
ends, every outcome row, every applicant column, remedies of each kind, and a broken data set named by the
checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from disclosure.correspondence import OUTCOMES
from disclosure.reports.compute import compute, ten_thousand_yuan
from disclosure.reports.grid import CATEGORIES, COLUMNS, ROW_KEYS

D = dt.date


def _check(numbers, rule):
    return next(c for c in numbers["checks"] if c["rule"] == rule)


def test_year_ends_every_row_and_column(office, make_case):
    agency, _registrar, _head = office
    make_case(agency, D(2025, 12, 31), D(2026, 1, 5), outcome="granted")  # received 31 Dec, answered in January
    make_case(agency, D(2026, 3, 1))  # still open: carried out
    make_case(agency, D(2025, 6, 1), D(2025, 7, 1))  # concluded the year before: not in 2026
    make_case(agency, D(2026, 2, 1), D(2026, 2, 10), category="commercial", state="withdrawn")
    for i, outcome in enumerate(OUTCOMES):
        make_case(agency, D(2026, 4, 1), D(2026, 4, 20), outcome=outcome.value, category=CATEGORIES[i % 6])
    make_case(agency, D(2027, 1, 2))  # next year's

    y25 = compute(agency, 2025)["table3"]
    assert y25["new"]["total"] == 2 and y25["carried_out"]["total"] == 1 and y25["total"]["total"] == 1

    n = compute(agency, 2026)
    t3 = n["table3"]
    assert list(t3) == list(ROW_KEYS)
    assert all(list(t3[r]) == list(COLUMNS) for r in ROW_KEYS)
    assert t3["carried_in"]["natural_person"] == 1
    assert t3["new"]["total"] == 2 + len(OUTCOMES)
    assert t3["carried_out"]["total"] == 1
    assert t3["total"]["total"] == 1 + 1 + len(OUTCOMES)
    # every outcome row holds the outcomes the correspondence table sends there
    for row in ROW_KEYS[2:-2]:
        expected = sum(1 for o, info in OUTCOMES.items() if info.report_row == row)
        expected += {"granted": 1, "oth_other": 1}.get(row, 0)  # the January answer; the withdrawal
        assert t3[row]["total"] == expected, row
    assert t3["oth_other"]["commercial"] >= 1
    for c in CATEGORIES:
        assert t3["new"][c] > 0
    hard = [c for c in n["checks"] if c["severity"] == "error" and c["rule"] != "table2.entered"]
    assert all(c["ok"] for c in hard), hard


def test_remedies_of_each_kind(office, make_case, make_remedy):
    agency, _r, _h = office
    case = make_case(agency, D(2026, 1, 10), D(2026, 2, 1))
    for kind in ("reconsideration", "litigation_direct", "litigation_after_reconsideration"):
        make_remedy(case, kind, D(2026, 3, 1), "upheld", D(2026, 5, 1))
        make_remedy(case, kind, D(2026, 3, 1), "corrected", D(2026, 5, 1))
        make_remedy(case, kind, D(2026, 3, 1), "other", D(2026, 5, 1))
        make_remedy(case, kind, D(2026, 3, 1))
        make_remedy(case, kind, D(2026, 11, 1), "upheld", D(2027, 1, 15))  # decided after the year: pending
        make_remedy(case, kind, D(2025, 11, 1), "upheld", D(2026, 1, 15))  # filed the year before
    n = compute(agency, 2026)
    for block in n["table4"].values():
        assert block == {"upheld": 1, "corrected": 1, "other": 1, "pending": 2, "total": 5}
    assert _check(n, "table4.blocks")["ok"]


def test_broken_data_is_caught_and_named(office, make_case, make_remedy):
    agency, _r, _h = office
    make_case(agency, D(2026, 1, 5), D(2026, 2, 1))
    odd_category = make_case(agency, D(2026, 1, 6), D(2026, 2, 1), category="alien")
    odd_outcome = make_case(agency, D(2026, 1, 7), D(2026, 2, 1), outcome="made_up")
    backwards = make_case(agency, D(2026, 3, 1), D(2025, 12, 1))  # closed before received
    remedy = make_remedy(
        make_case(agency, D(2026, 1, 8), D(2026, 2, 1)), "reconsideration", D(2026, 3, 1), "lost", D(2026, 4, 1)
    )
    n = compute(agency, 2026)

    def named(rule):
        c = _check(n, rule)
        assert not c["ok"], rule
        return {k["reference"] for k in c.get("cases", [])}

    assert backwards.reference in named("table3.columns")
    assert odd_outcome.reference in named("table3.total")
    assert odd_category.reference in named("table3.rows")
    assert backwards.reference in named("table3.dates")
    block = _check(n, "table4.blocks")
    assert not block["ok"] and block["remedies"][0]["id"] == remedy.id


def test_fees_in_ten_thousand_yuan_exact():
    assert ten_thousand_yuan(None) == "0.0000"
    assert ten_thousand_yuan(Decimal("59490886.67")) == "5949.088667"
    assert ten_thousand_yuan(Decimal("100")) == "0.0100"
    assert ten_thousand_yuan(Decimal("12345678")) == "1234.5678"


def test_section_one_states_the_catalogue_facts(app_ctx, make_agency, make_staff):
    from disclosure.reports.operations.reports import proactive_sentence

    figures = {
        "published": 120,
        "regulations": 2,
        "normative": 9,
        "interpretations": 11,
        "late_interpretations": 1,
        "withdrawn": 3,
    }
    assert proactive_sentence(figures) == (
        "主动公开方面，本年度主动公开政府信息120条，其中规章2件、行政规范性文件9件；发布政策解读11篇，"
        "其中1篇未在规定时限内发布；撤回已公开政府信息3条。"
    )
    quiet = dict.fromkeys(figures, 0) | {"published": 4, "interpretations": 1}
    assert proactive_sentence(quiet).endswith("发布政策解读1篇，均在规定时限内发布。")


def test_the_overview_names_public_participation_when_there_was_some():
    from disclosure.reports.operations.reports import participation_sentence

    none = {"consultations_held": 0, "comments_received": 0, "feedback_published": 0, "hearings_held": 0}
    assert participation_sentence(none) == ""
    some = {
        **none,
        "consultations_held": 3,
        "comments_received": 41,
        "feedback_published": 2,
        "adopted": 5,
        "partly_adopted": 4,
        "hearings_held": 1,
    }
    assert participation_sentence(some) == (
        "公众参与方面，本年度公开征集意见3次，收到意见建议41条，发布意见采纳情况反馈2次，其中采纳5条、部分采纳4条，"
        "举行听证会、座谈会1场。"
    )
