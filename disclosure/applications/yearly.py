"""Yearly facts about the agency's cases for the annual report (国办公开办函〔2021〕30号, tables 3 and 4), as plain
rows: the report package maps them to its rows, never reading these tables itself (issue 13).

A case counts once it is received (past `submitted`, with a received date). Its conclusion date is the closing
date (a reply issued, a case abandoned or withdrawn; a ledger import's reply date), the issue date when only that
is known. Every figure of a year comes from one grouped set query over the cases of the year; the case lists
behind a figure (the report's drill-down pages and failing checks) from the same conditions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, case, false, func, not_, or_, select

from disclosure.applications.models import Application, CaseEvent, EventKind, Remedy, RemedyResult
from disclosure.extensions import db
from workflows.application import States

# Closed cases: a reply issued (and delivered, archived), abandoned (Art. 30, 109号) or withdrawn.
CONCLUDED_STATES = tuple(
    s.value for s in (States.ISSUED, States.DELIVERED, States.ARCHIVED, States.ABANDONED, States.WITHDRAWN)
)
NOT_RECEIVED_STATES = (States.DRAFT.value, States.SUBMITTED.value)
MEASURES = ("new", "carried_in", "concluded", "carried_out", "closed_before_received", "closed_without_date")


@dataclass(frozen=True)
class CaseCounts:
    """The cases of one (applicant category, outcome, withdrawn) group in a year."""

    category: str
    outcome: str | None
    withdrawn: bool
    new: int
    carried_in: int
    concluded: int
    carried_out: int
    closed_before_received: int  # data problems: a conclusion dated before receipt
    closed_without_date: int  # a closed case without its conclusion date


@dataclass(frozen=True)
class CaseRef:
    id: int
    reference: str | None
    applicant_name: str
    category: str
    received_date: dt.date | None
    concluded_on: dt.date | None
    outcome: str | None
    state: str


@dataclass(frozen=True)
class RemedyCounts:
    kind: str
    result: str  # as it stood on 31 December of the year
    count: int


@dataclass(frozen=True)
class RemedyRef:
    id: int
    case_id: int
    reference: str | None
    kind: str
    body: str
    filed_date: dt.date
    decided_date: dt.date | None
    result: str


def _concluded_on():
    return func.coalesce(Application.closed_date, Application.issued_date)


def _conditions(start: dt.date, end: dt.date) -> dict:
    received = Application.received_date
    concl = _concluded_on()
    closed = Application.state.in_(CONCLUDED_STATES)
    closed_by = lambda day: and_(closed, concl.is_not(None), concl <= day)  # noqa: E731
    return {
        "new": and_(received >= start, received <= end),
        "carried_in": and_(received < start, not_(closed_by(start - dt.timedelta(days=1)))),
        "concluded": and_(closed, concl >= start, concl <= end),
        "carried_out": not_(closed_by(end)),
        "closed_before_received": and_(closed, concl < received),
        "closed_without_date": and_(closed, concl.is_(None)),
    }


def _scope(agency_id: int, start: dt.date, end: dt.date):
    concl = _concluded_on()
    return (
        Application.agency_id == agency_id,
        Application.state.not_in(NOT_RECEIVED_STATES),
        Application.received_date.is_not(None),
        Application.received_date <= end,
        or_(
            Application.received_date >= start,
            Application.state.not_in(CONCLUDED_STATES),
            concl.is_(None),
            concl >= start,
        ),
    )


def yearly_case_counts(agency_id: int, start: dt.date, end: dt.date) -> list[CaseCounts]:
    """Received, carried in, concluded and carried out between `start` and `end`, grouped by applicant category,
    case outcome and whether the case was withdrawn: one set query."""
    cond = _conditions(start, end)
    withdrawn = case((Application.state == States.WITHDRAWN.value, 1), else_=0).label("withdrawn")
    sums = [func.sum(case((cond[m], 1), else_=0)) for m in MEASURES]
    rows = db.session.execute(
        select(Application.applicant_category, Application.outcome, withdrawn, *sums)
        .where(*_scope(agency_id, start, end))
        .group_by(Application.applicant_category, Application.outcome, withdrawn)
    ).all()
    return [
        CaseCounts(r[0], r[1], bool(r[2]), *(int(v or 0) for v in r[3:]))
        for r in rows
        if any(r[3:])  # a group of cases only outside the year's measures
    ]


def yearly_cases(
    agency_id: int,
    start: dt.date,
    end: dt.date,
    *,
    measure: str,
    outcomes: tuple[str | None, ...] | None = None,
    exclude_outcomes: tuple[str, ...] | None = None,
    withdrawn: bool | None = None,
    category: str | None = None,
    exclude_categories: tuple[str, ...] | None = None,
    limit: int = 1000,
) -> list[CaseRef]:
    """The cases behind one figure of `yearly_case_counts` (a measure, optionally one outcome group and one
    applicant category), oldest received first."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    q = select(
        Application.id,
        Application.reference,
        Application.applicant_name,
        Application.applicant_category,
        Application.received_date,
        _concluded_on(),
        Application.outcome,
        Application.state,
    ).where(*_scope(agency_id, start, end), _conditions(start, end)[measure])
    if outcomes is not None:
        known = [o for o in outcomes if o is not None]
        clauses = [Application.outcome.in_(known)] if known else []
        if None in outcomes:
            clauses.append(Application.outcome.is_(None))
        q = q.where(or_(*clauses) if clauses else false())
    if exclude_outcomes is not None:
        q = q.where(or_(Application.outcome.is_(None), Application.outcome.not_in(exclude_outcomes)))
    if withdrawn is not None:
        q = q.where(
            (Application.state == States.WITHDRAWN.value)
            if withdrawn
            else (Application.state != States.WITHDRAWN.value)
        )
    if category is not None:
        q = q.where(Application.applicant_category == category)
    if exclude_categories is not None:
        q = q.where(Application.applicant_category.not_in(exclude_categories))
    rows = db.session.execute(q.order_by(Application.received_date, Application.id).limit(limit)).all()
    return [CaseRef(*r) for r in rows]


