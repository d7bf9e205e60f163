"""Realistic sample contexts for every letter kind: used by the tests, the benchmark and `disclosure letters
sample` (so an office can see every letter before configuring anything)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from disclosure.correspondence import contexts as c
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.outcomes import Citation, Law, Outcome

RECEIVED = dt.date(2026, 3, 2)
APPLICANT = "张晓明"
REFERENCE = "YSQ-2026-000123"


def facts(**kw) -> dict:
    base = {
        "applicant_name": APPLICANT,
        "reference": REFERENCE,
        "received_date": RECEIVED,
        "channel": "online",
        "applicant_is_organisation": False,
    }
    base.update(kw)
    return base


def reply_items() -> list[c.ItemOutcome]:
    """A reply with one item per outcome family that needs its own wording."""
    return [
        c.ItemOutcome(
            description="2025年度本局部门预算执行情况报告",
            outcome=Outcome.GRANTED,
            provision="现通过电子邮件向你提供电子文本（见附件1）",
        ),
        c.ItemOutcome(
            description="《测试市老旧小区改造实施方案》",
            outcome=Outcome.ALREADY_PUBLIC,
            public_location="测试市人民政府门户网站“政府信息公开”栏目（2026年1月15日发布）",
        ),
        c.ItemOutcome(
            description="幸福路改造项目施工合同",
            outcome=Outcome.PARTIAL,
            withheld_parts="合同中施工单位的银行账户和项目负责人身份证号码",
            reasons="涉及第三方商业秘密和个人隐私，经书面征求第三方意见，第三方不同意公开",
            withheld_outcome=Outcome.DENY_THIRD_PARTY,
            provision="合同其余内容见附件2",
        ),
        c.ItemOutcome(
            description="局党组会议讨论幸福路改造项目的会议纪要",
            outcome=Outcome.DENY_PROCESS,
            reasons="你申请获取的会议纪要属于本机关在履行行政管理职能过程中形成的讨论记录，属于过程性信息",
        ),
        c.ItemOutcome(
            description="2019年幸福路土地出让合同",
            outcome=Outcome.NOT_OURS,
            reasons="国有土地使用权出让合同由自然资源主管部门制作并保存",
            responsible_agency="测试市自然资源和规划局",
            responsible_contact="测试市人民路2号，电话0571-87000000",
        ),
        c.ItemOutcome(description="幸福路1988年原始规划图纸", outcome=Outcome.NOT_EXIST),
    ]


def sample_context(kind: LetterKind | str):
    kind = LetterKind(kind)
    if kind is LetterKind.RECEIPT:
        return c.ReceiptContext(
            **facts(),
            items=["2025年度本局部门预算执行情况报告", "幸福路改造项目施工合同"],
            reply_due=dt.date(2026, 3, 30),
            delivery_form="电子邮件发送电子文本",
        )
    if kind is LetterKind.SUPPLEMENTATION_NOTICE:
        return c.SupplementationContext(
            **facts(),
            missing=[
                "申请公开的政府信息的名称、文号或者便于本机关查询的其他特征性描述",
                "申请人身份证明（居民身份证复印件）",
            ],
            supplement_due=dt.date(2026, 3, 20),
        )
    if kind is LetterKind.EXTENSION_NOTICE:
        return c.ExtensionContext(
            **facts(),
            original_due=dt.date(2026, 3, 30),
            extended_due=dt.date(2026, 4, 28),
            reason="你申请的信息数量较多，需要调阅2016年至2025年的档案",
        )
    if kind is LetterKind.THIRD_PARTY_CONSULTATION:
        return c.ThirdPartyConsultationContext(
            third_party_name="测试建设工程有限公司",
            reference=REFERENCE,
            information_description="幸福路改造项目施工合同",
            reason="该合同载有贵公司报价明细和银行账户",
            reply_due=dt.date(2026, 3, 27),
        )
    if kind is LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE:
        return c.ThirdPartyDisclosureNoticeContext(
            third_party_name="测试建设工程有限公司",
            reference=REFERENCE,
            information_description="幸福路改造项目施工合同",
            disclosed_content="合同价款总额、工期和质量标准条款",
            public_interest_reasons="该项目使用财政资金，合同价款和工期关系公众对财政资金使用的监督",
            disclosure_date=dt.date(2026, 4, 10),
            objection_date=dt.date(2026, 3, 25),
        )
    if kind is LetterKind.AGENCY_CONSULTATION:
        return c.AgencyConsultationContext(
            consulted_agency_name="测试市财政局",
            reference=REFERENCE,
            information_description="幸福路改造项目财政资金拨付文件",
            question="该文件由本机关与贵机关联合印发，请贵机关就是否同意公开提出意见",
            reply_due=dt.date(2026, 3, 27),
            jointly_made=True,
        )
    if kind is LetterKind.FEE_NOTICE:
        return c.FeeNoticeContext(
            **facts(),
            method=c.FeeMethod.PER_REQUEST,
            fee_lines=[
                c.FeeLine(band="本月第1—10件", quantity=10, rate=Decimal("0"), amount=Decimal("0")),
                c.FeeLine(band="本月第11—30件", quantity=20, rate=Decimal("100"), amount=Decimal("2000")),
                c.FeeLine(band="本月第31—35件", quantity=5, rate=Decimal("200"), amount=Decimal("1000")),
            ],
            pay_by=dt.date(2026, 4, 1),
            payment_instructions="通过非税收入统一缴款平台缴纳，执收单位编码330100001，缴款码见附页。",
        )
    if kind is LetterKind.REPLY:
        return c.ReplyContext(
            **facts(),
            items=reply_items(),
            supplemented_date=dt.date(2026, 3, 9),
            attachments=["2025年度部门预算执行情况报告", "幸福路改造项目施工合同（部分公开）"],
        )
    if kind is LetterKind.PETITION_NOTICE:
        return c.PetitionNoticeContext(
            **facts(),
            content_summary="反映幸福路施工噪音扰民，要求查处施工单位",
            petition_channel="测试市信访局（测试市人民路1号，电话12345）或者“12345政务服务便民热线”",
        )
    if kind is LetterKind.PROOF_OF_SERVICE:
        return c.ProofOfServiceContext(
            served_letter_number="测1公开答〔2026〕12号",
            served_letter_title="政府信息公开申请答复书",
            addressee_name=APPLICANT,
            service_method="邮寄（EMS 1234567890123）",
            service_address="测试市幸福路1号3单元502室",
        )
    raise ValueError(kind)


def refusal_reply() -> c.ReplyContext:
    """A reply refusing under a specific law (Art. 14 plus the law that forbids disclosure)."""
    return c.ReplyContext(
        **facts(),
        items=[
            c.ItemOutcome(
                description="某企业的纳税申报资料",
                outcome=Outcome.DENY_LAW,
                reasons="纳税人的纳税申报资料依法应当保密",
                basis=(Citation(Law.REGULATION, 14),),
            )
        ],
    )


def two_page_reply() -> c.ReplyContext:
    """The benchmark's letter: a typical two-page reply (disclosed, refused in part, not held)."""
    items = reply_items()
    return c.ReplyContext(
        **facts(),
        items=[items[0], items[2]],
        attachments=["2025年度部门预算执行情况报告", "幸福路改造项目施工合同（部分公开）"],
    )
