"""How a reply words what it decided: the provision form as a sentence (条例 Art. 40), a not-this-agency item
said once with the agency to apply to (Art. 36(5)), attachments named by title (GB/T 9704 附件说明), and the
standard paragraphs addressing the applicant as 你 / 你单位."""

from __future__ import annotations

import pytest

from disclosure.correspondence import letters, samples
from disclosure.correspondence.contexts import ItemOutcome, ReplyContext, attachment_title
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.outcomes import Outcome
from tests.correspondence.conftest import CODE, ISSUE_DATE, NUMBER, running_text


def reply_text(agency, items, **kw) -> str:
    facts = samples.facts(**kw.pop("facts", {}))
    ctx = ReplyContext(**facts, items=items, **kw)
    pdf = letters.render_pdf(
        LetterKind.REPLY, agency, ctx, number=NUMBER, verification_code=CODE, issue_date=ISSUE_DATE, variant=None
    )
    return running_text(pdf)


GRANTED = "根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，本机关予以公开"


@pytest.mark.parametrize(
    ("form", "sentence"),
    [
        ("paper", "本机关予以公开，以纸质文本形式向你提供。"),
        ("纸质文本", "本机关予以公开，以纸质文本形式向你提供。"),  # a bare label from a workflow
        ("electronic", "本机关予以公开，以电子数据形式向你提供。"),
        ("电子文件", "本机关予以公开，以电子数据形式向你提供。"),
        ("email", "本机关予以公开，通过电子邮件向你发送。"),
        (
            "inspection",
            "本机关予以公开，请你于工作时间（工作日上午9:00至12:00，下午1:30至5:00）到测试市人民路8号查阅。",
        ),
    ],
)
def test_provision_form_is_a_sentence(req, fixed, form, sentence):
    item = ItemOutcome(description="2025年度部门预算", outcome=Outcome.GRANTED, provision_form=form)
    text = reply_text(fixed, [item])
    assert GRANTED in text
    assert sentence in text
    assert "，纸质文本。" not in text and "，电子文件。" not in text


def test_bare_label_passed_as_provision_is_worded_too(req, fixed):
    item = ItemOutcome(description="2025年度部门预算", outcome=Outcome.GRANTED, provision="纸质文本")
    assert "本机关予以公开，以纸质文本形式向你提供。" in reply_text(fixed, [item])


def test_inspection_with_its_own_place_and_time(req, fixed):
    item = ItemOutcome(
        description="规划图纸原件",
        outcome=Outcome.GRANTED,
        provision_form="inspection",
        inspection_place="本局档案室（测试市人民路8号3楼）",
        inspection_time="2026年3月20日上午9时至11时",
    )
    text = reply_text(fixed, [item], facts={"applicant_is_organisation": True})
    assert "本机关予以公开，请你单位于2026年3月20日上午9时至11时到本局档案室（测试市人民路8号3楼）查阅。" in text


def test_inspection_without_place_or_time_is_refused_before_numbering(req):
    from tests.correspondence.conftest import fixed_agency

    bare = fixed_agency(address="", office_hours="")
    ctx = ReplyContext(
        **samples.facts(), items=[ItemOutcome(description="图纸", outcome=Outcome.GRANTED, provision_form="inspection")]
    )
    missing = [str(label) for label in letters.missing_for(LetterKind.REPLY, bare, ctx)]
    assert "item 1: place of inspection (or the agency's address)" in missing
    assert "item 1: time of inspection (or the agency's office hours)" in missing
    assert letters.missing_for(LetterKind.REPLY, fixed_agency(), ctx) == []


def test_partial_disclosure_uses_the_same_sentence(req, fixed):
    item = ItemOutcome(
        description="施工合同",
        outcome=Outcome.PARTIAL,
        withheld_parts="银行账户",
        reasons="涉及商业秘密",
        withheld_outcome=Outcome.DENY_THIRD_PARTY,
        provision_form="email",
    )
    assert "第三十七条的规定予以公开，通过电子邮件向你发送。" in reply_text(fixed, [item])


def test_disclosed_without_form_points_to_attachment_only_when_there_is_one(req, fixed):
    item = ItemOutcome(description="预算报告", outcome=Outcome.GRANTED)
    assert "本机关予以公开，具体内容见附件。" in reply_text(fixed, [item], attachments=["预算报告.pdf"])
    text = reply_text(fixed, [item])
    assert "本机关予以公开。" in text and "见附件" not in text


