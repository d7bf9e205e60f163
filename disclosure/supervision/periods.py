"""The periods the supervision figures are counted over: a month, a quarter, a year or a custom range of days
(issue 14 §1). Dates are Beijing calendar days, both ends included."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# A custom range longer than this is refused: nobody supervises a decade at once, and the drill-down lists and
# the monthly trend would grow without bound.
MAX_CUSTOM_DAYS = 366 * 5
FIRST_YEAR = 2008  # the 条例 took effect on 2008-05-01; nothing is counted before it


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _l("Month"),
    PeriodKind.QUARTER: _l("Quarter"),
    PeriodKind.YEAR: _l("Year"),
    PeriodKind.CUSTOM: _l("Custom range"),
}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: dt.date
    end: dt.date  # included

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """The period in the interface language: 2026年11月 / November 2026, 2026年第四季度 / Q4 2026, …"""
        if self.kind is PeriodKind.MONTH:
            return _("%(year)d-%(month)02d", year=self.start.year, month=self.start.month)
        if self.kind is PeriodKind.QUARTER:
            return _("Q%(quarter)d %(year)d", quarter=(self.start.month - 1) // 3 + 1, year=self.start.year)
        if self.kind is PeriodKind.YEAR:
            return _("Year %(year)d", year=self.start.year)
        return _("%(start)s to %(end)s", start=self.start.isoformat(), end=self.end.isoformat())

    @property
    def zh_label(self) -> str:
        """The period in Chinese, for the standing book's title row and published tables (documents are in
        Chinese whatever the interface language)."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.kind is PeriodKind.YEAR:
            return f"{self.start.year}年度"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"

    def months(self) -> list[tuple[int, int]]:
        """The calendar months the period touches, in order (the trend charts' x axis)."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def as_args(self) -> dict[str, str]:
        """The query-string arguments that name this period (links from the dashboard keep it)."""
        if self.kind is PeriodKind.CUSTOM:
            return {"period": self.kind.value, "from": self.start.isoformat(), "to": self.end.isoformat()}
        args = {"period": self.kind.value, "year": str(self.start.year)}
        if self.kind is PeriodKind.MONTH:
            args["month"] = str(self.start.month)
        if self.kind is PeriodKind.QUARTER:
            args["quarter"] = str((self.start.month - 1) // 3 + 1)
        return args


def month(year: int, number: int) -> Period:
    last = calendar.monthrange(year, number)[1]
    return Period(PeriodKind.MONTH, dt.date(year, number, 1), dt.date(year, number, last))


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(
        PeriodKind.QUARTER, dt.date(year, first, 1), dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    )


def year(number: int) -> Period:
    return Period(PeriodKind.YEAR, dt.date(number, 1, 1), dt.date(number, 12, 31))


def custom(start: dt.date, end: dt.date) -> Period:
    return Period(PeriodKind.CUSTOM, start, end)


class PeriodError(ValueError):
    """Every problem with a period's arguments at once, by field, in the interface language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _int(args: Mapping, name: str, lo: int, hi: int, errors: dict, message) -> int | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not lo <= int(text) <= hi:
        errors[name] = str(message)
        return None
    return int(text)


def _date(args: Mapping, name: str, errors: dict) -> dt.date | None:
    text = (args.get(name) or "").strip()
    if not text:
        errors[name] = _("Enter a date.")
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD.")
        return None
    if day.year < FIRST_YEAR:
        errors[name] = _("Enter a date from %(year)d on.", year=FIRST_YEAR)
        return None
    return day


def parse(args: Mapping, today: dt.date) -> Period:
    """The period named by query-string arguments (`period`, `year`, `month`, `quarter`, `from`, `to`); without
    them, the current year to date's year. Raises PeriodError with every problem, by field."""
    errors: dict[str, str] = {}
    kind_text = (args.get("period") or PeriodKind.YEAR.value).strip()
    try:
        kind = PeriodKind(kind_text)
    except ValueError:
        raise PeriodError({"period": _("Choose a month, a quarter, a year or a custom range.")}) from None
    if kind is PeriodKind.CUSTOM:
        start, end = _date(args, "from", errors), _date(args, "to", errors)
        if start and end and start > end:
            errors["to"] = _("The end of the period comes before its start.")
        elif start and end and (end - start).days >= MAX_CUSTOM_DAYS:
            errors["to"] = _("A custom period may span at most five years.")
        if errors:
            raise PeriodError(errors)
        return custom(start, end)
    y = _int(args, "year", FIRST_YEAR, today.year + 1, errors, _("Choose a year from 2008 to next year."))
    y = y or today.year
    if kind is PeriodKind.MONTH:
        m = _int(args, "month", 1, 12, errors, _("Choose a month from 1 to 12."))
        if errors:
            raise PeriodError(errors)
        return month(y, m or (today.month if y == today.year else 12))
    if kind is PeriodKind.QUARTER:
        q = _int(args, "quarter", 1, 4, errors, _("Choose a quarter from 1 to 4."))
        if errors:
            raise PeriodError(errors)
        return quarter(y, q or ((today.month - 1) // 3 + 1 if y == today.year else 4))
    if errors:
        raise PeriodError(errors)
    return year(y)
