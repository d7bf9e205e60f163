"""One-page notices stay on one page (issue 10, Letters): the receipt, supplementation notice and extension notice
with typical, long-ish content print on a single sheet, body, signature, contact note and verification line
together; a notice too long even for the one-page layout falls back to the ordinary layout, with the signature
kept with the last lines of the body."""

from __future__ import annotations

import pytest

from disclosure.correspondence import letters as service
from disclosure.correspondence import samples
from disclosure.correspondence.kinds import LetterKind
from tests.correspondence.conftest import CODE, ISSUE_DATE, NUMBER
from tests.correspondence.test_layout import DATE, pages_text

NOTICES = (LetterKind.RECEIPT, LetterKind.SUPPLEMENTATION_NOTICE, LetterKind.EXTENSION_NOTICE)


def long_ish(kind: LetterKind):
    """The sample notice with the kind of content a busy office writes: one more item, a longer reason."""
    ctx = samples.sample_context(kind)
    if kind is LetterKind.RECEIPT:
        ctx.items = [*ctx.items, "2026年第一季度幸福路改造项目资金拨付凭证"]
    elif kind is LetterKind.SUPPLEMENTATION_NOTICE:
        ctx.missing = [
            *ctx.missing,
            "申请获取政府信息的形式（纸质文本或者电子数据）和获取方式（邮寄、电子邮件或者自行领取）",
        ]
        ctx.guidance = "如你申请的是幸福路改造项目的有关信息，请写明项目名称、所在路段和大致年份，以便本机关检索。"
    else:
        ctx.reason = (
            "你申请公开的信息涉及2016年至2025年幸福路改造项目的立项、招标、施工和验收档案，数量较多且分散保存在"
            "多个部门，需要逐卷调阅、核对并区分处理"
        )
    return ctx


def render(kind, agency, ctx) -> bytes:
    return service.render_pdf(
        kind, agency, ctx, number=NUMBER, verification_code=CODE, issue_date=ISSUE_DATE, variant=None
    )


def assert_one_complete_page(pdf: bytes, *phrases: str) -> None:
    pages = pages_text(pdf)
    assert len(pages) == 1, [p[-120:] for p in pages]
    [page] = pages
    for phrase in (DATE, "验证码：ABCDE-23456", "通讯地址：", "测试市住房和城乡建设局", *phrases):
        assert phrase in page, phrase


@pytest.mark.parametrize("kind", NOTICES)
def test_sample_notice_is_one_page(req, fixed, kind):
    assert_one_complete_page(render(kind, fixed, samples.sample_context(kind)))


@pytest.mark.parametrize("kind", NOTICES)
def test_long_ish_notice_is_one_page(req, fixed, kind):
    ctx = long_ish(kind)
    phrases = {
        LetterKind.RECEIPT: ("资金拨付凭证", "2026年3月30日前"),
        LetterKind.SUPPLEMENTATION_NOTICE: ("3.申请获取政府信息的形式", "以便本机关检索", "视为放弃申请"),
        LetterKind.EXTENSION_NOTICE: ("需要逐卷调阅、核对并区分处理，本机关不能", "答复期限延长二十个工作日"),
    }[kind]
    assert_one_complete_page(render(kind, fixed, ctx), *phrases)


def test_a_notice_too_long_for_one_page_keeps_the_signature_with_the_last_lines(req, fixed):
    ctx = samples.sample_context(LetterKind.SUPPLEMENTATION_NOTICE)
    ctx.missing = [f"第{n}项：申请公开的政府信息的名称、文号或者便于本机关查询的其他特征性描述" for n in range(8)]
    pages = pages_text(render(LetterKind.SUPPLEMENTATION_NOTICE, fixed, ctx))
    assert len(pages) > 1
    last = pages[-1]
    assert DATE in last and "验证码：ABCDE-23456" in last
    # Body text above the signature on its page: at least the closing words.
    assert last.index("特此告知。") < last.rindex(DATE)
