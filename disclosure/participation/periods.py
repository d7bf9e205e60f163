"""Comment periods, counted as the law counts (proactive-china §1.4, §3): calendar days (日) or working days
(工作日) on the one calendar (`disclosure.workdays`), the start day excluded (民法典 Art. 201), a period of calendar
days ending on a holiday running to the next working day (Art. 203; the kind's `roll_to_working_day`, editable by
administrators). A consultation about documents closely related to market entities runs at least 30 days
(优化营商环境条例 Art. 62).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from disclosure.core.timeutil import CHINA_TZ, as_utc
from disclosure.participation.models import ConsultationKind, PeriodUnit
from disclosure.workdays import add_working_days, is_working_day

MARKET_MINIMUM_DAYS = 30


class Minimum(NamedTuple):
    length: int
    unit: str


def minimum_for(kind: ConsultationKind, *, market_related: bool = False) -> Minimum:
    """The kind's statutory minimum; market-related drafts get at least 30 calendar days."""
    if market_related:
        if kind.unit == PeriodUnit.DAYS.value:
            return Minimum(max(kind.min_period, MARKET_MINIMUM_DAYS), PeriodUnit.DAYS.value)
        return Minimum(MARKET_MINIMUM_DAYS, PeriodUnit.DAYS.value)
    return Minimum(kind.min_period, kind.unit)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def end_date(start: dt.date, length: int, unit: str, *, roll: bool = True) -> dt.date:
    """The last day of a period of `length` units starting on `start` (the start day not counted)."""
    if unit == PeriodUnit.WORKING_DAYS.value:
        return add_working_days(start, length, exclude_start=True).due
    end = start + dt.timedelta(days=length)
    return next_working_day(end) if roll else end


def china_date(moment: dt.datetime) -> dt.date:
    return as_utc(moment).astimezone(CHINA_TZ).date()


def end_instant(closes_on: dt.date) -> dt.datetime:
    """The first instant after the closing day (24:00 Beijing time), in UTC."""
    midnight = dt.datetime.combine(closes_on + dt.timedelta(days=1), dt.time(0, 0), tzinfo=CHINA_TZ)
    return midnight.astimezone(dt.UTC)


def days_left(closes_on: dt.date, today: dt.date) -> int:
    """Calendar days left including today (0 once the closing day is over)."""
    return max(0, (closes_on - today).days + 1)