def test_not_ours_says_it_once_and_names_where_to_apply(req, fixed):
    item = ItemOutcome(
        description="土地出让合同",
        outcome=Outcome.NOT_OURS,
        reasons="国有土地使用权出让合同由自然资源主管部门制作并保存",
        responsible_agency="测试市自然资源和规划局",
        responsible_contact="电话0571-87000000",
    )
    text = reply_text(fixed, [item])
    assert text.count("不属于本机关负责公开") == 1
    assert text.count("自然资源和规划局") == 1
    assert (
        "该政府信息不属于本机关负责公开。根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定，"
        "你可以向测试市自然资源和规划局（联系方式：电话0571-87000000）提出申请。"
    ) in text


def test_not_ours_reason_that_already_says_it_is_not_repeated(req, fixed):
    item = ItemOutcome(
        description="土地出让合同",
        outcome=Outcome.NOT_OURS,
        reasons="该信息不属于本机关负责公开，由自然资源主管部门制作并保存",
        responsible_agency="测试市自然资源和规划局",
    )
    text = reply_text(fixed, [item])
    assert text.count("不属于本机关") == 1
    assert "你可以向测试市自然资源和规划局提出申请。" in text


@pytest.mark.parametrize(
    ("title", "filename", "expected"),
    [
        ("2025年度部门预算执行情况报告", "a.pdf", "2025年度部门预算执行情况报告"),
        ("", "2025年度部门预算执行情况报告.pdf", "2025年度部门预算执行情况报告"),
        ("", "施工合同_部分公开.docx", "施工合同 部分公开"),
        ("", "3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6.pdf", "政府信息文件2"),
        ("", "a1b2c3d4-1111-2222-3333-444455556666.PDF", "政府信息文件2"),
        ("9f86d081884c7d659a2feaa0c55ad015", "", "政府信息文件2"),
        ("", "", "政府信息文件2"),
    ],
)
def test_attachment_title(title, filename, expected):
    assert attachment_title(title, filename, 2) == expected


def test_reply_lists_attachments_by_title(req, fixed):
    item = ItemOutcome(description="预算报告", outcome=Outcome.GRANTED)
    text = reply_text(
        fixed, [item], attachments=["2025年度部门预算执行情况报告.pdf", "0a1b2c3d4e5f60718293a4b5c6d7e8f9.pdf"]
    )
    assert "附件：1.2025年度部门预算执行情况报告2.政府信息文件2" in text
    assert ".pdf" not in text


@pytest.mark.parametrize(("organisation", "you"), [(False, "你"), (True, "你单位"), (None, "你（单位）")])
def test_standard_paragraphs_address_the_applicant(req, fixed, organisation, you):
    ctx = samples.sample_context(LetterKind.SUPPLEMENTATION_NOTICE)
    ctx.applicant_is_organisation = organisation
    html = letters.render_html(LetterKind.SUPPLEMENTATION_NOTICE, fixed, ctx)
    assert f"请{you}按上述要求补正后" in html
    if organisation is not None:
        assert "你（单位）" not in html


def test_receipt_says_received_once(req, fixed):
    html = letters.render_html(LetterKind.RECEIPT, fixed, samples.sample_context(LetterKind.RECEIPT))
    assert "（申请编号：YSQ-2026-000123），现予登记。" in html
    assert "已收到" not in html


@pytest.mark.parametrize(
    "reason",
    [
        "你申请的信息数量较多，需要调阅2016年至2025年的档案",
        "你申请的信息数量较多，需要调阅2016年至2025年的档案。",
        "你申请的信息数量较多，需要调阅2016年至2025年的档案；",
        "你申请的信息数量较多，需要调阅2016年至2025年的档案， ",
    ],
)
def test_extension_reason_reads_as_part_of_the_sentence(req, fixed, reason):
    """The reason ends where the letter's comma begins (issue 10: "…档案。本机关不能…" read as two sentences)."""
    ctx = samples.sample_context(LetterKind.EXTENSION_NOTICE)
    ctx.reason = reason
    pdf = letters.render_pdf(
        LetterKind.EXTENSION_NOTICE,
        fixed,
        ctx,
        number=NUMBER,
        verification_code=CODE,
        issue_date=ISSUE_DATE,
        variant=None,
    )
    text = running_text(pdf)
    assert "因你申请的信息数量较多，需要调阅2016年至2025年的档案，本机关不能在上述期限内作出答复。" in text


def test_third_party_reason_is_a_clause_without_a_second_opening(req, fixed):
    ctx = samples.sample_context(LetterKind.THIRD_PARTY_CONSULTATION)
    ctx.reason = "经审查，该合同载有贵公司报价明细和银行账户。"
    pdf = letters.render_pdf(
        LetterKind.THIRD_PARTY_CONSULTATION, fixed, ctx, number=NUMBER, verification_code=CODE, variant=None
    )
    assert "经审查，该合同载有贵公司报价明细和银行账户，上述信息的公开可能损害贵方合法权益。" in running_text(pdf)
