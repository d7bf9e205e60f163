"""add_working_days_many: the same due dates as add_working_days, for thousands of dates on one table look-up
(the catalogue import dates every row's Art. 26 deadline so)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.workdays import calendar


def test_many_dates_give_the_same_due_dates_as_one_by_one(app_ctx):
    starts = [dt.date(2015, 1, 1) + dt.timedelta(days=i * 7) for i in range(600)]  # 2015 to 2026, holidays included
    many = calendar.add_working_days_many([*starts, *starts[:10]], 20)
    assert len(many) == len(starts)
    assert all(many[d] == calendar.add_working_days(d, 20) for d in starts)
    assert calendar.add_working_days_many([], 20) == {}


def test_one_freshness_check_for_all_dates(app_ctx, monkeypatch):
    calls = []
    real = calendar._load_token
    monkeypatch.setattr(calendar, "_load_token", lambda: calls.append(1) or real())
    calendar.add_working_days_many([dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(2000)], 20)
    assert len(calls) <= 1


def test_bad_input_is_refused(app_ctx):
    with pytest.raises(ValueError):
        calendar.add_working_days_many([dt.date(2026, 1, 1)], -1)
    with pytest.raises(calendar.CalendarRangeError):
        calendar.add_working_days_many([dt.date(1980, 1, 1)], 1)
    with pytest.raises(TypeError):
        calendar.add_working_days_many([dt.datetime(2026, 1, 1)], 1)
