"""The kinds of letter, their numbering series, titles and contexts.

Each kind has a folder under `letters/<kind>/` with `letter.html` (the template) and optionally `style.css`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from disclosure.correspondence import contexts as c


class LetterKind(enum.StrEnum):
    RECEIPT = "receipt"  # 登记回执
    SUPPLEMENTATION_NOTICE = "supplementation_notice"  # 补正通知书
    EXTENSION_NOTICE = "extension_notice"  # 延期答复告知书
    THIRD_PARTY_CONSULTATION = "third_party_consultation"  # 第三方意见征询函
    THIRD_PARTY_DISCLOSURE_NOTICE = "third_party_disclosure_notice"  # 第三方公开告知书
    AGENCY_CONSULTATION = "agency_consultation"  # 征求意见函
    FEE_NOTICE = "fee_notice"  # 收费通知书
    REPLY = "reply"  # 政府信息公开申请答复书
    PETITION_NOTICE = "petition_notice"  # 条例 Art. 39 告知书
    PROOF_OF_SERVICE = "proof_of_service"  # 送达回证


@dataclass(frozen=True)
class KindInfo:
    label: object  # lazy translated (UI)
    title: str  # printed title (letters are in Chinese)
    series: str  # numbering series; the agency's prefix for it comes from Agency.doc_prefix(series)
    default_suffix: str  # appended to the agency's short name when no prefix is configured for the series
    context: type
    has_remedy: bool  # carries a remedy clause (复议法 Art. 20: state the right, the body and the limit)
    addressed_to_applicant: bool
    file_stem: str  # attachment / download name: 答复书.pdf


KINDS: dict[LetterKind, KindInfo] = {
    LetterKind.RECEIPT: KindInfo(
        _l("Acknowledgement receipt"),
        "政府信息公开申请登记回执",
        "receipt",
        "公开回执",
        c.ReceiptContext,
        False,
        True,
        "登记回执",
    ),
    LetterKind.SUPPLEMENTATION_NOTICE: KindInfo(
        _l("Supplementation notice"),
        "政府信息公开申请补正通知书",
        "notice",
        "公开告",
        c.SupplementationContext,
        False,
        True,
        "补正通知书",
    ),
    LetterKind.EXTENSION_NOTICE: KindInfo(
        _l("Extension notice"),
        "政府信息公开申请延期答复告知书",
        "notice",
        "公开告",
        c.ExtensionContext,
        False,
        True,
        "延期答复告知书",
    ),
    LetterKind.THIRD_PARTY_CONSULTATION: KindInfo(
        _l("Third-party consultation letter"),
        "政府信息公开第三方意见征询函",
        "letter",
        "公开函",
        c.ThirdPartyConsultationContext,
        False,
        False,
        "第三方意见征询函",
    ),
    LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE: KindInfo(
        _l("Notice of disclosure to a third party"),
        "政府信息公开第三方告知书",
        "letter",
        "公开函",
        c.ThirdPartyDisclosureNoticeContext,
        True,
        False,
        "第三方告知书",
    ),
    LetterKind.AGENCY_CONSULTATION: KindInfo(
        _l("Consultation letter to another agency"),
        "政府信息公开征求意见函",
        "letter",
        "公开函",
        c.AgencyConsultationContext,
        False,
        False,
        "征求意见函",
    ),
    LetterKind.FEE_NOTICE: KindInfo(
        _l("Fee notice"),
        "政府信息公开信息处理费收费通知书",
        "notice",
        "公开告",
        c.FeeNoticeContext,
        False,
        True,
        "收费通知书",
    ),
    LetterKind.REPLY: KindInfo(
        _l("Reply letter"),
        "政府信息公开申请答复书",
        "reply",
        "公开答",
        c.ReplyContext,
        True,
        True,
        "答复书",
    ),
    LetterKind.PETITION_NOTICE: KindInfo(
        _l("Notice on a petition filed as an application"),
        "政府信息公开申请处理告知书",
        "notice",
        "公开告",
        c.PetitionNoticeContext,
        True,
        True,
        "告知书",
    ),
    LetterKind.PROOF_OF_SERVICE: KindInfo(
        _l("Proof of service"),
        "送达回证",
        "service",
        "公开送",
        c.ProofOfServiceContext,
        False,
        False,
        "送达回证",
    ),
}


def kind_info(kind: LetterKind | str) -> KindInfo:
    return KINDS[LetterKind(kind)]


def addressee_of(kind: LetterKind | str, context) -> str:
    """Whom the letter is addressed to (printed, masked on the public verification page)."""
    kind = LetterKind(kind)
    if kind in (LetterKind.THIRD_PARTY_CONSULTATION, LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE):
        return context.third_party_name
    if kind is LetterKind.AGENCY_CONSULTATION:
        return context.consulted_agency_name
    if kind is LetterKind.PROOF_OF_SERVICE:
        return context.addressee_name
    return context.applicant_name
