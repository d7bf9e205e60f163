"""Properties of the counting, checked against day-by-day stepping on random dates and pauses (2024–2028, so
official, provisional and year-crossing periods all occur)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.workdays import calendar

DATES = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))
PAUSE = st.tuples(DATES, st.integers(0, 40)).map(lambda p: (p[0], p[0] + dt.timedelta(days=p[1])))


def _stepping(start, n, pauses, exclude_start=True):
    d = start if exclude_start else start - dt.timedelta(days=1)
    counted = 0
    while counted < n:
        d += dt.timedelta(days=1)
        if calendar.is_working_day(d) and not any(a <= d <= b for a, b in pauses):
            counted += 1
    return d


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=DATES, n=st.integers(0, 60), pauses=st.lists(PAUSE, max_size=3), exclude_start=st.booleans())
def test_matches_day_by_day_stepping(app_ctx, start, n, pauses, exclude_start):
    due = calendar.add_working_days(start, n, pauses, exclude_start=exclude_start)
    if n == 0:
        assert due.due == start
        return
    assert due.due == _stepping(start, n, pauses, exclude_start)
    assert calendar.is_working_day(due.due)
    assert not any(a <= due.due <= b for a, b in pauses)
    if exclude_start:
        assert calendar.working_days_between(start, due.due, pauses) == n
    assert due.provisional == (due.due.year >= 2027)  # 2027 is the first year without official data
