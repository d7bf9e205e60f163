"""The requests of an agency and period, one row each, for the supervision standing book (台账, issue 14 §2): read
here and exported through the door, so the supervision package never reads these tables itself.

The rows are the cases the period touched: received in it, concluded in it, still open at its end (received
before it), or with a reconsideration or lawsuit filed in it. Each row carries the facts the supervision figures
count, judged by the very conditions of `oversight` (the dashboard's counts): received in the period, concluded in
it, answered, on time or late (the reply's issue date against the due date, Art. 33), overdue now; and the case's
remedies filed by the period's end with their result as it stood on its last day (table 4). So the book's rows and
the dashboard's figures agree by construction. Rows are streamed (`yield_per`, a server-side cursor on
PostgreSQL): 100,000 cases are never held as objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import aliased

from disclosure.applications.models import Application, Remedy
from disclosure.applications.oversight import _concluded_in, _conditions, _late, _on_time, _result_at
from disclosure.applications.yearly import CONCLUDED_STATES, NOT_RECEIVED_STATES
from disclosure.extensions import db

STREAM = 2000  # rows fetched at a time


@dataclass(frozen=True)
class StandingRemedy:
    kind: str  # RemedyKind
    filed_date: dt.date
    result: str  # RemedyResult as it stood on the period's last day
    filed_in_period: bool


@dataclass(frozen=True)
class StandingRequest:
    id: int
    reference: str | None
    received_date: dt.date | None
    due_date: dt.date | None
    issued_date: dt.date | None  # the reply's issue date (答复日期)
    concluded_on: dt.date | None  # the conclusion date the figures count (closing date, else the issue date)
    state: str
    outcome: str | None  # the case outcome (correspondence's Outcome), None for a withdrawn or open case
    received_in_period: bool
    concluded_in_period: bool
    on_time: bool | None  # a reply issued by its due date (True), after it (False); None without a reply
    overdue_now: bool  # open, its clock running, past its due date today
    remedies: tuple[StandingRemedy, ...] = ()


def _flag(cond):
    return case((cond, 1), else_=0)


def _scope(agency_id: int, start: dt.date, end: dt.date):
    a = Application
    concluded_by_end = and_(a.state.in_(CONCLUDED_STATES), func.coalesce(a.closed_date, a.issued_date) <= end)
    filed = aliased(Remedy)
    remedy_in_period = exists().where(filed.application_id == a.id, filed.filed_date >= start, filed.filed_date <= end)
    return (
        a.agency_id == agency_id,
        a.state.not_in(NOT_RECEIVED_STATES),
        or_(
            _conditions("received", start, end, end),
            _concluded_in(start, end),
            and_(a.received_date < start, not_(concluded_by_end)),
            remedy_in_period,
        ),
    )


def standing_request_count(agency_id: int, start: dt.date, end: dt.date) -> int:
    """How many rows `standing_requests` gives (one count query)."""
    return db.session.execute(
        select(func.count()).select_from(Application).where(*_scope(agency_id, start, end))
    ).scalar_one()


def _remedies(agency_id: int, start: dt.date, end: dt.date) -> dict[int, list[StandingRemedy]]:
    """The reconsiderations and lawsuits filed by the end of the period about the period's cases, by case: few
    beside the cases, held in one dict."""
    rows = db.session.execute(
        select(Remedy.application_id, Remedy.kind, Remedy.filed_date, _result_at(end))
        .join(Application, Application.id == Remedy.application_id)
        .where(*_scope(agency_id, start, end), Remedy.filed_date <= end)
        .order_by(Remedy.application_id, Remedy.filed_date, Remedy.id)
    ).all()
    out: dict[int, list[StandingRemedy]] = {}
    for case_id, kind, filed, result in rows:
        out.setdefault(case_id, []).append(StandingRemedy(kind, filed, result, start <= filed <= end))
    return out


def standing_requests(agency_id: int, start: dt.date, end: dt.date, *, today: dt.date) -> Iterator[StandingRequest]:
    """The period's cases, by received date, each with its remedies; `today` says which open ones are overdue."""
    a = Application
    remedies = _remedies(agency_id, start, end)
    stmt = (
        select(
            a.id,
            a.reference,
            a.received_date,
            a.due_date,
            a.issued_date,
            func.coalesce(a.closed_date, a.issued_date),
            a.state,
            a.outcome,
            _flag(_conditions("received", start, end, end)),
            _flag(_concluded_in(start, end)),
            _flag(_on_time()),
            _flag(_late()),
            _flag(_conditions("overdue", today, today, today)),
        )
        .where(*_scope(agency_id, start, end))
        .order_by(a.received_date, a.id)
        .execution_options(yield_per=STREAM)
    )
    result = db.session.execute(stmt)
    try:
        for row in result:
            case_id, reference, received, due, issued, concluded, state, outcome = row[:8]
            in_received, in_concluded, on_time, late, overdue = (bool(v) for v in row[8:])
            yield StandingRequest(
                case_id,
                reference,
                received,
                due,
                issued,
                concluded if state in CONCLUDED_STATES else None,
                state,
                outcome,
                in_received,
                in_concluded,
                True if on_time else (False if late else None),
                overdue,
                tuple(remedies.get(case_id, ())),
            )
    finally:
        result.close()
