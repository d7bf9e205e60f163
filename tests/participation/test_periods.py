"""Comment periods on the one calendar (proactive-china §3 test vectors): calendar-day and working-day kinds,
the start day excluded, a calendar period ending on a holiday running to the next working day, make-up days."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.participation.periods import end_date, end_instant, minimum_for

D = dt.date


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 1, 26), 3, D(2026, 1, 29)),
        (D(2026, 1, 26), 7, D(2026, 2, 4)),
        (D(2026, 1, 26), 20, D(2026, 2, 28)),  # a make-up Saturday (调休) is a working day
        (D(2026, 4, 30), 3, D(2026, 5, 8)),  # across 劳动节
        (D(2026, 4, 30), 7, D(2026, 5, 13)),  # 5/9 Saturday counts
        (D(2026, 9, 28), 3, D(2026, 10, 8)),  # across 国庆
        (D(2026, 9, 28), 7, D(2026, 10, 13)),
    ],
)
def test_working_day_periods(app_ctx, start, n, due):
    assert end_date(start, n, "working_days") == due


@pytest.mark.parametrize(
    ("start", "due", "rolled"),
    [
        (D(2026, 1, 26), D(2026, 2, 25), D(2026, 2, 25)),
        (D(2026, 4, 30), D(2026, 5, 30), D(2026, 6, 1)),  # ends on a Saturday
        (D(2026, 9, 28), D(2026, 10, 28), D(2026, 10, 28)),
        (D(2026, 9, 1), D(2026, 10, 1), D(2026, 10, 8)),  # ends on 国庆: runs to the next working day (Art. 203)
    ],
)
def test_calendar_day_periods(app_ctx, start, due, rolled):
    assert end_date(start, 30, "days", roll=False) == due
    assert end_date(start, 30, "days", roll=True) == rolled


def test_the_period_ends_at_midnight_beijing_time():
    assert end_instant(D(2026, 6, 1)) == dt.datetime(2026, 6, 1, 16, 0, tzinfo=dt.UTC)


def test_market_related_drafts_get_thirty_days(part):
    from disclosure.participation.operations.consultations import kind_by_code

    normative = kind_by_code("normative")
    assert minimum_for(normative) == (7, "working_days")
    assert minimum_for(normative, market_related=True) == (30, "days")
    assert minimum_for(kind_by_code("major_decision"), market_related=True) == (30, "days")
