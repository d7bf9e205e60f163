"""The working-day calendar against the real 2025 and 2026 schedules (rules-china §9.2–9.4)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from disclosure.workdays import calendar
from disclosure.workdays.calendar import Deadline, add_working_days, day_info, is_working_day, working_days_between

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # rules-china §9.3 examples (receipt day excluded)
        ("2026-02-10", 7, "2026-02-26"),
        ("2026-02-10", 15, "2026-03-09"),
        ("2026-02-10", 20, "2026-03-16"),
        ("2026-09-28", 7, "2026-10-13"),
        ("2026-09-28", 15, "2026-10-23"),
        ("2026-09-28", 20, "2026-10-30"),
        # 2025: 春节 1/28–2/4 with make-up Sundays 1/26 and 2/8; 国庆/中秋 10/1–10/8 with 9/28 and 10/11
        ("2025-01-20", 5, "2025-01-26"),
        ("2025-01-24", 3, "2025-02-05"),
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-29", 2, "2025-10-09"),
        ("2025-10-09", 2, "2025-10-11"),
        # across the years: 2025-12-31 to 2026-01-05 (元旦 1/1–1/3, make-up Sunday 1/4)
        ("2025-12-30", 2, "2026-01-04"),
        ("2026-12-30", 1, "2026-12-31"),
    ],
)
def test_known_deadlines(app_ctx, received, days, due):
    assert add_working_days(D(received), days) == Deadline(D(due), False)


@pytest.mark.parametrize(("received", "due"), [("2026-02-10", "2026-04-14"), ("2026-09-28", "2026-11-27")])
def test_extension_counts_from_the_original_due_date(app_ctx, received, due):
    result = calendar.calculate(D(received), 20, 20)
    assert result.final == Deadline(D(due), False)
    assert result.counted == 40


def test_make_up_days_and_holidays_2026(app_ctx):
    for d in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"):
        assert is_working_day(D(d)), d
        info = day_info(D(d))
        assert info.source.kind == "chinesecalendar" and not info.provisional
    for d in (
        "2026-01-01",
        "2026-02-15",
        "2026-02-23",
        "2026-04-06",
        "2026-05-05",
        "2026-06-19",
        "2026-09-25",
        "2026-10-07",
    ):
        assert not is_working_day(D(d)), d
    assert day_info(D("2026-02-17")).source.detail == "春节"


def test_whole_years_agree_with_the_library(app_ctx):
    for year, expected in ((2025, 248), (2026, 248)):
        start = dt.date(year, 1, 1)
        counted = sum(is_working_day(start + dt.timedelta(days=i)) for i in range(365))
        assert counted == expected == len(chinese_calendar.get_workdays(start, dt.date(year, 12, 31)))
        assert working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)) == expected


def test_receipt_day_setting(app, app_ctx):
    # 2026-02-10 is a Tuesday and a working day: counting it moves the due date one working day earlier.
    assert add_working_days(D("2026-02-10"), 20, exclude_start=False).due == D("2026-03-13")
    app.config["CALENDAR_EXCLUDE_START_DAY"] = False
    try:
        assert add_working_days(D("2026-02-10"), 20).due == D("2026-03-13")
        # a receipt on a holiday counts for nothing either way
        assert add_working_days(D("2026-02-15"), 1).due == D("2026-02-24")
    finally:
        app.config["CALENDAR_EXCLUDE_START_DAY"] = True
    assert add_working_days(D("2026-02-15"), 1).due == D("2026-02-24")


def test_pauses(app_ctx):
    base = add_working_days(D("2026-02-10"), 20).due
    # a pause of one working week (2026-03-02..03-06) moves the due date by 5 working days
    assert add_working_days(D("2026-02-10"), 20, [(D("2026-03-02"), D("2026-03-06"))]).due == D("2026-03-23")
    # a pause over days off only changes nothing
    assert add_working_days(D("2026-02-10"), 20, [(D("2026-02-15"), D("2026-02-23"))]).due == base
    # overlapping and unordered pauses are merged; a one-day pause on the due date pushes it on
    pauses = [
        (D("2026-03-04"), D("2026-03-06")),
        (D("2026-03-02"), D("2026-03-05")),
        (D("2026-03-23"), D("2026-03-23")),
    ]
    assert add_working_days(D("2026-02-10"), 20, pauses).due == D("2026-03-24")
    # a pause that began before receipt only counts from receipt on
    assert add_working_days(D("2026-02-10"), 20, [(D("2026-02-01"), D("2026-02-11"))]).due == D("2026-03-17")
    # a pause after the due date is irrelevant
    assert add_working_days(D("2026-02-10"), 20, [(D("2026-05-01"), D("2026-06-01"))]).due == base
    # elapsed working days with the same pauses
    assert working_days_between(D("2026-02-10"), D("2026-03-23"), [(D("2026-03-02"), D("2026-03-06"))]) == 20
    assert working_days_between(D("2026-03-23"), D("2026-02-10"), [(D("2026-03-02"), D("2026-03-06"))]) == -20
    assert working_days_between(D("2026-02-10"), D("2026-02-10")) == 0
    with pytest.raises(ValueError, match="before it starts"):
        add_working_days(D("2026-02-10"), 20, [(D("2026-03-06"), D("2026-03-02"))])


def test_zero_and_bad_arguments(app_ctx):
    assert add_working_days(D("2026-02-15"), 0) == Deadline(D("2026-02-15"), False)
    with pytest.raises(ValueError):
        add_working_days(D("2026-02-10"), -1)
    with pytest.raises(ValueError):
        add_working_days(D("2026-02-10"), True)
    with pytest.raises(TypeError):
        add_working_days(dt.datetime(2026, 2, 10, 9, 0), 20)  # a datetime is refused on purpose


def test_provisional_2027(app_ctx):
    due = add_working_days(D("2026-12-10"), 20)
    # Dec 11 (1), 14–18 (6), 21–25 (11), 28–31 (15), 1/1 元旦 skipped, 1/4–1/8 (20)
    assert due == Deadline(D("2027-01-08"), True)
    assert add_working_days(D("2026-11-10"), 20) == Deadline(D("2026-12-08"), False)
    info = day_info(D("2027-01-01"))
    assert info == calendar.DayInfo(False, True, calendar.Source("provisional", "元旦"))
    assert day_info(D("2027-01-04")).provisional and is_working_day(D("2027-01-04"))
    assert not is_working_day(D("2027-02-06"))  # Saturday and Spring Festival
    assert not calendar.year_status(2027).official and calendar.year_status(2026).official


def test_range_is_refused_clearly_not_crashed(app_ctx):
    for d in (D("1989-12-31"), D("2101-01-01")):
        with pytest.raises(calendar.CalendarRangeError):
            is_working_day(d)
    with pytest.raises(calendar.CalendarRangeError):
        add_working_days(D("2100-12-20"), 20)
    # the whole supported range answers (early years provisionally)
    assert add_working_days(D("1990-01-01"), 5) == Deadline(D("1990-01-08"), True)
    assert add_working_days(D("2100-12-01"), 5).provisional
    assert add_working_days(D("2003-12-30"), 3) == Deadline(D("2004-01-05"), True)
    assert add_working_days(D("2004-01-05"), 3) == Deadline(D("2004-01-08"), False)


def test_long_periods_widen_the_tables(app_ctx):
    due = add_working_days(D("2026-01-05"), 2000)
    assert due.provisional and due.due.year in (2033, 2034)
    assert working_days_between(D("2026-01-05"), due.due) == 2000


def test_works_without_an_application(app):
    # code outside an app (scripts, pure workflows) gets the library and the statutory calendar
    assert add_working_days(D("2026-02-10"), 20) == Deadline(D("2026-03-16"), False)


def test_year_days_lists_holidays_and_make_up_days(app_ctx):
    days = dict(calendar.year_days(2026))
    assert days[D("2026-02-14")].is_working and not days[D("2026-02-16")].is_working
    assert D("2026-03-02") not in days  # an ordinary Monday
    assert D("2026-04-04") in days and not days[D("2026-04-04")].is_working  # 清明 on a Saturday
    assert D("2027-02-06") in dict(calendar.year_days(2027))  # 春节 on a Saturday (provisional)
    assert sum(1 for info in days.values() if info.is_working) == 6
