"""A reply never prints the same opening twice (issue 10, Letters): the letter states a fixed opening for each
outcome ("经审查，" / "经本机关检索查找，" …), `letter_opening()` tells the decision form what that opening is, and a
reason that starts with an opening of its own is printed without it."""

from __future__ import annotations

import pytest

from disclosure.correspondence.contexts import ItemOutcome
from disclosure.correspondence.outcomes import OUTCOMES, Outcome, letter_opening, strip_opening
from tests.correspondence.test_wording import reply_text

# Details each outcome needs before it can be rendered as in a real letter.
DETAILS = {
    "public_location": "测试市人民政府门户网站",
    "redirect_channel": "测试市信访局",
    "responsible_agency": "测试市自然资源和规划局",
    "withheld_parts": "合同中的银行账户",
}


def item(outcome: Outcome, reasons: str = "", **kw) -> ItemOutcome:
    values = {**DETAILS, **kw}
    if outcome is Outcome.PARTIAL:
        values.setdefault("withheld_outcome", Outcome.DENY_THIRD_PARTY)
    return ItemOutcome(description="幸福路改造项目档案", outcome=outcome, reasons=reasons, **values)


@pytest.mark.parametrize(
    ("outcome", "reasons", "doubled", "reads"),
    [
        (
            Outcome.NOT_EXIST,
            "经检索本机关档案，未找到该图纸",
            "经本机关检索查找，经检索",
            "经本机关检索查找，未找到该图纸。本机关未制作或者获取该政府信息",
        ),
        (
            Outcome.GRANTED,
            "经审查，该信息不涉及国家秘密和个人隐私",
            "属于公开范围。经审查",
            "你申请获取的政府信息属于公开范围。该信息不涉及国家秘密和个人隐私。根据",
        ),
        (
            Outcome.DENY_PROCESS,
            "经查，该纪要属于过程性信息",
            "经审查，经查",
            "经审查，该纪要属于过程性信息。根据",
        ),
        (
            Outcome.NOT_OURS,
            "经审查：国有土地使用权出让合同由自然资源主管部门制作",
            "经审查，经审查",
            "经审查，国有土地使用权出让合同由自然资源主管部门制作。",
        ),
        (
            Outcome.NOT_EXIST,
            "经本机关检索查找，未找到该图纸。",
            "经本机关检索查找，经本机关检索查找",
            "经本机关检索查找，未找到该图纸。本机关未制作",
        ),
    ],
)
def test_an_opening_is_printed_once(req, fixed, outcome, reasons, doubled, reads):
    text = reply_text(fixed, [item(outcome, reasons)])
    assert doubled not in text
    assert reads in text


def test_a_reason_repeating_the_whole_fixed_sentence_is_not_printed_twice(req, fixed):
    reasons = "经审查，你申请获取的政府信息属于公开范围。该信息已经审核"
    text = reply_text(fixed, [item(Outcome.GRANTED, reasons)])
    assert text.count("属于公开范围") == 1
    assert "属于公开范围。该信息已经审核。根据" in text


def test_partial_disclosure_opening_is_printed_once(req, fixed):
    text = reply_text(
        fixed,
        [item(Outcome.PARTIAL, "经审查，涉及第三方商业秘密", withheld_parts="经审查，合同中的银行账户")],
    )
    assert "经审查，你申请获取的政府信息中，合同中的银行账户，涉及第三方商业秘密。根据" in text


def test_a_reason_after_a_sentence_without_an_opening_keeps_its_own(req, fixed):
    """A repeated application: the letter's sentence has no 经… opening, so the reason's own stays."""
    text = reply_text(fixed, [item(Outcome.REPEAT, "经查，你已于2026年1月5日申请相同信息")])
    assert "本机关已依法作出答复。经查，你已于2026年1月5日申请相同信息。根据" in text


@pytest.mark.parametrize("outcome", list(Outcome))
def test_the_letter_prints_what_letter_opening_says(req, fixed, outcome):
    """What the decision form shows beside the reason field is exactly what the letter prints before it."""
    opening = letter_opening(outcome, you="你")
    text = reply_text(fixed, [item(outcome, "理由文字")])
    assert opening in text, (outcome, opening)
    if "理由文字" in text and opening:
        if OUTCOMES[outcome].family.value == "partial":
            assert opening + DETAILS["withheld_parts"] + "，理由文字。" in text
        else:
            assert opening + "理由文字。" in text, (outcome, text)


def test_letter_opening_defaults_to_the_neutral_address():
    assert letter_opening(Outcome.GRANTED) == "经审查，你（单位）申请获取的政府信息属于公开范围。"
    assert letter_opening("not_exist") == "经本机关检索查找，"
    assert letter_opening(Outcome.OTHER) == ""


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        ("经审查，该信息属于过程性信息", "该信息属于过程性信息"),
        ("经审查,该信息", "该信息"),
        ("  经检索，未找到", "未找到"),
        ("经本机关检索查找，未找到", "未找到"),
        ("经检索本机关档案，未找到", "未找到"),
        ("经查，经审查，该信息", "该信息"),
        ("经过三次检索本机关2016年至2025年档案，未找到", "经过三次检索本机关2016年至2025年档案，未找到"),
        ("经济数据属于统计信息", "经济数据属于统计信息"),
        ("经审查", "经审查"),  # not followed by a comma: not an opening
        ("", ""),
    ],
)
def test_strip_opening(reasons, expected):
    assert strip_opening(reasons) == expected
