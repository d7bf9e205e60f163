"""What each letter needs: one typed context per letter kind.

The workflow (disclosure/applications) fills these from a case; `missing_fields()` names every required value
that is empty so `issue_letter` can refuse before a document number is taken (issue 4, "Bad input").
Contexts hold plain values only (no ORM rows), so a letter's context can be stored as JSON with the letter and
rendered again for inspection.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from disclosure.correspondence.outcomes import (
    NEEDS_CHANNEL,
    NEEDS_LOCATION,
    NEEDS_REASONS,
    NEEDS_RESPONSIBLE_AGENCY,
    NEEDS_WITHHELD,
    OUTCOMES,
    Citation,
    Law,
    Outcome,
    derive_case_outcome,
)

# How an application reached the office (条例 Art. 31) and how letters print it.
CHANNEL_LABELS_ZH = {
    "in_person": "当面提交",
    "post": "邮寄",
    "post_signed": "邮寄（签收）",
    "letter": "平常信函",
    "online": "互联网",
    "fax": "传真",
    "oral": "口头提出",
}


def channel_text(channel: str) -> str:
    """The Chinese wording of a receipt channel; an unknown value (already Chinese) is printed as given."""
    return CHANNEL_LABELS_ZH.get(channel, channel)


FIELD_LABELS = {
    "applicant_name": _l("applicant name"),
    "reference": _l("application reference"),
    "received_date": _l("date of receipt"),
    "channel": _l("receipt channel"),
    "items": _l("requested items"),
    "reply_due": _l("reply deadline"),
    "missing": _l("what the applicant must supplement"),
    "supplement_due": _l("supplementation deadline"),
    "original_due": _l("original reply deadline"),
    "extension_days": _l("an extension of 1 to 20 working days"),
    "extended_due_order": _l("an extended deadline after the original one"),
    "extended_due": _l("extended reply deadline"),
    "reason": _l("reason"),
    "third_party_name": _l("third party name"),
    "information_description": _l("description of the information"),
    "disclosed_content": _l("content to be disclosed"),
    "public_interest_reasons": _l("public-interest reasons"),
    "disclosure_date": _l("disclosure date"),
    "consulted_agency_name": _l("consulted agency"),
    "question": _l("question put to the agency"),
    "fee_lines": _l("fee calculation"),
    "pay_by": _l("payment deadline"),
    "payment_instructions": _l("how to pay"),
    "petition_channel": _l("channel for the petition, complaint or report"),
    "served_letter_number": _l("number of the served document"),
    "served_letter_title": _l("title of the served document"),
    "addressee_name": _l("addressee name"),
    "service_method": _l("method of service"),
    NEEDS_REASONS: _l("reasons"),
    NEEDS_RESPONSIBLE_AGENCY: _l("responsible agency"),
    NEEDS_LOCATION: _l("where the information can be obtained"),
    NEEDS_CHANNEL: _l("procedure or channel the applicant should use"),
    NEEDS_WITHHELD: _l("the withheld parts"),
    "withheld_outcome": _l("the exemption for the withheld parts"),
    "inspection_place": _l("place of inspection (or the agency's address)"),
    "inspection_time": _l("time of inspection (or the agency's office hours)"),
    "description": _l("item description"),
    "outcome": _l("outcome"),
}


@dataclass(kw_only=True)
class ApplicationFacts:
    """Facts every letter to an applicant repeats (条例 Arts. 29, 31)."""

    applicant_name: str
    reference: str
    received_date: dt.date | None = None
    channel: str = ""
    # True for a legal person or other organisation, False for a natural person, None when unknown: letters say
    # 你单位 / 你 / 你（单位） accordingly.
    applicant_is_organisation: bool | None = None

    @property
    def channel_text(self) -> str:
        return channel_text(self.channel)

    @property
    def you(self) -> str:
        return {True: "你单位", False: "你"}.get(self.applicant_is_organisation, "你（单位）")


# 条例 Art. 40: the forms in which disclosed information is provided; the words a workflow may pass for them.
PROVISION_FORMS = ("paper", "electronic", "email", "inspection")
PROVISION_FORM_ALIASES = {
    **{f: f for f in PROVISION_FORMS},
    "纸质文本": "paper",
    "纸质": "paper",
    "电子文件": "electronic",
    "电子文本": "electronic",
    "电子数据": "electronic",
    "电子邮件": "email",
    "现场查阅": "inspection",
    "查阅": "inspection",
}

# File extensions an upload name may carry; a reply names an attachment without them (GB/T 9704 附件说明).
_FILE_EXTENSION = re.compile(
    r"\.(pdf|ofd|docx?|xlsx?|wps|et|pptx?|txt|rtf|csv|jpe?g|png|gif|tiff?|bmp|zip|rar|7z)$", re.IGNORECASE
)
# Names that say nothing to a reader: hex digests, UUIDs, long random tokens.
_MEANINGLESS = re.compile(
    r"^(?:[0-9a-fA-F]{16,}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
    r"|(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{20,})$"
)


def attachment_title(title: str | None = "", filename: str | None = "", n: int = 1) -> str:
    """How a reply lists an attachment (附件): its title when it has one, otherwise the uploaded file's name
    without the extension and tidied; never a hash or random token (then "政府信息文件N")."""
    for raw in (title, filename):
        name = _FILE_EXTENSION.sub("", (raw or "").strip().rsplit("/", 1)[-1])
        name = re.sub(r"[\s_]+", " ", name).strip(" .-")
        if name and not _MEANINGLESS.match(name.replace(" ", "")):
            return name
    return f"政府信息文件{n}"


@dataclass(kw_only=True)
class ItemOutcome:
    """One requested item with its outcome, reasons and the details its outcome requires."""

    description: str
    outcome: Outcome
    reasons: str = ""
    # Extra provisions, e.g. the specific law that forbids disclosure (deny_law) or the exemption behind a
    # partial disclosure; printed after the outcome's own basis.
    basis: tuple[Citation, ...] = ()
    responsible_agency: str = ""  # Art. 36(5)
    responsible_contact: str = ""
    public_location: str = ""  # Art. 36(1), Art. 39 para 2
    redirect_channel: str = ""  # Art. 36(7), Art. 39 para 1
    withheld_parts: str = ""  # Art. 37
    withheld_outcome: Outcome | None = None  # Art. 37: the exemption for the withheld parts (deny_*)
    # Disclosed (Art. 40): the form in which the information is provided, one of PROVISION_FORMS (paper,
    # electronic, email, inspection), or a sentence of the office's own in `provision` ("合同其余内容见附件2").
    provision_form: str = ""
    provision: str = ""
    inspection_place: str = ""  # inspection: where; defaults to the agency's address
    inspection_time: str = ""  # inspection: when; defaults to the agency's office hours

    def citations(self) -> tuple[Citation, ...]:
        cits = list(OUTCOMES[Outcome(self.outcome)].basis)
        if self.withheld_outcome:
            cits += [c for c in OUTCOMES[Outcome(self.withheld_outcome)].basis if c not in cits]
        cits += [c for c in self.basis if c not in cits]
        return tuple(cits)

    def form(self) -> str:
        """The provision form: `provision_form`, or a bare form label given as `provision` ("纸质文本")."""
        if self.provision_form:
            return PROVISION_FORM_ALIASES.get(self.provision_form.strip(), self.provision_form.strip())
        return PROVISION_FORM_ALIASES.get((self.provision or "").strip().rstrip("。"), "")

    def provision_phrase(self, you: str, *, place: str = "", hours: str = "", attachments: bool = False) -> str:
        """How the disclosed information reaches the applicant, as the end of the sentence "本机关予以公开，…"
        (条例 Art. 40): 以纸质文本形式提供 / 以电子数据形式提供 / 通过电子邮件向你发送 / 请你于…到…查阅.
        `place` and `hours` are the agency's address and office hours, used for an inspection without its own."""
        form = self.form()
        if form == "paper":
            return f"以纸质文本形式向{you}提供"
        if form == "electronic":
            return f"以电子数据形式向{you}提供"
        if form == "email":
            return f"通过电子邮件向{you}发送"
        if form == "inspection":
            when = (self.inspection_time or "").strip().rstrip("。")
            if not when and (hours or "").strip():
                when = f"工作时间（{hours.strip().rstrip('。')}）"
            where = (self.inspection_place or place or "").strip().rstrip("。")
            return f"请{you}于{when}到{where}查阅"
        own = (self.provision or "").strip().rstrip("。")
        if own:
            return own
        return "具体内容见附件" if attachments else ""

    def missing(self) -> list[str]:
        out = []
        if not (self.description or "").strip():
            out.append("description")
        needs = OUTCOMES[Outcome(self.outcome)].needs
        for need in needs:
            if not (getattr(self, need) or "").strip():
                out.append(need)
        if Outcome(self.outcome) is Outcome.PARTIAL and (
            not self.withheld_outcome or not OUTCOMES[Outcome(self.withheld_outcome)].is_refusal
        ):
            out.append("withheld_outcome")
        return out


