"""The one working-day calendar every statutory deadline is computed with (rules-china §9).

Sources, strongest first:
1. days an administrator fixed (`CalendarOverride`, usually from a yearly State Council notice);
2. `chinesecalendar` for the years it covers (2004–2026 in 1.11.0; its tables are never patched);
3. for a year with neither an entered notice nor library data: the statutory holidays of
   《全国年节及纪念日放假办法》 plus ordinary weekends, flagged *provisional* (see `statutory.py`).
A year with an entered notice but no library data is weekends plus the notice's days.

Counting (rules-china §9.4): a period "自收到申请之日起20个工作日" starts on the following day (民法典 Art. 201),
so the receipt day is excluded unless `CALENDAR_EXCLUDE_START_DAY` says otherwise; days inside a pause (条例
Art. 33 consultations, both ends included) do not count. A deadline that depends on any provisional day is
provisional.

Speed: the year tables are built once per process into flat arrays (working flag, running counts), so each
deadline is two array look-ups and a bisection. The cache is dropped when this process changes the calendar and
re-validated against a token row at most every `CALENDAR_CACHE_CHECK_SECONDS` (default 5, 0 under testing), so
other processes see an administrator's change within seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
import uuid
from array import array
from collections.abc import Iterable
from itertools import accumulate
from typing import NamedTuple

import chinese_calendar
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from disclosure.core import signals
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.workdays import statutory
from disclosure.workdays.models import CalendarNotice, CalendarOverride, CalendarState

FIRST_YEAR = 1990
LAST_YEAR = 2100
_ONE_DAY = dt.timedelta(days=1)


class Deadline(NamedTuple):
    due: dt.date
    provisional: bool


class Source(NamedTuple):
    """Where a day's status comes from. kind: "override" | "notice" | "chinesecalendar" | "provisional";
    detail: the notice reference or the holiday's name ("" for an ordinary day)."""

    kind: str
    detail: str


class DayInfo(NamedTuple):
    is_working: bool
    provisional: bool
    source: Source


class YearStatus(NamedTuple):
    year: int
    official: bool
    kind: str  # "notice" | "chinesecalendar" | "provisional"


class CalendarRangeError(DomainError):
    """A date the calendar refuses to answer for, rather than guess."""


def _range_error(what) -> CalendarRangeError:
    return CalendarRangeError(
        _l(
            "The working-day calendar covers the years %(first)s to %(last)s; %(date)s is outside them.",
            first=FIRST_YEAR,
            last=LAST_YEAR,
            date=str(what),
        )
    )


def check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise _range_error(year)
    return year


# --------------------------------------------------------------------------------------------------------------
# Year layers (pure, cached per process)

_CC_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}
_CC_YEARS = frozenset(d.year for d in chinese_calendar.holidays)


def library_covers(year: int) -> bool:
    return year in _CC_YEARS


@functools.lru_cache(maxsize=256)
def _year_layer(year: int, kind: str, rules: tuple) -> tuple[bytes, dict[dt.date, str]]:
    """Working flags of every day of `year` (index 0 = 1 January) and the named days off or make-up days."""
    first = dt.date(year, 1, 1)
    ndays = (dt.date(year + 1, 1, 1) - first).days
    names: dict[dt.date, str] = {}
    if kind == "chinesecalendar":
        for table in (chinese_calendar.holidays, chinese_calendar.workdays):
            for d, name in table.items():
                if d.year == year:
                    names[d] = _CC_NAMES.get(name, name)
    elif kind == "provisional":
        names = dict(statutory.provisional_holidays(year, rules))
    flags = bytearray(ndays)
    for i in range(ndays):
        d = first + dt.timedelta(days=i)
        if kind == "chinesecalendar":
            working = d in chinese_calendar.workdays or (d.weekday() < 5 and d not in chinese_calendar.holidays)
        else:
            working = d.weekday() < 5 and d not in names
        flags[i] = working
    return bytes(flags), names


# --------------------------------------------------------------------------------------------------------------
# The table: flat arrays over a span of years


class _Override(NamedTuple):
    is_working: bool
    source: str
    note: str


