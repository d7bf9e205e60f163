"""The rules of column-update monitoring (栏目更新), as data: the update classes, each column's default class and
maximum gap, which columns apply to which agency, and the site-level thresholds of 国办秘函〔2019〕19号
(proactive-china §1.7, §2.8; issue 14 §1).

A column is a statutory category of the catalogue (`disclosure.catalog.classification.CATEGORIES`: 条例 Art. 20
items (1)–(15), Art. 21). Its update class says how often it must be updated (浙江 2016 circular §3(1): 实时, 每日,
每旬, 每月, 每季, 每年; plus 每周, 不定期 and 静态) and gives its maximum gap in days; a column may carry its own
gap instead (the 19号 checks: 动态/要闻 columns within 2 weeks, 通知公告/政策文件 first-level columns within 6
months). A static column (机构职能) and an irregular one without a gap are never late, but may be blank.

19号's single-veto part is confirmed only from local copies (☑ local, proactive-china §1.7 and §8 item 6), and the
mapping of statutory categories onto its column kinds is ours: every default here is data that a system
administrator changes (`ColumnDefault`, `ColumnThreshold`), and a supervisor overrides per agency
(`ColumnSetting`). `GUESSES` names the defaults that no source fixes.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

# The short words of these pages (classes, statuses) take the context "columns": other packages translate "Overdue"
# or "Monthly" their way. Each is a literal lazy_pgettext call, as the message extractor finds only those.


class UpdateClass(enum.StrEnum):
    REALTIME = "realtime"  # 实时
    DAILY = "daily"  # 每日
    WEEKLY = "weekly"  # 每周
    TEN_DAYS = "ten_days"  # 每旬
    MONTHLY = "monthly"  # 每月
    QUARTERLY = "quarterly"  # 每季
    YEARLY = "yearly"  # 每年
    IRREGULAR = "irregular"  # 不定期: when there is something to publish
    STATIC = "static"  # 静态: kept current, never due (机构职能)


@dataclass(frozen=True)
class ClassInfo:
    label: object  # the interface's words
    zh: str  # the class as Chinese documents name it
    gap_days: int | None  # the longest interval between two updates; None: never due by its class


UPDATE_CLASSES: dict[UpdateClass, ClassInfo] = {
    UpdateClass.REALTIME: ClassInfo(lazy_pgettext("columns", "Real time"), "实时", 1),
    UpdateClass.DAILY: ClassInfo(lazy_pgettext("columns", "Daily"), "每日", 1),
    UpdateClass.WEEKLY: ClassInfo(lazy_pgettext("columns", "Weekly"), "每周", 7),
    UpdateClass.TEN_DAYS: ClassInfo(lazy_pgettext("columns", "Every ten days"), "每旬", 10),
    UpdateClass.MONTHLY: ClassInfo(lazy_pgettext("columns", "Monthly"), "每月", 31),
    UpdateClass.QUARTERLY: ClassInfo(lazy_pgettext("columns", "Quarterly"), "每季", 92),
    UpdateClass.YEARLY: ClassInfo(lazy_pgettext("columns", "Yearly"), "每年", 366),
    UpdateClass.IRREGULAR: ClassInfo(lazy_pgettext("columns", "Irregular"), "不定期", None),
    UpdateClass.STATIC: ClassInfo(lazy_pgettext("columns", "Static"), "静态", None),
}

# 19号: 动态/要闻 columns not updated in the last 2 weeks, 通知公告/政策文件 first-level columns in the last 6 months.
NEWS_GAP_DAYS = 14
NOTICE_GAP_DAYS = 183
MAX_GAP_DAYS = 3660  # ten years: a longer gap is a typing mistake


@dataclass(frozen=True)
class ColumnRule:
    """A column's update class and its maximum gap (None: the class's gap)."""

    update_class: UpdateClass
    max_gap_days: int | None = None

    @functools.cached_property
    def gap_days(self) -> int | None:
        """The effective maximum gap: the column's own, else its class's; never one for a static column (worked
        out once per rule: the monitor asks for it per agency and column, thousands of times a page)."""
        if self.update_class is UpdateClass.STATIC:
            return None
        return self.max_gap_days if self.max_gap_days is not None else UPDATE_CLASSES[self.update_class].gap_days


# The deployment's defaults per statutory category (a system administrator changes them: `ColumnDefault`).
DEFAULTS: dict[str, ColumnRule] = {
    "art20_1": ColumnRule(UpdateClass.IRREGULAR, NOTICE_GAP_DAYS),  # 政策文件 (19号)
    "art20_2": ColumnRule(UpdateClass.STATIC),  # 机构职能: kept current, not periodic
    "art20_3": ColumnRule(UpdateClass.YEARLY),  # plans: the yearly plans and work points
    "art20_4": ColumnRule(UpdateClass.QUARTERLY),  # statistics
    "art20_5": ColumnRule(UpdateClass.IRREGULAR, NOTICE_GAP_DAYS),  # licensing: notices and guides (通知公告-like)
    "art20_6": ColumnRule(UpdateClass.IRREGULAR, NOTICE_GAP_DAYS),  # penalties: notices (通知公告-like)
    "art20_7": ColumnRule(UpdateClass.YEARLY),  # budgets and final accounts, every year (预算法 Art. 14)
    "art20_8": ColumnRule(UpdateClass.IRREGULAR),  # fee items change when they change
    "art20_9": ColumnRule(UpdateClass.QUARTERLY),  # procurement
    "art20_10": ColumnRule(UpdateClass.QUARTERLY),  # major projects' approval and progress
    "art20_11": ColumnRule(UpdateClass.REALTIME, NEWS_GAP_DAYS),  # 民生 areas, updated as news (动态-like, 19号)
    "art20_12": ColumnRule(UpdateClass.IRREGULAR),  # emergencies happen when they happen
    "art20_13": ColumnRule(UpdateClass.QUARTERLY),  # inspection rounds
    "art20_14": ColumnRule(UpdateClass.YEARLY),  # the yearly recruitment
    "art20_15": ColumnRule(UpdateClass.IRREGULAR, NOTICE_GAP_DAYS),  # other information: 通知公告 (19号)
    "art21_city": ColumnRule(UpdateClass.MONTHLY),
    "art21_township": ColumnRule(UpdateClass.MONTHLY),
}

# The defaults no source fixes (the 19号 gaps are ☑ local; which category is a 动态 or a 通知公告 column is ours).
GUESSES = frozenset(
    {
        "art20_3",
        "art20_4",
        "art20_5",
        "art20_6",
        "art20_8",
        "art20_9",
        "art20_10",
        "art20_11",
        "art20_12",
        "art20_13",
        "art20_14",
        "art20_15",
        "art21_city",
        "art21_township",
    }
)

# 条例 Art. 21: city and county governments and their departments publish the Art. 21 city items, townships (乡、
# 镇人民政府, and 街道 as their like) the township items. An agency is a township by its name or its division code
# (GB/T 2260 extended to 12 digits: digits 7–9 name the township).
TOWNSHIP_SUFFIXES = ("乡人民政府", "镇人民政府", "街道办事处")


def is_township(agency) -> bool:
    code = (agency.division_code or "").strip()
    if len(code) >= 9 and code[6:9].isdigit() and code[6:9] != "000":
        return True
    return (agency.full_name or "").endswith(TOWNSHIP_SUFFIXES)


def applies_by_default(category: str, agency) -> bool:
    """Whether a column applies to an agency unless its supervisor says otherwise: the Art. 21 items by the
    agency's level, every Art. 20 item to every agency."""
    if category == "art21_township":
        return is_township(agency)
    if category == "art21_city":
        return not is_township(agency)
    return True