@dataclass(kw_only=True)
class ReceiptContext(ApplicationFacts):
    """登记回执: registration of an application (条例 Arts. 29–31, 33)."""

    items: list[str] = field(default_factory=list)
    reply_due: dt.date | None = None
    delivery_form: str = ""  # 条例 Art. 29(3): the form and channel the applicant asked for
    REQUIRED = ("applicant_name", "reference", "received_date", "channel", "items", "reply_due")


@dataclass(kw_only=True)
class SupplementationContext(ApplicationFacts):
    """补正通知书: everything to supplement, in one notice, with a reasonable deadline (条例 Art. 30)."""

    missing: list[str] = field(default_factory=list)
    supplement_due: dt.date | None = None
    guidance: str = ""
    REQUIRED = ("applicant_name", "reference", "received_date", "channel", "missing", "supplement_due")


@dataclass(kw_only=True)
class ExtensionContext(ApplicationFacts):
    """延期答复告知书: one extension of at most 20 working days, approved by the office head (条例 Art. 33)."""

    original_due: dt.date | None = None
    extended_due: dt.date | None = None
    reason: str = ""
    extension_days: int = 20
    REQUIRED = ("applicant_name", "reference", "received_date", "channel", "original_due", "extended_due", "reason")

    def invalid(self) -> list[str]:
        """条例 Art. 33 para 2: one extension of at most 20 working days, ending after the original deadline."""
        out = []
        if not isinstance(self.extension_days, int) or not 1 <= self.extension_days <= 20:
            out.append("extension_days")
        if self.original_due and self.extended_due and self.extended_due <= self.original_due:
            out.append("extended_due_order")
        return out


