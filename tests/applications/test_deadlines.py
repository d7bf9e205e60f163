"""Deadline scenarios across the 2026 holidays (rules-china §9.2–9.4): recomputed from events only."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.applications import deadlines
from disclosure.applications.deadlines import EventFact
from disclosure.applications.models import EventKind

D = dt.date
TODAY = D(2026, 12, 31)


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def due(received, events=(), fee_pauses=True):
    return deadlines.compute(received, events, fee_wait_pauses=fee_pauses, today=TODAY).due


def test_plain_and_extended_across_spring_festival():
    assert deadlines.supplement_notice_due(D(2026, 2, 10)) == D(2026, 2, 26)
    assert deadlines.consultation_due(D(2026, 2, 10)) == D(2026, 3, 9)
    assert due(D(2026, 2, 10)) == D(2026, 3, 16)
    ext = EventFact(EventKind.EXTENSION, D(2026, 3, 1), days=20)
    assert due(D(2026, 2, 10), [ext]) == D(2026, 4, 14)


def test_national_day_with_make_up_saturday():
    assert due(D(2026, 9, 28)) == D(2026, 10, 30)
    assert due(D(2026, 9, 28), [EventFact(EventKind.EXTENSION, D(2026, 10, 9), days=20)]) == D(2026, 11, 27)


def test_supplement_restarts_the_clock_from_its_receipt():
    events = [
        EventFact(EventKind.SUPPLEMENT_REQUEST, D(2026, 2, 12), D(2026, 2, 26)),
        EventFact(EventKind.SUPPLEMENT_RECEIVED, D(2026, 2, 26)),
    ]
    # 20 working days after 2026-02-26 (2/28 is a make-up working day).
    assert due(D(2026, 2, 10), events) == deadlines.add_working_days(D(2026, 2, 26), 20).due
    assert due(D(2026, 2, 10), events) == D(2026, 3, 25)


def test_consultation_pause_is_not_counted():
    pause = EventFact(EventKind.CONSULTATION, D(2026, 4, 7), D(2026, 4, 10))  # Tue–Fri, 4 working days
    base = due(D(2026, 3, 31))
    paused = due(D(2026, 3, 31), [pause])
    assert deadlines.working_days_between(base, paused) == 4


def test_fee_wait_pauses_only_when_configured():
    fee = EventFact(EventKind.FEE_NOTICE, D(2026, 4, 27), D(2026, 5, 11))  # across the May holiday
    base = due(D(2026, 4, 20))
    assert due(D(2026, 4, 20), [fee], fee_pauses=False) == base
    assert due(D(2026, 4, 20), [fee], fee_pauses=True) > base


def test_open_consultation_pauses_until_today():
    plan = deadlines.compute(
        D(2026, 6, 1), [EventFact(EventKind.CONSULTATION, D(2026, 6, 3))], fee_wait_pauses=True, today=D(2026, 6, 10)
    )
    assert plan.paused
    assert plan.due > due(D(2026, 6, 1))


def test_custom_deadline_and_reopen():
    custom = EventFact(EventKind.CUSTOM_DEADLINE, D(2026, 3, 2), days=30)
    assert due(D(2026, 3, 2), [custom]) == deadlines.add_working_days(D(2026, 3, 2), 50).due
    ext = EventFact(EventKind.EXTENSION, D(2026, 3, 5), days=20)
    reopen = EventFact(EventKind.REOPEN, D(2026, 7, 1))
    # After reopening, the earlier extension no longer applies: a fresh 20 working days.
    assert due(D(2026, 3, 2), [ext, reopen]) == deadlines.add_working_days(D(2026, 7, 1), 20).due


def test_deadline_in_2027_is_provisional():
    plan = deadlines.compute(D(2026, 12, 10), [], fee_wait_pauses=True, today=TODAY)
    assert plan.due.year == 2027 and plan.provisional