def _result_at(end: dt.date):
    """A remedy decided after the year's end was still pending on 31 December."""
    decided = and_(Remedy.result != RemedyResult.PENDING.value, Remedy.decided_date <= end)
    return case((decided, Remedy.result), else_=RemedyResult.PENDING.value)


def yearly_remedy_counts(agency_id: int, start: dt.date, end: dt.date) -> list[RemedyCounts]:
    """Reconsiderations and lawsuits filed in the year about the agency's cases, by kind and by their result as
    it stood on `end`: one grouped query."""
    result = _result_at(end).label("result")
    rows = db.session.execute(
        select(Remedy.kind, result, func.count())
        .where(Remedy.agency_id == agency_id, Remedy.filed_date >= start, Remedy.filed_date <= end)
        .group_by(Remedy.kind, result)
    ).all()
    return [RemedyCounts(r[0], r[1], int(r[2])) for r in rows]


def yearly_remedies(
    agency_id: int,
    start: dt.date,
    end: dt.date,
    *,
    kind: str | None = None,
    result: str | None = None,
    exclude_kinds: tuple[str, ...] | None = None,
    exclude_results: tuple[str, ...] | None = None,
    limit: int = 1000,
) -> list[RemedyRef]:
    """The remedies behind one figure of `yearly_remedy_counts`."""
    at_end = _result_at(end)
    q = (
        select(
            Remedy.id,
            Remedy.application_id,
            Application.reference,
            Remedy.kind,
            Remedy.body,
            Remedy.filed_date,
            Remedy.decided_date,
            at_end,
        )
        .join(Application, Application.id == Remedy.application_id)
        .where(Remedy.agency_id == agency_id, Remedy.filed_date >= start, Remedy.filed_date <= end)
    )
    if kind is not None:
        q = q.where(Remedy.kind == kind)
    if result is not None:
        q = q.where(at_end == result)
    if exclude_kinds is not None:
        q = q.where(Remedy.kind.not_in(exclude_kinds))
    if exclude_results is not None:
        q = q.where(at_end.not_in(exclude_results))
    rows = db.session.execute(q.order_by(Remedy.filed_date, Remedy.id).limit(limit)).all()
    return [RemedyRef(*r) for r in rows]


def fees_collected(agency_id: int, start: dt.date, end: dt.date) -> tuple[Decimal, list[int]]:
    """The information processing fees (109号) actually paid between `start` and `end`, in yuan, and the cases
    that paid them. A fee notified, waived or left unpaid is not collected."""
    rows = db.session.execute(
        select(CaseEvent.application_id, CaseEvent.amount, CaseEvent.details)
        .join(Application, Application.id == CaseEvent.application_id)
        .where(
            Application.agency_id == agency_id,
            CaseEvent.kind == EventKind.FEE_NOTICE.value,
            CaseEvent.end_date >= start,
            CaseEvent.end_date <= end,
        )
        .order_by(CaseEvent.id)
    ).all()
    total, cases = Decimal(0), []
    for case_id, amount, details in rows:
        details = details or {}
        if details.get("waived") or not details.get("receipt") or amount is None:
            continue
        total += Decimal(str(amount))
        cases.append(case_id)
    return total, cases
