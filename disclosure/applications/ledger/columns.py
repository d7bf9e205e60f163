"""The request ledger's columns (依申请公开台账, issue 13 §2) and how one row becomes a checked `LedgerEntry`.

One row per request, Chinese headers. The words of the fixed columns are those the annual report prints: the
applicant categories of table 3's columns, the outcome as table 3 prints its row after the row's number (or the
row key of rules-china §3.3), the remedy results of table 4. Every problem of a row is reported with its column
and a reason in the reader's language; a row with a problem is not written at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from disclosure.accounts.roles import ApplicantCategory
from disclosure.applications.models import RemedyKind, RemedyResult
from disclosure.correspondence import OUTCOMES, Outcome

# (header, key, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("申请编号", "ref", True),
    ("收到日期", "received", True),
    ("申请人类别", "category", True),
    ("申请人", "name", True),
    ("申请内容", "content", True),
    ("答复日期", "replied", False),
    ("办理结果", "outcome", False),
    ("行政复议结果", "recon_result", False),
    ("复议申请日期", "recon_date", False),
    ("诉讼类型", "lit_kind", False),
    ("诉讼结果", "lit_result", False),
    ("起诉日期", "lit_date", False),
)
HEADERS = {key: header for header, key, _required in COLUMNS}
ROW_COLUMN, ERROR_COLUMN = "原行号", "错误原因"  # added by the error file, ignored on import
IGNORED = (ROW_COLUMN, ERROR_COLUMN)
HEADER_ROWS = 5  # the header row is looked for among the first five rows
MAX_REF, MAX_NAME, MAX_CONTENT = 40, 200, 4000

CATEGORIES: dict[str, str] = {
    "自然人": ApplicantCategory.NATURAL_PERSON,
    "商业企业": ApplicantCategory.COMMERCIAL,
    "科研机构": ApplicantCategory.RESEARCH,
    "社会公益组织": ApplicantCategory.SOCIAL_WELFARE,
    "法律服务机构": ApplicantCategory.LEGAL_SERVICE,
    "其他": ApplicantCategory.OTHER,
}

# Table 3's outcome rows as the ledger names them: the row label after its number (国办公开办函〔2021〕30号; the
# report package prints the full labels, `reports.grid.TABLE3_ROWS`, and a test keeps both in step).
OUTCOME_LABELS: dict[str, str] = {
    "granted": "予以公开",
    "partial": "部分公开",
    "deny_secret": "属于国家秘密",
    "deny_law": "其他法律行政法规禁止公开",
    "deny_safety": "危及“三安全一稳定”",
    "deny_third_party": "保护第三方合法权益",
    "deny_internal": "属于三类内部事务信息",
    "deny_process": "属于四类过程性信息",
    "deny_case_file": "属于行政执法案卷",
    "deny_query": "属于行政查询事项",
    "na_not_held": "本机关不掌握相关政府信息",
    "na_need_create": "没有现成信息需要另行制作",
    "na_unclear": "补正后申请内容仍不明确",
    "np_petition": "信访举报投诉类申请",
    "np_repeat": "重复申请",
    "np_publication": "要求提供公开出版物",
    "np_mass": "无正当理由大量反复申请",
    "np_confirm": "要求行政机关确认或重新出具已获取信息",
    "oth_no_supplement": "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "oth_fee_unpaid": "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "oth_other": "其他",
}
# The case outcome a row of table 3 is recorded as: the first outcome of correspondence's table counted there.
ROW_OUTCOMES: dict[str, str] = {}
for _outcome in Outcome:
    ROW_OUTCOMES.setdefault(OUTCOMES[_outcome].report_row, _outcome.value)

REMEDY_RESULTS: dict[str, str] = {
    "结果维持": RemedyResult.UPHELD,
    "结果纠正": RemedyResult.CORRECTED,
    "其他结果": RemedyResult.OTHER,
    "尚未审结": RemedyResult.PENDING,
}
LITIGATION_KINDS: dict[str, str] = {
    "未经复议直接起诉": RemedyKind.LITIGATION_DIRECT,
    "复议后起诉": RemedyKind.LITIGATION_AFTER_RECONSIDERATION,
}
# Drop-down lists of the template.
LISTS: dict[str, list[str]] = {
    "category": list(CATEGORIES),
    "outcome": list(OUTCOME_LABELS.values()),
    "recon_result": list(REMEDY_RESULTS),
    "lit_kind": list(LITIGATION_KINDS),
    "lit_result": list(REMEDY_RESULTS),
}

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.．、])"
)
_NOTE = re.compile(r"[（(][^）)]*[）)]$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "＂": '"'})


def _outcome_key(text: str) -> str:
    """A label in the comparable form: no spaces, no leading number, no trailing note, plain quotes."""
    text = _SPACES.sub("", text).translate(_QUOTES)
    text = _NUMBER.sub("", text)
    return _NOTE.sub("", text) if text != "其他" else text


_OUTCOME_WORDS = {_outcome_key(label): key for key, label in OUTCOME_LABELS.items()} | {k: k for k in OUTCOME_LABELS}


def outcome_row(text: str) -> str | None:
    """The row key of table 3 that `text` names (its label with or without number and note, or the key)."""
    return _OUTCOME_WORDS.get(_outcome_key(text)) or _OUTCOME_WORDS.get(text.strip())


# --- Cell values -------------------------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class CellError(ValueError):
    pass


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def date_of(value) -> dt.date | None:
    """A date cell: an Excel date, or text in any common notation (2025-03-01, 2025/3/1, 2025年3月1日, 20250301)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    if not text:
        return None
    m = _DATE.match(text) or _COMPACT.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise CellError(text)