class Threshold(enum.StrEnum):
    """19号's site-level single-veto (单项否决) checks (proactive-china §1.7, §2.8) and the monitor's own limits."""

    OVERDUE_COLUMNS = "overdue_columns"  # ≥ 5 columns not updated within their gap
    LONG_STALE_COLUMNS = "long_stale_columns"  # ≥ 10 columns that should be updated and have not been for long
    BLANK_COLUMNS = "blank_columns"  # ≥ 5 blank columns
    QUIET_DAYS = "quiet_days"  # 首页不更新: no update at all in 2 weeks (more days than this)
    LONG_STALE_DAYS = "long_stale_days"  # "for a long time": more days than this (and than the column's gap)
    WARNING_PERCENT = "warning_percent"  # a column is due soon past this share of its gap


@dataclass(frozen=True)
class ThresholdInfo:
    label: object
    default: int
    low: int
    high: int
    guess: bool  # no source fixes the value


THRESHOLDS: dict[Threshold, ThresholdInfo] = {
    Threshold.OVERDUE_COLUMNS: ThresholdInfo(_l("Overdue columns that fail the site"), 5, 1, 1000, False),
    Threshold.LONG_STALE_COLUMNS: ThresholdInfo(_l("Long-stale columns that fail the site"), 10, 1, 1000, False),
    Threshold.BLANK_COLUMNS: ThresholdInfo(_l("Blank columns that fail the site"), 5, 1, 1000, False),
    Threshold.QUIET_DAYS: ThresholdInfo(_l("Days without any update that fail the site"), 14, 1, 366, False),
    Threshold.LONG_STALE_DAYS: ThresholdInfo(_l("Days after which a column is long stale"), 365, 1, MAX_GAP_DAYS, True),
    Threshold.WARNING_PERCENT: ThresholdInfo(
        _l("Share of the gap after which a column is due soon (%)"), 80, 1, 99, True
    ),
}


class Status(enum.StrEnum):
    """A column's state on a day."""

    OK = "ok"  # updated within its gap (or never due: static, irregular)
    WARNING = "warning"  # past WARNING_PERCENT of its gap, not yet over
    OVERDUE = "overdue"  # not updated within its gap
    BLANK = "blank"  # no public entry ever
    NOT_APPLICABLE = "not_applicable"  # the column does not apply to this agency


STATUS_LABELS = {
    Status.OK: lazy_pgettext("columns", "Up to date"),
    Status.WARNING: lazy_pgettext("columns", "Due soon"),
    Status.OVERDUE: lazy_pgettext("columns", "Overdue"),
    Status.BLANK: lazy_pgettext("columns", "Blank"),
    Status.NOT_APPLICABLE: lazy_pgettext("columns", "Does not apply"),
}


class Flag(enum.StrEnum):
    """A single-veto check an agency's site fails (19号)."""

    OVERDUE = "overdue"
    LONG_STALE = "long_stale"
    BLANK = "blank"
    QUIET = "quiet"


FLAG_LABELS = {
    Flag.OVERDUE: _l("Too many columns not updated within their gap"),
    Flag.LONG_STALE: _l("Too many columns not updated for a long time"),
    Flag.BLANK: _l("Too many blank columns"),
    Flag.QUIET: _l("No update at all within the last days"),
}
