"""The table of handling outcomes: one row per way a disclosure request can end.

Our equivalent of NYCOpenRecords' library of reasons. Each outcome carries its annual-report row (国办公开办函
〔2021〕30号 table 3, rules-china §3.3), the reply-letter family that words it, its legal basis as structured
citations, and the remedy clause it needs: ordinary, or reconsideration first for any refusal under 条例
Arts. 14–16 (复议法 Art. 23(1)(4) and para 2; rules-china §2.3).

Pure data and pure functions: no Flask app, no database. Labels are lazy translations (English msgids).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l


class Law(enum.StrEnum):
    """Instruments cited in letters, by their full Chinese title as letters print it."""

    REGULATION = "《中华人民共和国政府信息公开条例》"
    FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
    RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
    LITIGATION_LAW = "《中华人民共和国行政诉讼法》"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 36 → 三十六, 105 → 一百零五 (article numbers as statutes write them)."""
    if n <= 0 or n >= 1000:
        raise ValueError(f"article numbers run from 1 to 999, not {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


@dataclass(frozen=True)
class Citation:
    """One provision: law, article, and optionally paragraph (款) and item (项)."""

    law: Law
    article: int
    paragraph: int | None = None
    item: int | None = None

    def provision(self) -> str:
        """第三十六条第（二）项 / 第十六条第二款 — the part after the law's title."""
        text = f"第{chinese_number(self.article)}条"
        if self.paragraph:
            text += f"第{chinese_number(self.paragraph)}款"
        if self.item:
            text += f"第（{chinese_number(self.item)}）项"
        return text

    def format(self) -> str:
        """《中华人民共和国政府信息公开条例》第三十六条第（二）项"""
        return f"{self.law.value}{self.provision()}"


def format_citations(citations: Iterable[Citation]) -> str:
    """Cite several provisions the way official letters do: the law's title once, its provisions joined by
    "、", in the order given; duplicates dropped.

    >>> format_citations([Citation(Law.REGULATION, 14), Citation(Law.REGULATION, 36, item=3)])
    '《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项'
    """
    groups: dict[Law, list[str]] = {}
    for c in citations:
        provs = groups.setdefault(c.law, [])
        if c.provision() not in provs:
            provs.append(c.provision())
    return "，".join(law.value + "、".join(provs) for law, provs in groups.items())


# How pages name the instruments to a reader of English; letters always cite the Chinese titles.
LAW_TITLES_EN = {
    Law.REGULATION: "Regulations on the Disclosure of Government Information",
    Law.FEE_MEASURES: "Measures on Fees for Processing Government Information (Guobanhan [2020] No. 109)",
    Law.RECONSIDERATION_LAW: "Administrative Reconsideration Law",
    Law.LITIGATION_LAW: "Administrative Litigation Law",
}


def _provision_en(c: Citation) -> str:
    """36 / 36(2) / 16(2) / 23(1)(4): article, then paragraph and item in brackets."""
    return f"{c.article}" + (f"({c.paragraph})" if c.paragraph else "") + (f"({c.item})" if c.item else "")


def format_citations_en(citations: Iterable[Citation]) -> str:
    """The English rendering for pages.

    >>> format_citations_en([Citation(Law.REGULATION, 36, item=2)])
    'Regulations on the Disclosure of Government Information, Art. 36(2)'
    >>> format_citations_en([Citation(Law.REGULATION, 14), Citation(Law.REGULATION, 36, item=3)])
    'Regulations on the Disclosure of Government Information, Arts. 14, 36(3)'
    """
    groups: dict[Law, list[str]] = {}
    for c in citations:
        provs = groups.setdefault(c.law, [])
        if _provision_en(c) not in provs:
            provs.append(_provision_en(c))
    return "; ".join(
        f"{LAW_TITLES_EN[law]}, {'Arts.' if len(provs) > 1 else 'Art.'} {', '.join(provs)}"
        for law, provs in groups.items()
    )


def citation_label(citations: Iterable[Citation]) -> str:
    """The citations for a page, in the reader's language: Chinese (as letters print them) unless the interface
    is in another language, then English. Letters use `format_citations`, never this."""
    citations = tuple(citations)
    locale = get_locale()
    if locale is None or locale.language == "zh":
        return format_citations(citations)
    return format_citations_en(citations)


def R(article: int, paragraph: int | None = None, item: int | None = None) -> Citation:
    """A provision of the 条例 (short constructor for the table below)."""
    return Citation(Law.REGULATION, article, paragraph, item)


class RemedyKind(enum.StrEnum):
    """Which remedy clause a letter carries (rules-china §2.3)."""

    ORDINARY = "ordinary"  # reconsideration within 60 days or litigation within 6 months
    RECONSIDERATION_FIRST = "reconsideration_first"  # 复议法 Art. 23(1)(4): refusals must go to reconsideration first


class ReplyFamily(enum.StrEnum):
    """How the reply letter words an item; one paragraph template per family in `letters/reply/`."""

    DISCLOSED = "disclosed"
    ALREADY_PUBLIC = "already_public"
    PARTIAL = "partial"
    REFUSED = "refused"
    SPECIAL_PROCEDURE = "special_procedure"
    NOT_EXIST = "not_exist"
    NOT_OURS = "not_ours"
    NEED_CREATE = "need_create"
    UNCLEAR = "unclear"
    REPEAT = "repeat"
    NOT_HANDLED = "not_handled"  # petition, publication, mass requests, confirmation requests
    ENDED_NO_SUPPLEMENT = "ended_no_supplement"
    ENDED_FEE_UNPAID = "ended_fee_unpaid"
    OTHER = "other"


class Outcome(enum.StrEnum):
    """How one requested item (or a whole request) was handled."""

    GRANTED = "granted"
    ALREADY_PUBLIC = "already_public"
    PARTIAL = "partial"
    DENY_SECRET = "deny_secret"  # noqa: S105 - an outcome name, not a password
    DENY_LAW = "deny_law"
    DENY_SAFETY = "deny_safety"
    DENY_THIRD_PARTY = "deny_third_party"
    DENY_INTERNAL = "deny_internal"
    DENY_PROCESS = "deny_process"
    DENY_CASE_FILE = "deny_case_file"
    DENY_QUERY = "deny_query"
    NOT_EXIST = "not_exist"
    NOT_OURS = "not_ours"
    NEED_CREATE = "need_create"
    UNCLEAR_AFTER_SUPPLEMENT = "unclear_after_supplement"
    PETITION = "petition"
    REPEAT = "repeat"
    PUBLICATION = "publication"
    MASS = "mass"
    CONFIRM = "confirm"
    NO_SUPPLEMENT = "no_supplement"
    FEE_UNPAID = "fee_unpaid"
    OTHER = "other"


# Item-level details a letter must state for the outcome (validated before a letter is numbered).
NEEDS_REASONS = "reasons"
NEEDS_RESPONSIBLE_AGENCY = "responsible_agency"  # 条例 Art. 36(5): name the responsible organ when known
NEEDS_LOCATION = "public_location"  # Art. 36(1), Art. 39 para 2: how and where to obtain it
NEEDS_CHANNEL = "redirect_channel"  # Art. 36(7), Art. 39 para 1: the procedure or channel to use
NEEDS_WITHHELD = "withheld_parts"  # Art. 37: what was withheld, and why


@dataclass(frozen=True)
class OutcomeInfo:
    label: object  # lazy translated string
    report_row: str  # annual-report table 3 row key (rules-china §3.3)
    family: ReplyFamily
    basis: tuple[Citation, ...]
    remedy: RemedyKind
    is_refusal: bool = False  # a 不予公开 decision (Arts. 14–16): reconsideration first
    is_disclosure: bool = False  # the applicant receives (part of) the information
    needs: tuple[str, ...] = ()

    def citation_text(self) -> str:
        """The basis as letters print it (Chinese)."""
        return format_citations(self.basis)

    def citation_label(self) -> str:
        """The basis for pages, in the reader's language (`citation_label`)."""
        return citation_label(self.basis)


_ORD = RemedyKind.ORDINARY
_RF = RemedyKind.RECONSIDERATION_FIRST
_F = ReplyFamily

OUTCOMES: dict[Outcome, OutcomeInfo] = {
    Outcome.GRANTED: OutcomeInfo(_l("Disclosed"), "granted", _F.DISCLOSED, (R(36, item=2),), _ORD, is_disclosure=True),
    Outcome.ALREADY_PUBLIC: OutcomeInfo(
        _l("Already proactively disclosed"),
        "granted",
        _F.ALREADY_PUBLIC,
        (R(36, item=1),),
        _ORD,
        is_disclosure=True,
        needs=(NEEDS_LOCATION,),
    ),
    Outcome.PARTIAL: OutcomeInfo(
        _l("Partly disclosed"),
        "partial",
        _F.PARTIAL,
        (R(37),),
        _RF,
        is_refusal=True,
        is_disclosure=True,
        needs=(NEEDS_WITHHELD, NEEDS_REASONS),
    ),
    Outcome.DENY_SECRET: OutcomeInfo(
        _l("Refused: state secret"),
        "deny_secret",
        _F.REFUSED,
        (R(14), R(36, item=3)),
        _RF,
        is_refusal=True,
        needs=(NEEDS_REASONS,),
    ),
    Outcome.DENY_LAW: OutcomeInfo(
        _l("Refused: disclosure prohibited by laws or administrative regulations"),
        "deny_law",
        _F.REFUSED,
        (R(14), R(36, item=3)),
        _RF,
        is_refusal=True,
        needs=(NEEDS_REASONS,),
    ),
    Outcome.DENY_SAFETY: OutcomeInfo(
        _l("Refused: would endanger national, public or economic security or social stability"),
        "deny_safety",
        _F.REFUSED,
        (R(14), R(36, item=3)),
        _RF,
        is_refusal=True,
        needs=(NEEDS_REASONS,),
    ),
    Outcome.DENY_THIRD_PARTY: OutcomeInfo(
        _l("Refused: protects a third party's lawful rights"),
        "deny_third_party",
        _F.REFUSED,
        (R(15), R(36, item=3)),
        _RF,
        is_refusal=True,
        needs=(NEEDS_REASONS,),
    ),
    Outcome.DENY_INTERNAL: OutcomeInfo(
        _l("Refused: internal affairs information"),
        "deny_internal",
        _F.REFUSED,
        (R(16, 1), R(36, item=3)),
        _RF,
        is_refusal=True,
        needs=(NEEDS_REASONS,),
    ),
    Outcome.DENY_PROCESS: OutcomeInfo(
        _l("Refused: process information"),
        "deny_process",
        _F.REFUSED,
        (R(16, 2), R(36, item=3)),
        _RF,
        is_refusal=True,
        needs=(NEEDS_REASONS,),
    ),
    Outcome.DENY_CASE_FILE: OutcomeInfo(
        _l("Refused: administrative enforcement case file"),
        "deny_case_file",
        _F.REFUSED,
        (R(16, 2), R(36, item=3)),
        _RF,
        is_refusal=True,
        needs=(NEEDS_REASONS,),
    ),
    # Art. 36(7) directs the applicant to a special procedure. It is counted under 不予公开 8 in the annual
    # report, but it is not a refusal under Arts. 14–16, so the ordinary remedy clause applies
    # (法释〔2025〕8号 ties reconsideration-first to Arts. 14–16; confirm locally, see rules-china §10.7).
    Outcome.DENY_QUERY: OutcomeInfo(
        _l("Governed by a special procedure (administrative query)"),
        "deny_query",
        _F.SPECIAL_PROCEDURE,
        (R(36, item=7),),
        _ORD,
        needs=(NEEDS_CHANNEL,),
    ),
    Outcome.NOT_EXIST: OutcomeInfo(
        _l("Information does not exist"), "na_not_held", _F.NOT_EXIST, (R(36, item=4),), _ORD
    ),
    Outcome.NOT_OURS: OutcomeInfo(
        _l("Not this agency's to disclose"),
        "na_not_held",
        _F.NOT_OURS,
        (R(36, item=5),),
        _ORD,
        needs=(NEEDS_REASONS, NEEDS_RESPONSIBLE_AGENCY),
    ),
    Outcome.NEED_CREATE: OutcomeInfo(
        _l("No existing information; would have to be created"),
        "na_need_create",
        _F.NEED_CREATE,
        (R(38),),
        _ORD,
    ),
    Outcome.UNCLEAR_AFTER_SUPPLEMENT: OutcomeInfo(
        _l("Still unclear after supplementation"), "na_unclear", _F.UNCLEAR, (R(30),), _ORD
    ),
    Outcome.PETITION: OutcomeInfo(
        _l("Petition, complaint or report: not handled as an application"),
        "np_petition",
        _F.NOT_HANDLED,
        (R(39, 1),),
        _ORD,
        needs=(NEEDS_CHANNEL,),
    ),
    Outcome.REPEAT: OutcomeInfo(_l("Repeated application"), "np_repeat", _F.REPEAT, (R(36, item=6),), _ORD),
    Outcome.PUBLICATION: OutcomeInfo(
        _l("Request for a public publication"),
        "np_publication",
        _F.NOT_HANDLED,
        (R(39, 2),),
        _ORD,
        needs=(NEEDS_LOCATION,),
    ),
    Outcome.MASS: OutcomeInfo(
        _l("Unreasonably numerous or frequent requests"),
        "np_mass",
        _F.NOT_HANDLED,
        (R(35),),
        _ORD,
        needs=(NEEDS_REASONS,),
    ),
    # The 条例 names no article for confirmation / re-issue requests; they fall outside Art. 2's definition
    # of a request for existing information. Row (五)5 of the annual report.
    Outcome.CONFIRM: OutcomeInfo(
        _l("Request to confirm or re-issue information already obtained"),
        "np_confirm",
        _F.NOT_HANDLED,
        (R(2),),
        _ORD,
        needs=(NEEDS_REASONS,),
    ),
    Outcome.NO_SUPPLEMENT: OutcomeInfo(
        _l("Ended: not supplemented in time"), "oth_no_supplement", _F.ENDED_NO_SUPPLEMENT, (R(30),), _ORD
    ),
    Outcome.FEE_UNPAID: OutcomeInfo(
        _l("Ended: processing fee not paid in time"),
        "oth_fee_unpaid",
        _F.ENDED_FEE_UNPAID,
        (R(42), Citation(Law.FEE_MEASURES, 6)),
        _ORD,
    ),
    Outcome.OTHER: OutcomeInfo(_l("Other"), "oth_other", _F.OTHER, (), _ORD, needs=(NEEDS_REASONS,)),
}

# Annual-report row order (rules-china §3.3): also the precedence when a case has no disclosed item.
REPORT_ROW_ORDER = (
    "granted",
    "partial",
    "deny_secret",
    "deny_law",
    "deny_safety",
    "deny_third_party",
    "deny_internal",
    "deny_process",
    "deny_case_file",
    "deny_query",
    "na_not_held",
    "na_need_create",
    "na_unclear",
    "np_petition",
    "np_repeat",
    "np_publication",
    "np_mass",
    "np_confirm",
    "oth_no_supplement",
    "oth_fee_unpaid",
    "oth_other",
)
_PRECEDENCE = {o: (REPORT_ROW_ORDER.index(OUTCOMES[o].report_row), i) for i, o in enumerate(Outcome)}


def info(outcome: Outcome | str) -> OutcomeInfo:
    return OUTCOMES[Outcome(outcome)]


# The fixed words a reply prints for an item before the handler's reasons (letters/reply/items.html prints them
# from here, so the decision form can show the same text): {you} is 你 / 你单位 / 你（单位）. A partial
# disclosure continues with the withheld parts, then the reasons. Outcome rows override their family's.
LETTER_OPENINGS: dict[ReplyFamily | Outcome, str] = {
    ReplyFamily.DISCLOSED: "经审查，{you}申请获取的政府信息属于公开范围。",
    ReplyFamily.ALREADY_PUBLIC: "经查，{you}申请获取的政府信息本机关已经主动公开。",
    ReplyFamily.PARTIAL: "经审查，{you}申请获取的政府信息中，",
    ReplyFamily.REFUSED: "经审查，",
    ReplyFamily.SPECIAL_PROCEDURE: "经审查，{you}申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的情形。",
    ReplyFamily.NOT_EXIST: "经本机关检索查找，",
    ReplyFamily.NOT_OURS: "经审查，",
    ReplyFamily.NEED_CREATE: "经审查，本机关不掌握{you}所申请的现成信息，需要对现有政府信息进行加工、分析方能形成。",
    ReplyFamily.UNCLEAR: (
        "本机关已就该项内容向{you}发出补正通知，{you}补正后申请内容仍不明确，本机关无法确定{you}所需的政府信息。"
    ),
    ReplyFamily.REPEAT: "{you}已就相同的政府信息向本机关提出过公开申请，本机关已依法作出答复。",
    Outcome.PETITION: "经审查，该项申请实质上属于信访、投诉、举报事项。",
    Outcome.PUBLICATION: "经审查，{you}要求提供的是公开出版物。",
    Outcome.MASS: "经审查，{you}申请公开政府信息的数量、频次明显超过合理范围。",
    ReplyFamily.NOT_HANDLED: "经审查，{you}的申请系要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请。",
    ReplyFamily.ENDED_NO_SUPPLEMENT: "本机关已向{you}发出补正通知，{you}无正当理由逾期未补正。",
    ReplyFamily.ENDED_FEE_UNPAID: "本机关已向{you}发出收费通知，{you}逾期未按收费通知要求缴纳费用。",
    ReplyFamily.OTHER: "",
}


def letter_opening(outcome: Outcome | str, you: str = "你（单位）") -> str:
    """The fixed text the reply prints for an item with this outcome before the handler's reasons, e.g.
    "经本机关检索查找，" or "经审查，你（单位）申请获取的政府信息属于公开范围。". The decision form shows it beside
    the reasons field, so the handler writes only what follows; `you` is the applicant's address in the letter."""
    outcome = Outcome(outcome)
    text = LETTER_OPENINGS.get(outcome, LETTER_OPENINGS[OUTCOMES[outcome].family])
    return text.format(you=you)


# An opening of the kind the letters print (经审查，/ 经查，/ 经检索，/ 经本机关检索查找，/ 经检索本机关档案，…):
# 经, an optional organ, a verb of examining or searching, an optional generic object, then a comma or colon.
_OPENING = re.compile(
    r"^\s*经(?:本机关|我机关|本局|我局)?(?:认真|依法)?"
    r"(?:审查|审核|核查|核实|复核|研究|调查|检索查找|检索|查找|查询|查阅|查证|查)"
    r"(?:(?:本机关|我机关|本局|我局)(?:的)?(?:相关)?(?:档案资料|档案|文件|资料|记录)?)?"
    r"\s*[，,：:]\s*"
)


def strip_opening(text: str | None) -> str:
    """`text` without the openings it starts with ("经审查，该信息…" → "该信息…"); anything else is kept as typed."""
    text = (text or "").strip()
    while match := _OPENING.match(text):
        text = text[match.end() :]
    return text


_YOU = ("你（单位）", "你单位", "你")


def item_reasons(outcome: Outcome | str, text: str | None, you: str = "你（单位）") -> str:
    """The handler's text as the reply prints it after `letter_opening(outcome, you)`: when the letter's own
    sentence opens with 经…, an opening the text repeats is left out (never "经本机关检索查找，经检索…"), and so
    is a repeat of the whole fixed sentence ("…属于公开范围。经审查，你申请获取的政府信息属于公开范围。")."""
    text = (text or "").strip()
    opening = letter_opening(outcome, you)
    if not opening.startswith("经"):
        return text
    rest = _OPENING.sub("", opening, count=1)  # the fixed sentence after its own opening
    repeats = {rest.replace(you, other) for other in _YOU} if rest else set()
    text = strip_opening(text)
    for form in sorted(repeats, key=len, reverse=True):
        if text.startswith(form):
            text = strip_opening(text[len(form) :])
            break
    return text


def reason_sentence(text: str | None) -> str:
    """A reason printed as a sentence of its own: trailing commas dropped, a full stop added when it has none."""
    text = (text or "").strip().rstrip("，,、 ")
    if text and not text.endswith(("。", "；", ".", "！", "？")):
        text += "。"
    return text


def derive_case_outcome(item_outcomes: Sequence[Outcome | str]) -> Outcome:
    """One request = one outcome (国办公开办函〔2021〕30号 table 3, rules-china §3.3).

    - all items disclosed (disclosed or already public) → granted (or already_public when every item was);
    - any disclosed item together with any item not disclosed, or any partly disclosed item → partial
      ("区分处理的，只计这一情形");
    - nothing disclosed → the outcome whose annual-report row comes first (refusals before "unable to
      provide" before "not processed" before "other"), so the count is stable and reproducible.
    """
    if not item_outcomes:
        raise ValueError("a case outcome needs at least one item outcome")
    outcomes = [Outcome(o) for o in item_outcomes]
    disclosed = [o for o in outcomes if OUTCOMES[o].is_disclosure]
    if Outcome.PARTIAL in outcomes or (disclosed and len(disclosed) < len(outcomes)):
        return Outcome.PARTIAL
    if disclosed:
        return Outcome.ALREADY_PUBLIC if all(o is Outcome.ALREADY_PUBLIC for o in outcomes) else Outcome.GRANTED
    return min(outcomes, key=_PRECEDENCE.__getitem__)


def remedy_for(item_outcomes: Iterable[Outcome | str]) -> tuple[bool, bool]:
    """(ordinary part present, refused part present) for a letter's items.

    A refused part (条例 Arts. 14–16, including the withheld part of a partial disclosure) needs the
    reconsideration-first clause (复议法 Art. 23(1)(4) and para 2); everything else, including the disclosed
    part of a partial disclosure, the ordinary clause. A letter with both carries both, the
    reconsideration-first one naming the refused part (rules-china §2.3 ⚠ mixed replies).
    """
    outcomes = [Outcome(o) for o in item_outcomes]
    has_refused = any(OUTCOMES[o].remedy is RemedyKind.RECONSIDERATION_FIRST for o in outcomes)
    has_ordinary = any(OUTCOMES[o].remedy is RemedyKind.ORDINARY or OUTCOMES[o].is_disclosure for o in outcomes)
    return has_ordinary, has_refused
