"""The outcome table: report rows, citations, remedy kinds, case outcome (rules-china §1.4, §2.3, §3.3)."""

from __future__ import annotations

import pytest

from disclosure.correspondence.outcomes import (
    OUTCOMES,
    REPORT_ROW_ORDER,
    Citation,
    Law,
    Outcome,
    RemedyKind,
    chinese_number,
    derive_case_outcome,
    format_citations,
    remedy_for,
)


def test_every_outcome_has_a_row_and_a_family():
    assert set(OUTCOMES) == set(Outcome)
    for outcome, info in OUTCOMES.items():
        assert info.report_row in REPORT_ROW_ORDER, outcome
        assert info.family
    # Every annual-report row of table 3 (rules §3.3) is reachable from some outcome.
    assert {i.report_row for i in OUTCOMES.values()} == set(REPORT_ROW_ORDER)


@pytest.mark.parametrize(
    ("outcome", "row"),
    [
        (Outcome.ALREADY_PUBLIC, "granted"),
        (Outcome.DENY_QUERY, "deny_query"),
        (Outcome.NOT_EXIST, "na_not_held"),
        (Outcome.NOT_OURS, "na_not_held"),
        (Outcome.REPEAT, "np_repeat"),
        (Outcome.FEE_UNPAID, "oth_fee_unpaid"),
    ],
)
def test_report_rows(outcome, row):
    assert OUTCOMES[outcome].report_row == row


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (14, "十四"),
        (20, "二十"),
        (36, "三十六"),
        (39, "三十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
    ],
)
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_citation_formats():
    assert OUTCOMES[Outcome.GRANTED].citation_text() == "《中华人民共和国政府信息公开条例》第三十六条第（二）项"
    assert OUTCOMES[Outcome.DENY_INTERNAL].citation_text() == (
        "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项"
    )
    assert OUTCOMES[Outcome.PETITION].citation_text() == "《中华人民共和国政府信息公开条例》第三十九条第一款"
    text = format_citations([Citation(Law.REGULATION, 42), Citation(Law.FEE_MEASURES, 6), Citation(Law.REGULATION, 42)])
    assert text == (
        "《中华人民共和国政府信息公开条例》第四十二条，《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第六条"
    )


def test_refusals_need_reconsideration_first():
    refusals = {o for o, i in OUTCOMES.items() if i.is_refusal}
    assert refusals == {
        Outcome.PARTIAL,
        Outcome.DENY_SECRET,
        Outcome.DENY_LAW,
        Outcome.DENY_SAFETY,
        Outcome.DENY_THIRD_PARTY,
        Outcome.DENY_INTERNAL,
        Outcome.DENY_PROCESS,
        Outcome.DENY_CASE_FILE,
    }
    for o in refusals:
        assert OUTCOMES[o].remedy is RemedyKind.RECONSIDERATION_FIRST
    assert remedy_for([Outcome.GRANTED]) == (True, False)
    assert remedy_for([Outcome.DENY_SECRET]) == (False, True)
    assert remedy_for([Outcome.PARTIAL]) == (True, True)
    assert remedy_for([Outcome.GRANTED, Outcome.DENY_PROCESS]) == (True, True)


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([Outcome.GRANTED], Outcome.GRANTED),
        ([Outcome.GRANTED, Outcome.ALREADY_PUBLIC], Outcome.GRANTED),
        ([Outcome.ALREADY_PUBLIC, Outcome.ALREADY_PUBLIC], Outcome.ALREADY_PUBLIC),
        ([Outcome.GRANTED, Outcome.NOT_EXIST], Outcome.PARTIAL),
        ([Outcome.ALREADY_PUBLIC, Outcome.DENY_SECRET], Outcome.PARTIAL),
        ([Outcome.PARTIAL], Outcome.PARTIAL),
        ([Outcome.NOT_EXIST, Outcome.DENY_PROCESS], Outcome.DENY_PROCESS),
        ([Outcome.REPEAT, Outcome.NOT_OURS], Outcome.NOT_OURS),
        (["fee_unpaid"], Outcome.FEE_UNPAID),
    ],
)
def test_one_request_one_outcome(items, expected):
    assert derive_case_outcome(items) is expected


def test_case_outcome_needs_items():
    with pytest.raises(ValueError):
        derive_case_outcome([])
