"""Provisional holidays computed from 《全国年节及纪念日放假办法》 (rules-china §9.1).

For a year with no official arrangement (no administrator-entered notice, not covered by `chinesecalendar`)
the calendar falls back to the nationwide statutory holidays, which the 办法 fixes by the solar calendar, the
lunar calendar and the solar terms, plus ordinary weekends. Only the yearly State Council notice knows the
make-up working days (调休), so every day computed here is provisional.

The rule sets are data (⚠ best knowledge, rules-china legend): a deployment may replace them through
`app.config["CALENDAR_STATUTORY_RULES"]` with the same structure. Each set applies from its `from_year` until
the next one. Art. 6 of the 办法: a nationwide holiday falling on a Saturday or Sunday is compensated on a
working day; we place the compensation on the first weekdays after the holiday, as the yearly notices do.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

from lunar_python import Lunar

COMPENSATION_SUFFIX = "（补休）"


class Holiday(NamedTuple):
    key: str  # stable identifier, also the msgid suffix for its label
    name: str  # the Chinese name used in notices
    kind: str  # "solar": Gregorian month/day; "lunar": lunar month/day; "term": a solar term (month = term name)
    month: int | str
    day: int
    length: int = 1  # days off
    offset: int = 0  # days from the anchor to the first day off (春节 2025+: New Year's Eve = -1)


class RuleSet(NamedTuple):
    from_year: int
    source: str
    holidays: tuple[Holiday, ...]
    compensate_weekends: bool = True  # Art. 6


NEW_YEAR = Holiday("new_year", "元旦", "solar", 1, 1)
QINGMING = Holiday("qingming", "清明节", "term", "清明", 0)
DRAGON_BOAT = Holiday("dragon_boat", "端午节", "lunar", 5, 5)
MID_AUTUMN = Holiday("mid_autumn", "中秋节", "lunar", 8, 15)

# ⚠ The earlier revisions only matter for dates before chinesecalendar's coverage (2004) and are kept so
# that such dates get a plausible provisional answer instead of an error.
DEFAULT_RULES: tuple[RuleSet, ...] = (
    RuleSet(
        1990,
        "《全国年节及纪念日放假办法》(1949)",
        (
            NEW_YEAR,
            Holiday("spring_festival", "春节", "lunar", 1, 1, 3),
            Holiday("labour_day", "劳动节", "solar", 5, 1, 1),
            Holiday("national_day", "国庆节", "solar", 10, 1, 2),
        ),
    ),
    RuleSet(
        2000,
        "《全国年节及纪念日放假办法》(1999年修订)",
        (
            NEW_YEAR,
            Holiday("spring_festival", "春节", "lunar", 1, 1, 3),
            Holiday("labour_day", "劳动节", "solar", 5, 1, 3),
            Holiday("national_day", "国庆节", "solar", 10, 1, 3),
        ),
    ),
    RuleSet(
        2008,
        "《全国年节及纪念日放假办法》(2007年修订)",
        (
            NEW_YEAR,
            Holiday("spring_festival", "春节", "lunar", 1, 1, 3, -1),
            QINGMING,
            Holiday("labour_day", "劳动节", "solar", 5, 1, 1),
            DRAGON_BOAT,
            MID_AUTUMN,
            Holiday("national_day", "国庆节", "solar", 10, 1, 3),
        ),
    ),
    RuleSet(
        2014,
        "《全国年节及纪念日放假办法》(2013年修订)",
        (
            NEW_YEAR,
            Holiday("spring_festival", "春节", "lunar", 1, 1, 3),
            QINGMING,
            Holiday("labour_day", "劳动节", "solar", 5, 1, 1),
            DRAGON_BOAT,
            MID_AUTUMN,
            Holiday("national_day", "国庆节", "solar", 10, 1, 3),
        ),
    ),
    # The fourth revision of 2024-11-10, in force 2025-01-01 ✅: 13 days in total.
    RuleSet(
        2025,
        "《全国年节及纪念日放假办法》(2024年修订)",
        (
            NEW_YEAR,
            Holiday("spring_festival", "春节", "lunar", 1, 1, 4, -1),
            QINGMING,
            Holiday("labour_day", "劳动节", "solar", 5, 1, 2),
            DRAGON_BOAT,
            MID_AUTUMN,
            Holiday("national_day", "国庆节", "solar", 10, 1, 3),
        ),
    ),
)


def freeze_rules(raw) -> tuple[RuleSet, ...]:
    """Normalise rules given in configuration (lists and dicts) into the hashable structure used as cache key."""
    out = []
    for rs in raw:
        if isinstance(rs, dict):
            rs = RuleSet(
                int(rs["from_year"]),
                str(rs.get("source", "")),
                tuple(Holiday(**h) if isinstance(h, dict) else Holiday(*h) for h in rs["holidays"]),
                bool(rs.get("compensate_weekends", True)),
            )
        elif not isinstance(rs, RuleSet):
            rs = RuleSet(rs[0], rs[1], tuple(Holiday(*h) for h in rs[2]), *rs[3:])
        out.append(rs)
    return tuple(sorted(out, key=lambda r: r.from_year))


def rules_for(year: int, rules: tuple[RuleSet, ...]) -> RuleSet:
    chosen = rules[0]
    for rs in rules:
        if rs.from_year <= year:
            chosen = rs
    return chosen


def _anchor(year: int, h: Holiday) -> dt.date:
    if h.kind == "solar":
        return dt.date(year, int(h.month), h.day)
    if h.kind == "lunar":
        # The lunar month/day in the lunar year that begins in this Gregorian year.
        s = Lunar.fromYmd(year, int(h.month), h.day).getSolar()
        return dt.date(s.getYear(), s.getMonth(), s.getDay())
    if h.kind == "term":
        s = Lunar.fromYmd(year, 1, 1).getJieQiTable()[str(h.month)]
        return dt.date(s.getYear(), s.getMonth(), s.getDay())
    raise ValueError(f"unknown holiday kind {h.kind!r}")


@functools.lru_cache(maxsize=512)
def provisional_holidays(year: int, rules: tuple[RuleSet, ...] = DEFAULT_RULES) -> dict[dt.date, str]:
    """The statutory days off of `year`, date → holiday name (COMPENSATION_SUFFIX marks an Art. 6 compensation day)."""
    rs = rules_for(year, rules)
    days: dict[dt.date, str] = {}
    for h in rs.holidays:
        first = _anchor(year, h) + dt.timedelta(days=h.offset)
        span = [first + dt.timedelta(days=i) for i in range(h.length)]
        for d in span:
            days[d] = h.name
        if not rs.compensate_weekends:
            continue
        owed = sum(1 for d in span if d.weekday() >= 5)
        d = span[-1]
        while owed:
            d += dt.timedelta(days=1)
            if d.weekday() < 5 and d not in days:
                days[d] = h.name + COMPENSATION_SUFFIX
                owed -= 1
    return {d: name for d, name in days.items() if d.year == year}