@dataclass(kw_only=True)
class ThirdPartyConsultationContext:
    """第三方意见征询函: the third party has 15 working days from receipt to give its opinion (条例 Art. 32).
    The applicant's identity is not disclosed to the third party."""

    third_party_name: str
    reference: str
    information_description: str
    reason: str = ""  # why disclosure may harm the third party's rights
    reply_due: dt.date | None = None  # optional: the letter always states the 15-working-day limit
    addressee_address: str = ""
    REQUIRED = ("third_party_name", "reference", "information_description")


@dataclass(kw_only=True)
class ThirdPartyDisclosureNoticeContext:
    """Notice to a third party that the agency discloses despite its objection (条例 Art. 32, last sentence)."""

    third_party_name: str
    reference: str
    information_description: str
    disclosed_content: str
    public_interest_reasons: str
    disclosure_date: dt.date | None = None
    objection_date: dt.date | None = None
    REQUIRED = (
        "third_party_name",
        "reference",
        "information_description",
        "disclosed_content",
        "public_interest_reasons",
        "disclosure_date",
    )


@dataclass(kw_only=True)
class AgencyConsultationContext:
    """征求意见函 to another organ (条例 Arts. 10, 34; time not counted under Art. 33)."""

    consulted_agency_name: str
    reference: str
    information_description: str
    question: str
    reply_due: dt.date | None = None
    jointly_made: bool = False  # Art. 34: 15 working days, silence counts as consent
    REQUIRED = ("consulted_agency_name", "reference", "information_description", "question", "reply_due")


class FeeMethod(enum.StrEnum):
    PER_REQUEST = "per_request"  # 按件, 109号 Art. 4
    PER_VOLUME = "per_volume"  # 按量, 109号 Art. 5


@dataclass(kw_only=True)
class FeeLine:
    """One band of the marginal fee table: '第11—30件' 20 件 × 100 元 = 2000 元."""

    band: str
    quantity: int
    rate: decimal.Decimal
    amount: decimal.Decimal


