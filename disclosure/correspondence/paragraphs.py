"""Standard paragraphs: the slots of each letter kind that an agency may reword through its settings form.

Defaults are the built-in Chinese wording; an agency's own text (LetterSettings.paragraphs) replaces them.
The text is inserted escaped, never as a template, so settings cannot inject markup or template code.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from disclosure.correspondence.kinds import LetterKind


@dataclass(frozen=True)
class Slot:
    key: str
    label: object
    default: str


_CLOSING = Slot("closing", _l("Closing paragraph"), "特此告知。")

SLOTS: dict[LetterKind, tuple[Slot, ...]] = {
    LetterKind.RECEIPT: (
        Slot(
            "intro",
            _l("Note after the registration details"),
            "本机关将依照《中华人民共和国政府信息公开条例》的规定办理你（单位）的申请。如需补正，本机关将一次性告知。",
        ),
        Slot("closing", _l("Closing paragraph"), ""),
    ),
    LetterKind.SUPPLEMENTATION_NOTICE: (
        Slot(
            "intro",
            _l("Guidance on supplementing"),
            "请你（单位）按上述要求补正后，通过原申请渠道或者当面、邮寄方式提交本机关。",
        ),
        _CLOSING,
    ),
    LetterKind.EXTENSION_NOTICE: (Slot("intro", _l("Additional explanation"), ""), _CLOSING),
    LetterKind.THIRD_PARTY_CONSULTATION: (
        Slot("intro", _l("How to reply"), "请贵方以书面形式提出意见并说明理由，加盖公章或者签字后送达本机关。"),
        Slot("closing", _l("Closing paragraph"), "特此函告。"),
    ),
    LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE: (Slot("intro", _l("Additional explanation"), ""), _CLOSING),
    LetterKind.AGENCY_CONSULTATION: (
        Slot("intro", _l("How to reply"), "请贵机关以书面形式回复意见。征求意见所需时间不计算在本机关答复期限内。"),
        Slot("closing", _l("Closing paragraph"), "特此函告。"),
    ),
    LetterKind.FEE_NOTICE: (
        Slot("intro", _l("Note on the receipt and refunds"), "缴费后请保留缴款凭证，本机关将开具财政票据。"),
        _CLOSING,
    ),
    LetterKind.REPLY: (
        Slot("intro", _l("Paragraph after the items"), ""),
        Slot("closing", _l("Closing paragraph"), "特此答复。"),
    ),
    LetterKind.PETITION_NOTICE: (Slot("intro", _l("Additional explanation"), ""), _CLOSING),
    LetterKind.PROOF_OF_SERVICE: (
        Slot(
            "intro",
            _l("Note printed on the form"),
            "受送达人应当在送达回证上签名或者盖章，并注明签收日期。受送达人拒绝签收的，送达人应当注明情况。",
        ),
    ),
}


def resolve(kind: LetterKind, overrides: dict | None) -> dict[str, str]:
    """The wording of every slot of `kind`: the agency's text where it set one, else the default."""
    own = (overrides or {}).get(kind.value, {}) or {}
    return {s.key: (own.get(s.key) if own.get(s.key) is not None else s.default) for s in SLOTS[kind]}