# --- A checked row -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyEntry:
    kind: str
    result: str
    filed: dt.date


@dataclass(frozen=True)
class LedgerEntry:
    row_no: int
    ref: str
    received: dt.date
    category: str
    name: str
    content: str
    replied: dt.date | None
    outcome_row: str | None
    remedies: tuple[RemedyEntry, ...]

    @property
    def concluded(self) -> bool:
        return self.replied is not None

    @property
    def outcome(self) -> str | None:
        return ROW_OUTCOMES[self.outcome_row] if self.outcome_row else None

    def digest(self) -> str:
        """What the row says, as one hash: the same row imported again is unchanged."""
        parts = [
            self.received.isoformat(),
            self.category,
            self.name,
            self.content,
            self.replied.isoformat() if self.replied else "",
            self.outcome_row or "",
            *(f"{r.kind}:{r.result}:{r.filed.isoformat()}" for r in self.remedies),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class RowChecker:
    """Checks rows one by one against today (no date in the future); `check` returns the entry or the problems
    as (column header, reason)."""

    def __init__(self, today: dt.date):
        self.today = today

    def _date(self, cells: dict, key: str, problems: list) -> dt.date | None:
        try:
            value = date_of(cells.get(key))
        except CellError as exc:
            problems.append(
                (HEADERS[key], _("“%(value)s” is not a date: write it as YYYY-MM-DD.", value=str(exc)[:40]))
            )
            return None
        if value is not None and value > self.today:
            problems.append((HEADERS[key], _("The date %(date)s is in the future.", date=value.isoformat())))
            return None
        return value

    def check(self, row_no: int, cells: dict) -> tuple[LedgerEntry | None, list[tuple[str, str]]]:
        problems: list[tuple[str, str]] = []
        text = {k: text_of(cells.get(k)) for k in HEADERS}
        for header, key, required in COLUMNS:
            if required and not text[key]:
                problems.append((header, _("This column is required.")))
        for key, limit in (("ref", MAX_REF), ("name", MAX_NAME), ("content", MAX_CONTENT)):
            if len(text[key]) > limit:
                problems.append((HEADERS[key], _("At most %(n)d characters.", n=limit)))
        category = CATEGORIES.get(text["category"]) or (
            text["category"] if text["category"] in CATEGORIES.values() else None
        )
        if text["category"] and category is None:
            problems.append(
                (
                    HEADERS["category"],
                    _(
                        "Unknown applicant category “%(value)s”: use one of %(choices)s.",
                        value=text["category"][:40],
                        choices=" / ".join(CATEGORIES),
                    ),
                )
            )
        received = self._date(cells, "received", problems)
        replied = self._date(cells, "replied", problems)
        if received and replied and replied < received:
            problems.append(
                (
                    HEADERS["replied"],
                    _(
                        "The reply (%(reply)s) is dated before the request was received (%(received)s).",
                        reply=replied.isoformat(),
                        received=received.isoformat(),
                    ),
                )
            )
        row = outcome_row(text["outcome"]) if text["outcome"] else None
        if text["outcome"] and row is None:
            problems.append(
                (
                    HEADERS["outcome"],
                    _(
                        "Unknown outcome “%(value)s”: use a row of table 3 of the annual report (e.g. 予以公开, "
                        "部分公开, 属于国家秘密, 重复申请, 其他).",
                        value=text["outcome"][:60],
                    ),
                )
            )
        if text["replied"] and not text["outcome"]:
            problems.append((HEADERS["outcome"], _("A request with a reply date needs its outcome.")))
        if text["outcome"] and not text["replied"]:
            problems.append((HEADERS["replied"], _("A request with an outcome needs its reply date.")))
        remedies = self._remedies(text, cells, received, problems)
        if problems:
            return None, problems
        return (
            LedgerEntry(row_no, text["ref"], received, category, text["name"], text["content"], replied, row, remedies),
            [],
        )

    def _result(self, text: dict, key: str, problems: list) -> str | None:
        value = text[key]
        if value and value not in REMEDY_RESULTS:
            problems.append(
                (
                    HEADERS[key],
                    _(
                        "Unknown result “%(value)s”: use one of %(choices)s.",
                        value=value[:40],
                        choices=" / ".join(REMEDY_RESULTS),
                    ),
                )
            )
            return None
        return REMEDY_RESULTS.get(value)

    def _remedies(self, text: dict, cells: dict, received, problems: list) -> tuple[RemedyEntry, ...]:
        out: list[RemedyEntry] = []
        recon_result = self._result(text, "recon_result", problems)
        recon_date = self._date(cells, "recon_date", problems)
        if text["recon_result"] and not text["recon_date"]:
            problems.append((HEADERS["recon_date"], _("A reconsideration needs the date it was applied for.")))
        if text["recon_date"] and not text["recon_result"]:
            problems.append(
                (HEADERS["recon_result"], _("A reconsideration needs its result (尚未审结 while it is pending)."))
            )
        if recon_result and recon_date:
            out.append(RemedyEntry(RemedyKind.RECONSIDERATION, recon_result, recon_date))
        kind = LITIGATION_KINDS.get(text["lit_kind"])
        if text["lit_kind"] and kind is None:
            problems.append(
                (
                    HEADERS["lit_kind"],
                    _(
                        "Unknown kind of lawsuit “%(value)s”: use one of %(choices)s.",
                        value=text["lit_kind"][:40],
                        choices=" / ".join(LITIGATION_KINDS),
                    ),
                )
            )
        lit_result = self._result(text, "lit_result", problems)
        lit_date = self._date(cells, "lit_date", problems)
        if (text["lit_result"] or text["lit_date"]) and not text["lit_kind"]:
            problems.append((HEADERS["lit_kind"], _("A lawsuit needs its kind (未经复议直接起诉 or 复议后起诉).")))
        if text["lit_kind"] and not text["lit_date"]:
            problems.append((HEADERS["lit_date"], _("A lawsuit needs the date it was filed.")))
        if text["lit_kind"] and not text["lit_result"]:
            problems.append((HEADERS["lit_result"], _("A lawsuit needs its result (尚未审结 while it is pending).")))
        if kind == RemedyKind.LITIGATION_AFTER_RECONSIDERATION and not text["recon_result"]:
            problems.append(
                (HEADERS["lit_kind"], _("A lawsuit after reconsideration needs the reconsideration in this row."))
            )
        if kind == RemedyKind.LITIGATION_AFTER_RECONSIDERATION and recon_date and lit_date and lit_date < recon_date:
            problems.append((HEADERS["lit_date"], _("The lawsuit is dated before the reconsideration it follows.")))
        if kind and lit_result and lit_date:
            out.append(RemedyEntry(kind, lit_result, lit_date))
        if received:
            for r, key in ((r, "recon_date" if r.kind == RemedyKind.RECONSIDERATION else "lit_date") for r in out):
                if r.filed < received:
                    problems.append(
                        (
                            HEADERS[key],
                            _("The date is before the request was received (%(date)s).", date=received.isoformat()),
                        )
                    )
        return tuple(out)