@dataclass(kw_only=True)
class FeeNoticeContext(ApplicationFacts):
    """收费通知书: basis, rate, amount, how and by when to pay (条例 Art. 42; 国办函〔2020〕109号 Arts. 3–6)."""

    method: FeeMethod = FeeMethod.PER_REQUEST
    fee_lines: list[FeeLine] = field(default_factory=list)
    pay_by: dt.date | None = None
    payment_instructions: str = ""
    REQUIRED = (
        "applicant_name",
        "reference",
        "received_date",
        "channel",
        "fee_lines",
        "pay_by",
        "payment_instructions",
    )

    @property
    def total(self) -> decimal.Decimal:
        return sum((line.amount for line in self.fee_lines), decimal.Decimal(0))

    def basis(self) -> tuple[Citation, ...]:
        article = 4 if FeeMethod(self.method) is FeeMethod.PER_REQUEST else 5
        return (Citation(Law.REGULATION, 42), Citation(Law.FEE_MEASURES, article), Citation(Law.FEE_MEASURES, 6))


@dataclass(kw_only=True)
class ReplyContext(ApplicationFacts):
    """政府信息公开申请答复书 (条例 Arts. 36–39): each item with its outcome, reasons and legal basis."""

    items: list[ItemOutcome] = field(default_factory=list)
    supplemented_date: dt.date | None = None  # 条例 Art. 30: the clock restarted on this day
    # 附件: titles, or upload file names (printed without extension, see `attachment_title`).
    attachments: list[str] = field(default_factory=list)
    REQUIRED = ("applicant_name", "reference", "received_date", "channel", "items")

    @property
    def attachment_titles(self) -> list[str]:
        return [attachment_title(a, n=n) for n, a in enumerate(self.attachments, start=1)]

    @property
    def case_outcome(self) -> Outcome:
        return derive_case_outcome([i.outcome for i in self.items])


@dataclass(kw_only=True)
class PetitionNoticeContext(ApplicationFacts):
    """告知书 for a petition, complaint or report filed as an application (条例 Art. 39 para 1)."""

    content_summary: str = ""
    petition_channel: str = ""
    REQUIRED = ("applicant_name", "reference", "received_date", "channel", "petition_channel")


@dataclass(kw_only=True)
class ProofOfServiceContext:
    """送达回证: what was served on whom, how and where; signed by the recipient and the server."""

    served_letter_number: str
    served_letter_title: str
    addressee_name: str
    service_method: str
    service_address: str = ""
    served_on: dt.date | None = None  # blank on the form when the recipient writes the date
    REQUIRED = ("served_letter_number", "served_letter_title", "addressee_name", "service_method")


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


def missing_fields(context: Any) -> list[str]:
    """Keys of every required value that is empty, item details included ("items[2].reasons")."""
    out = [name for name in context.REQUIRED if _empty(getattr(context, name))]
    if hasattr(context, "invalid"):
        out += context.invalid()
    for i, item in enumerate(getattr(context, "items", []) or []):
        if isinstance(item, ItemOutcome):
            out += [f"items[{i + 1}].{m}" for m in item.missing()]
        elif isinstance(item, str) and not item.strip():
            out.append(f"items[{i + 1}]")
    return out


def describe_missing(keys: list[str]) -> list:
    """Human labels for `missing_fields` keys: lazy strings, translated when shown (works outside requests)."""
    out = []
    for key in keys:
        if key.startswith("items["):
            idx, _, sub = key.partition("].")
            n = idx[len("items[") :].rstrip("]")
            label = FIELD_LABELS.get(sub, sub) if sub else FIELD_LABELS["description"]
            out.append(_l("item %(n)s: %(what)s", n=n, what=label))
        else:
            out.append(FIELD_LABELS.get(key, key))
    return out


class LazyJoin:
    """Joins lazy strings when it is shown, so a message can be built outside a request."""

    def __init__(self, parts: list, sep: str = "; "):
        self.parts, self.sep = parts, sep

    def __str__(self) -> str:
        return self.sep.join(str(p) for p in self.parts)


# JSON snapshot of a context, stored with the issued letter (for inspection and corrections).
def to_json(context: Any) -> dict:
    def conv(v):
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, decimal.Decimal):
            return str(v)
        if isinstance(v, enum.Enum):
            return v.value
        if isinstance(v, Citation):
            return {"law": v.law.name, "article": v.article, "paragraph": v.paragraph, "item": v.item}
        if isinstance(v, list | tuple):
            return [conv(x) for x in v]
        if dataclasses.is_dataclass(v):
            return {f.name: conv(getattr(v, f.name)) for f in dataclasses.fields(v)}
        return v

    return conv(context)
