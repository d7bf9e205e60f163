"""The reply deadline, always recomputed from the recorded events, never typed in.

- 条例 Art. 33: reply within 20 working days of the received date (Art. 31); one extension of at most 20
  working days approved by the head of the disclosure office; time consulting third parties or other organs
  (Arts. 32, 34) is not counted.
- 条例 Art. 30: after a supplementation notice the clock restarts from the day the supplement is received.
- 条例 Art. 35: for unreasonable volumes the office may set a longer period (recorded as extra working days
  with the reason).
- 国办函〔2020〕109号 (rules-china §4.1 ⚠): the wait for the fee is paused when the agency's setting says so.
- A corrected reconsideration or court decision reopens the case: a new 20-working-day period starts on the
  day the decision is received, and earlier extensions and pauses no longer apply.

The result carries the steps of the computation, shown on the case page's deadline panel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from disclosure import workdays
from disclosure.applications.models import EventKind

REPLY_DAYS = 20  # Art. 33 para 1
MAX_EXTENSION_DAYS = 20  # Art. 33 para 2
SUPPLEMENT_NOTICE_DAYS = 7  # Art. 30
CONSULTATION_DAYS = 15  # Art. 32
FEE_PAYMENT_DAYS = 20  # 109号


def add_working_days(start: dt.date, n: int, pauses=()):
    return workdays.add_working_days(start, n, pauses=pauses)


def working_days_between(start: dt.date, end: dt.date, pauses=()) -> int:
    return workdays.working_days_between(start, end, pauses=pauses)


@dataclass(frozen=True)
class EventFact:
    """The part of a `CaseEvent` the computation uses (so tests can recompute without the database)."""

    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    days: int | None = None


@dataclass
class DeadlinePlan:
    clock_start: dt.date | None
    due: dt.date | None
    provisional: bool
    running: bool  # False while waiting for a supplement, or before receipt
    paused: bool  # an open consultation or fee wait
    steps: list[tuple[str, dict]] = field(default_factory=list)  # (msgid key, values) for the panel
    pauses: list[tuple[dt.date, dt.date]] = field(default_factory=list)


def compute(
    received_date: dt.date | None,
    events: Iterable[EventFact],
    *,
    fee_wait_pauses: bool,
    today: dt.date,
    waiting_for_supplement: bool = False,
) -> DeadlinePlan:
    """Recompute the reply deadline from the received date and the events, in the order they happened."""
    if received_date is None:
        return DeadlinePlan(None, None, False, False, False)
    events = list(events)
    steps: list[tuple[str, dict]] = []
    start = received_date
    steps.append(("received", {"date": received_date}))
    # A reopening starts a new period; only what happened after it counts.
    reopen = [e for e in events if e.kind == EventKind.REOPEN]
    if reopen:
        last = reopen[-1]
        events = events[events.index(last) + 1 :]
        start = last.start_date
        steps.append(("reopened", {"date": start}))
    supplement = [e for e in events if e.kind == EventKind.SUPPLEMENT_RECEIVED]
    if supplement:
        start = supplement[-1].start_date
        steps.append(("restarted", {"date": start}))
    days = REPLY_DAYS
    steps.append(("base", {"days": REPLY_DAYS}))
    for e in events:
        if e.kind == EventKind.EXTENSION and e.days:
            days += e.days
            steps.append(("extension", {"days": e.days}))
        elif e.kind == EventKind.CUSTOM_DEADLINE and e.days:
            days += e.days
            steps.append(("custom", {"days": e.days}))
    pauses: list[tuple[dt.date, dt.date]] = []
    paused = False
    for e in events:
        if e.kind == EventKind.CONSULTATION or (e.kind == EventKind.FEE_NOTICE and fee_wait_pauses):
            if e.start_date < start:
                continue
            end = e.end_date or max(today, e.start_date)
            paused = paused or e.end_date is None
            pauses.append((e.start_date, end))
            steps.append(("pause_" + str(e.kind), {"start": e.start_date, "end": e.end_date}))
    result = add_working_days(start, days, pauses=tuple(pauses))
    return DeadlinePlan(
        clock_start=start,
        due=result.due,
        provisional=bool(result.provisional),
        running=not waiting_for_supplement,
        paused=paused,
        steps=steps,
        pauses=pauses,
    )


def supplement_notice_due(received_date: dt.date) -> dt.date:
    """Art. 30: the supplementation notice must go out within 7 working days of receipt."""
    return add_working_days(received_date, SUPPLEMENT_NOTICE_DAYS).due


def consultation_due(letter_date: dt.date) -> dt.date:
    """Art. 32: the third party answers within 15 working days of receiving the letter."""
    return add_working_days(letter_date, CONSULTATION_DAYS).due


def fee_payment_due(notice_date: dt.date) -> dt.date:
    """109号: payment within 20 working days starting the day after the notice is received."""
    return add_working_days(notice_date, FEE_PAYMENT_DAYS).due


def working_days_left(due: dt.date, today: dt.date) -> int:
    """Working days from today to the due date (negative when overdue)."""
    if due >= today:
        return working_days_between(today, due)
    return -working_days_between(due, today)