class _Table:
    def __init__(self, y0: int, y1: int, overrides: dict[dt.date, _Override], notices: dict[int, str], rules):
        self.y0, self.y1 = y0, y1
        self.base = dt.date(y0, 1, 1).toordinal()
        self.overrides = overrides
        self.notices = notices
        self.rules = rules
        self.kinds = {y: self._kind(y) for y in range(y0, y1 + 1)}
        working = bytearray()
        provisional = bytearray()
        for y in range(y0, y1 + 1):
            flags, _ = _year_layer(y, self.kinds[y], rules)
            working += flags
            provisional += (b"\x01" if self.kinds[y] == "provisional" else b"\x00") * len(flags)
        for d, ov in overrides.items():
            if y0 <= d.year <= y1:
                i = d.toordinal() - self.base
                working[i] = ov.is_working
                provisional[i] = 0
        self.working = working
        self.wd_cum = array("l", accumulate(working, initial=0))  # wd_cum[i]: working days with index < i
        self.prov_cum = array("l", accumulate(provisional, initial=0))
        self.wd_list = array("l", (i for i, w in enumerate(working) if w))

    def _kind(self, year: int) -> str:
        if library_covers(year):
            return "chinesecalendar"
        if year in self.notices:
            return "notice"
        return "provisional"

    def covers(self, y0: int, y1: int) -> bool:
        return self.y0 <= y0 and y1 <= self.y1

    def index(self, d: dt.date) -> int:
        return d.toordinal() - self.base

    def day(self, i: int) -> dt.date:
        return dt.date.fromordinal(self.base + i)

    def count(self, lo: int, hi: int) -> int:
        """Working days with index in [lo, hi]."""
        if hi < lo:
            return 0
        return self.wd_cum[hi + 1] - self.wd_cum[lo]

    def any_provisional(self, lo: int, hi: int) -> bool:
        return hi >= lo and self.prov_cum[hi + 1] - self.prov_cum[lo] > 0

    def info(self, d: dt.date) -> DayInfo:
        ov = self.overrides.get(d)
        if ov is not None:
            return DayInfo(ov.is_working, False, Source("override", ov.source))
        kind = self.kinds[d.year]
        flags, names = _year_layer(d.year, kind, self.rules)
        working = bool(flags[d.timetuple().tm_yday - 1])
        if kind == "notice":
            return DayInfo(working, False, Source("notice", self.notices[d.year]))
        return DayInfo(working, kind == "provisional", Source(kind, names.get(d, "")))


# --------------------------------------------------------------------------------------------------------------
# The cache: one per application (and one without a database for code running outside an app)


class _Holder:
    def __init__(self):
        self.table: _Table | None = None
        self.token: str | None = None
        self.checked_at = float("-inf")
        self.changing = 0  # transactions in progress that changed the calendar (see mark_changed)

    def invalidate(self) -> None:
        self.table = None
        self.token = None
        self.checked_at = float("-inf")


_STANDALONE = _Holder()
_DIRTY_KEY = "workdays_dirty"  # session.info: holders to drop when the transaction ends
_LOCAL_KEY = "workdays_table"  # session.info: the transaction's private table
_CHANGING_LOCK = threading.Lock()


def _holder() -> tuple[_Holder, bool]:
    if not has_app_context():
        return _STANDALONE, False
    ext = current_app.extensions
    holder = ext.get("workdays_calendar")
    if holder is None:
        holder = ext["workdays_calendar"] = _Holder()
    return holder, True


def statutory_rules() -> tuple:
    if has_app_context() and current_app.config.get("CALENDAR_STATUTORY_RULES"):
        return statutory.freeze_rules(current_app.config["CALENDAR_STATUTORY_RULES"])
    return statutory.DEFAULT_RULES


def _load_token() -> str:
    return db.session.execute(db.select(CalendarState.token).where(CalendarState.id == 1)).scalar() or ""


def _load_data() -> tuple[dict[dt.date, _Override], dict[int, str]]:
    rows = db.session.execute(
        db.select(CalendarOverride.day, CalendarOverride.is_working, CalendarOverride.source, CalendarOverride.note)
    ).all()
    notices = db.session.execute(db.select(CalendarNotice.year, CalendarNotice.reference)).all()
    return {r.day: _Override(r.is_working, r.source, r.note) for r in rows}, {y: ref for y, ref in notices}


def _span(y0: int, y1: int, table: _Table | None) -> tuple[int, int]:
    """The years to build: what is asked, what was built before (callers keep asking about the same years) and,
    for a first build, a few years around today."""
    if table is not None:
        y0, y1 = min(y0, table.y0), max(y1, table.y1)
    else:
        this_year = today_china().year
        y0, y1 = min(y0, this_year - 3), max(y1, this_year + 2)
    return max(y0, FIRST_YEAR), min(y1, LAST_YEAR)


def _table(y0: int, y1: int) -> _Table:
    """A table covering at least years y0..y1 (clamped to the supported range), fresh enough."""
    holder, with_db = _holder()
    if not with_db:
        if holder.table is None or not holder.table.covers(y0, y1):
            holder.table = _Table(*_span(y0, y1, holder.table), {}, {}, statutory_rules())
        return holder.table
    info = db.session.info if holder.changing else None
    if info and info.get(_DIRTY_KEY):
        # This transaction changed the calendar: its callbacks need the new days, other threads must not see
        # them before the commit, so the table is private to the transaction.
        local = info.get(_LOCAL_KEY)
        if local is None or not local.covers(y0, y1):
            local = info[_LOCAL_KEY] = _Table(*_span(y0, y1, local), *_load_data(), statutory_rules())
        return local
    interval = current_app.config.get("CALENDAR_CACHE_CHECK_SECONDS", 0 if current_app.testing else 5)
    now = time.monotonic()
    if holder.table is None or now - holder.checked_at >= interval:
        token = _load_token()
        holder.checked_at = now
        if token != holder.token:
            holder.table = None
            holder.token = token
    table = holder.table
    if table is None or not table.covers(y0, y1):
        table = holder.table = _Table(*_span(y0, y1, table), *_load_data(), statutory_rules())
    return table


def mark_changed() -> None:
    """Record a calendar change in the current transaction: a new token tells other processes to reload; this
    transaction computes with a private table until it ends, and then this process's cache is dropped."""
    state = db.session.get(CalendarState, 1)
    token = uuid.uuid4().hex
    if state is None:
        db.session.add(CalendarState(id=1, token=token))
    else:
        state.token = token
    db.session.flush()
    holder, _ = _holder()
    info = db.session.info
    dirty = info.setdefault(_DIRTY_KEY, [])
    if holder not in dirty:
        dirty.append(holder)
        with _CHANGING_LOCK:
            holder.changing += 1
    info.pop(_LOCAL_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _drop_cache_after_transaction(session, transaction):
    """Commit, rollback or close: the private table goes, and a committed change reaches the shared cache."""
    if transaction.parent is not None:  # a savepoint or subtransaction: the transaction goes on
        return
    session.info.pop(_LOCAL_KEY, None)
    for holder in session.info.pop(_DIRTY_KEY, ()):
        with _CHANGING_LOCK:
            holder.changing -= 1
        holder.invalidate()


# --------------------------------------------------------------------------------------------------------------
# Public API


def check_date(d: dt.date) -> dt.date:
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise TypeError(f"a datetime.date is required, got {type(d).__name__}")
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise _range_error(d.isoformat())
    return d


def _merged_pauses(pauses: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    spans = []
    for start, end in pauses:
        check_date(start)
        check_date(end)
        if end < start:
            raise ValueError(f"pause ends ({end}) before it starts ({start})")
        spans.append((start, end))
    spans.sort()
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _exclude_start_default() -> bool:
    if has_app_context():
        return bool(current_app.config.get("CALENDAR_EXCLUDE_START_DAY", True))
    return True


def add_working_days(
    start: dt.date,
    n: int,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    *,
    exclude_start: bool | None = None,
) -> Deadline:
    """The `n`-th working day after `start` (条例 Arts. 24, 30, 33; 民法典 Art. 201: the receipt day is not
    counted unless configured otherwise). Days inside any pause, both ends included, do not count (条例
    Art. 33). `n == 0` gives `start` itself."""
    check_date(start)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"the number of working days must be a non-negative integer, got {n!r}")
    if exclude_start is None:
        exclude_start = _exclude_start_default()
    merged = _merged_pauses(pauses)
    paused_days = sum((b - a).days + 1 for a, b in merged)
    # A year has at least ~240 working days; reach far enough, and widen below if that was not enough.
    y1 = min(LAST_YEAR, start.year + 1 + (n + paused_days) // 200)
    while True:
        table = _table(start.year, y1)
        due = _nth_working_day(table, start, n, merged, exclude_start)
        if due is not None:
            return due
        if table.y1 >= LAST_YEAR:
            raise _range_error(f"{start.isoformat()} + {n}")
        y1 = min(LAST_YEAR, table.y1 + 5)


def add_working_days_many(
    starts: Iterable[dt.date], n: int, *, exclude_start: bool | None = None
) -> dict[dt.date, Deadline]:
    """`add_working_days(start, n)` for many start dates at once (no pauses), by start date: the table is fetched
    once for all of them (one freshness check instead of one per date), for an import or a sweep that dates
    thousands of rows."""
    days = sorted({check_date(d) for d in starts})
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"the number of working days must be a non-negative integer, got {n!r}")
    if not days:
        return {}
    if exclude_start is None:
        exclude_start = _exclude_start_default()
    y1 = min(LAST_YEAR, days[-1].year + 1 + n // 200)
    while True:
        table = _table(days[0].year, y1)
        out = {}
        for d in days:
            due = _nth_working_day(table, d, n, (), exclude_start)
            if due is None:
                break
            out[d] = due
        else:
            return out
        if table.y1 >= LAST_YEAR:
            raise _range_error(f"{days[-1].isoformat()} + {n}")
        y1 = min(LAST_YEAR, table.y1 + 5)


def _nth_working_day(table: _Table, start, n, merged, exclude_start) -> Deadline | None:
    cursor = table.index(start) - (0 if exclude_start else 1)  # days after the cursor count
    if n == 0:
        return Deadline(start, table.any_provisional(table.index(start), table.index(start)))
    first = cursor + 1
    size = len(table.working)
    remaining = n
    for a, b in merged:
        ia, ib = table.index(a), table.index(b)
        if ib <= cursor:
            continue
        if ia > size:  # the pause starts beyond the table: the answer is inside it, or the table is widened
            break
        available = table.count(cursor + 1, ia - 1)
        if available >= remaining:
            break
        remaining -= available
        cursor = ib
        if cursor >= size - 1:
            return None
    k = table.wd_cum[cursor + 1] + remaining - 1
    if k >= len(table.wd_list):
        return None
    i = table.wd_list[k]
    return Deadline(table.day(i), table.any_provisional(max(first, 0), i))


def working_days_between(start: dt.date, end: dt.date, pauses: Iterable[tuple[dt.date, dt.date]] = ()) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`), days
    inside pauses not counted. Used for elapsed and remaining time on a case (条例 Art. 33)."""
    check_date(start)
    check_date(end)
    if end < start:
        return -working_days_between(end, start, pauses)
    merged = _merged_pauses(pauses)
    table = _table(start.year, end.year)
    lo, hi = table.index(start) + 1, table.index(end)
    total = table.count(lo, hi)
    for a, b in merged:
        total -= table.count(max(lo, table.index(a)), min(hi, table.index(b)))
    return total


def is_working_day(d: dt.date) -> bool:
    check_date(d)
    table = _table(d.year, d.year)
    return bool(table.working[table.index(d)])


def day_info(d: dt.date) -> DayInfo:
    """Whether `d` is a working day, whether that is provisional, and the source (notice or holiday name)."""
    check_date(d)
    return _table(d.year, d.year).info(d)


def year_status(year: int) -> YearStatus:
    check_year(year)
    kind = _table(year, year).kinds[year]
    return YearStatus(year, kind != "provisional", kind)


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The provisional days off of `year` by 《全国年节及纪念日放假办法》 (what a notice is checked against)."""
    check_year(year)
    return statutory.provisional_holidays(year, statutory_rules())


def year_days(year: int) -> list[tuple[dt.date, DayInfo]]:
    """Every day of `year` that is not an ordinary weekday or weekend: holidays (also those on a weekend),
    make-up working days and overrides, with their source (for the administrators' calendar page)."""
    check_year(year)
    table = _table(year, year)
    out = []
    d = dt.date(year, 1, 1)
    while d.year == year:
        info = table.info(d)
        ordinary = info.is_working == (d.weekday() < 5)
        # a holiday on a weekend is listed too: it explains the compensation days
        named = info.source.kind in ("chinesecalendar", "provisional") and info.source.detail
        if not ordinary or named or info.source.kind == "override":
            out.append((d, info))
        d += _ONE_DAY
    return out


class Calculation(NamedTuple):
    received: dt.date
    days: int
    extension: int
    original: Deadline
    final: Deadline
    counted: int  # working days counted from receipt to the final due date


def calculate(
    received: dt.date, days: int = 20, extension: int = 0, pauses: Iterable[tuple[dt.date, dt.date]] = ()
) -> Calculation:
    """The reply deadline (条例 Art. 33: 20 working days, extendable once by at most 20 with approval) for the
    calculator page and the `deadline` command; the extension counts from the original due date."""
    pauses = list(pauses)
    original = add_working_days(received, days, pauses)
    final = original
    if extension:
        ext = add_working_days(original.due, extension, pauses, exclude_start=True)
        final = Deadline(ext.due, original.provisional or ext.provisional)
    return Calculation(received, days, extension, original, final, days + extension)


def timeline(start: dt.date, end: dt.date, pauses: Iterable[tuple[dt.date, dt.date]] = ()):
    """Each day after `start` up to `end`: (date, DayInfo, paused, running count of working days), for showing
    how a deadline was counted."""
    merged = _merged_pauses(pauses)
    table = _table(start.year, end.year)
    count = 0
    d = start + _ONE_DAY
    while d <= end:
        info = table.info(d)
        paused = any(a <= d <= b for a, b in merged)
        if info.is_working and not paused:
            count += 1
        yield d, info, paused, count
        d += _ONE_DAY


# --------------------------------------------------------------------------------------------------------------
# Recompute callbacks


def run_recompute(years: Iterable[int]) -> dict[str, object]:
    """Announce that the calendar of `years` changed (`signals.calendar_changed`): every domain recomputes its
    open deadlines inside this transaction. Returns what each receiver reported, by its name (for the audit)."""
    results: dict[str, object] = {}
    for receiver, result in signals.calendar_changed.send(frozenset(years)):
        key = f"{getattr(receiver, '__module__', '')}.{getattr(receiver, '__qualname__', repr(receiver))}"
        results[key] = result if isinstance(result, int | str | None) else str(result)
    return results
