"""Requests for disclosure as the competent department supervises them (条例 Art. 47; issue 14 §1): per-agency
counts over a list of agencies and a range of days, each one grouped query (GROUP BY agency_id), and the ordered
lists of the very cases and remedies a count counts, for the dashboard's drill-downs.

The conditions are the annual report's (`yearly.py`, 国办公开办函〔2021〕30号 tables 3 and 4), so a year's figures
equal the report's:
- received: past `submitted`, with a received date (条例 Art. 31) within the range — table 3 row 一;
- concluded: closed (issued, delivered, archived, abandoned, withdrawn) with its conclusion date (the closing date,
  the issue date when only that is known) within the range — table 3 row (七);
- answered, on time, late: the concluded cases whose reply was issued, judged as the case page's deadline badge
  judges them (`templates/applications/_deadline.html`): late when issued after the due date (Art. 33), on time
  otherwise (a reply without a due date, as a ledger import leaves it, reads as on time there too);
- overdue now: an open case whose clock runs (not paused by a consultation, a fee notice or a supplementation
  request) and whose due date has passed today — the workbench's overdue queue, recomputed for `today`;
- remedies: filed within the range, with their result as it stood on the range's last day (table 4).

Conclusion dates are compared as `closed_date`, or `issued_date` when no closing date is recorded: the same as the
report's `coalesce(closed_date, issued_date)`, written as two ranges of the (agency, closing date, issue date, …)
index (`ix_applications_agency_closed`) so that the counts read the index alone.

Received and concluded are also kept per agency and month by the database (`core.rollups`, `ROLLUPS` below: the
same conditions in SQL): a period's whole months are read from there, its partial months from the cases, so a
year over five hundred agencies and a million cases costs a few milliseconds and stays exact at every commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import and_, case, false, func, literal, or_, select, union_all

from disclosure.applications.models import (
    OPEN_INDEX_STATES,
    Application,
    DeadlineStatus,
    Remedy,
    RemedyResult,
    RequestedItem,
)
from disclosure.applications.yearly import CONCLUDED_STATES, NOT_RECEIVED_STATES
from disclosure.core import rollups
from disclosure.core.idlists import in_ids
from disclosure.extensions import db
from workflows.application import OPEN_STATES, States

CASE_MEASURES = ("received", "concluded", "answered", "on_time", "late", "overdue")
_OPEN = tuple(s.value for s in OPEN_STATES)


@dataclass(frozen=True)
class ConcludedCounts:
    """The cases of one agency concluded in the range with one (outcome, withdrawn) pair."""

    agency_id: int
    outcome: str | None
    withdrawn: bool
    concluded: int
    answered: int  # a reply issued
    on_time: int
    late: int


@dataclass(frozen=True)
class RemedyCounts:
    agency_id: int
    kind: str
    result: str  # as it stood on the range's last day
    count: int


@dataclass(frozen=True)
class CaseLine:
    """One case behind a figure, with its staff page."""

    id: int
    agency_id: int
    reference: str | None
    applicant_name: str
    subject: str  # what was asked: the first requested item's description
    state: str
    outcome: str | None
    received_date: dt.date | None
    due_date: dt.date | None
    issued_date: dt.date | None
    concluded_on: dt.date | None
    on: dt.date | None  # the date that put it in the count
    url: str


@dataclass(frozen=True)
class RemedyLine:
    id: int
    agency_id: int
    case_id: int
    reference: str | None
    kind: str
    body: str
    filed_date: dt.date
    decided_date: dt.date | None
    result: str  # as it stood on the range's last day
    url: str  # the case's staff page


# --- Conditions --------------------------------------------------------------------------------------------------


def _concluded_in(start: dt.date, end: dt.date):
    a = Application
    return and_(
        a.state.in_(CONCLUDED_STATES),
        or_(
            a.closed_date.between(start, end),
            and_(a.closed_date.is_(None), a.issued_date.between(start, end)),
        ),
    )


def _answered(c=Application):
    return c.issued_date.is_not(None)


def _late(c=Application):
    return and_(c.issued_date.is_not(None), c.due_date.is_not(None), c.issued_date > c.due_date)


def _on_time(c=Application):
    return and_(c.issued_date.is_not(None), or_(c.due_date.is_(None), c.issued_date <= c.due_date))


def _conditions(measure: str, start: dt.date, end: dt.date, today: dt.date):
    a = Application
    if measure == "received":
        return and_(a.state.not_in(NOT_RECEIVED_STATES), a.received_date.between(start, end))
    if measure == "overdue":
        return and_(
            a.state.in_([literal(s, literal_execute=True) for s in OPEN_INDEX_STATES]),  # the partial index's terms
            a.deadline_status != DeadlineStatus.PAUSED.value,
            a.due_date.is_not(None),
            a.due_date < today,
        )
    concluded = _concluded_in(start, end)
    extra = {"concluded": None, "answered": _answered(), "on_time": _on_time(), "late": _late()}
    if measure not in extra:
        raise ValueError(f"unknown measure {measure!r}")
    return concluded if extra[measure] is None else and_(concluded, extra[measure])


def _ids(agency_ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in agency_ids})


def _sum(cond):
    return func.sum(case((cond, 1), else_=0))


# --- Counts ------------------------------------------------------------------------------------------------------


def received_counts(agency_ids: Iterable[int], start: dt.date, end: dt.date, *, live: bool = False) -> dict[int, int]:
    """Requests received between `start` and `end` per agency: the whole months from the rollup, the rest from the
    cases (`live`: all from the cases, one grouped query)."""
    if live:
        return _grouped_count(agency_ids, _conditions("received", start, end, end))

    def from_cases(a: dt.date, b: dt.date) -> rollups.Counts:
        return {(agency, "", ""): [n] for agency, n in received_counts(agency_ids, a, b, live=True).items()}

    counts = rollups.gather(ROLLUP_RECEIVED, _ids(agency_ids), start, end, from_cases)
    return {agency: values[0] for (agency, _k1, _k2), values in counts.items() if values[0]}


def overdue_counts(agency_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    """Open requests past their due date today, per agency: one grouped query."""
    return _grouped_count(agency_ids, _conditions("overdue", today, today, today))


def _grouped_count(agency_ids: Iterable[int], cond) -> dict[int, int]:
    ids = _ids(agency_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Application.agency_id, func.count())
        .where(in_ids(Application.agency_id, ids), cond)
        .group_by(Application.agency_id)
    ).all()
    return {int(a): int(n) for a, n in rows}


def concluded_counts(
    agency_ids: Iterable[int], start: dt.date, end: dt.date, *, live: bool = False
) -> list[ConcludedCounts]:
    """The cases concluded between `start` and `end`, grouped by agency, outcome and whether withdrawn, with how
    many of them were answered, on time and late: the whole months from the rollup, the rest from the cases
    (`live`: all from the cases)."""
    if live:
        return _concluded_from_cases(_ids(agency_ids), start, end)

    def from_cases(a: dt.date, b: dt.date) -> rollups.Counts:
        return {
            (c.agency_id, c.outcome or "", "1" if c.withdrawn else "0"): [c.concluded, c.answered, c.on_time, c.late]
            for c in _concluded_from_cases(_ids(agency_ids), a, b)
        }

    counts = rollups.gather(ROLLUP_CONCLUDED, _ids(agency_ids), start, end, from_cases)
    return [
        ConcludedCounts(agency, outcome or None, withdrawn == "1", *values[:4])
        for (agency, outcome, withdrawn), values in sorted(counts.items())
        if values[0]
    ]


def _concluded_from_cases(ids: list[int], start: dt.date, end: dt.date) -> list[ConcludedCounts]:
    """One grouped query: the cases closed in the range and those with only an issue date in it are read as two
    disjoint ranges of the (agency, closing date, issue date, …) index, each from the index alone."""
    if not ids:
        return []
    a = Application
    columns = (a.agency_id, a.outcome, a.state, a.issued_date, a.due_date)
    common = (in_ids(a.agency_id, ids), a.state.in_(CONCLUDED_STATES))
    rows_ = union_all(
        select(*columns).where(*common, a.closed_date.between(start, end)),
        select(*columns).where(*common, a.closed_date.is_(None), a.issued_date.between(start, end)),
    ).subquery()
    c = rows_.c
    withdrawn = case((c.state == States.WITHDRAWN.value, 1), else_=0).label("withdrawn")
    rows = db.session.execute(
        select(
            c.agency_id, c.outcome, withdrawn, func.count(), _sum(_answered(c)), _sum(_on_time(c)), _sum(_late(c))
        ).group_by(c.agency_id, c.outcome, withdrawn)
    ).all()
    return [ConcludedCounts(int(r[0]), r[1], bool(r[2]), *(int(v or 0) for v in r[3:])) for r in rows]


# --- The rollups (core.rollups): received and concluded per agency and month, as the conditions above read ---------

ROLLUP_RECEIVED = "requests.received"
ROLLUP_CONCLUDED = "requests.concluded"


def _sql_list(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


ROLLUPS = rollups.Source(
    "applications",
    (
        rollups.Part(
            ROLLUP_RECEIVED,
            "{r}.agency_id",
            "{r}.received_date",
            f"{{r}}.state NOT IN ({_sql_list(NOT_RECEIVED_STATES)})",
        ),
        rollups.Part(
            ROLLUP_CONCLUDED,
            "{r}.agency_id",
            "coalesce({r}.closed_date, {r}.issued_date)",
            f"{{r}}.state IN ({_sql_list(CONCLUDED_STATES)})",
            sums=(
                "CASE WHEN {r}.issued_date IS NOT NULL THEN 1 ELSE 0 END",  # answered
                "CASE WHEN {r}.issued_date IS NOT NULL AND ({r}.due_date IS NULL OR {r}.issued_date <= {r}.due_date) "
                "THEN 1 ELSE 0 END",  # on time
                "CASE WHEN {r}.issued_date > {r}.due_date THEN 1 ELSE 0 END",  # late
            ),
            k1="coalesce({r}.outcome, '')",
            k2=f"CASE WHEN {{r}}.state = '{States.WITHDRAWN.value}' THEN '1' ELSE '0' END",
        ),
    ),
    columns=("agency_id", "state", "received_date", "closed_date", "issued_date", "due_date", "outcome"),
)
rollups.register(ROLLUPS)


def _result_at(end: dt.date):
    """A remedy decided after the range's end was still pending on its last day (as table 4 counts it)."""
    decided = and_(Remedy.result != RemedyResult.PENDING.value, Remedy.decided_date <= end)
    return case((decided, Remedy.result), else_=RemedyResult.PENDING.value)


def remedy_counts(agency_ids: Iterable[int], start: dt.date, end: dt.date) -> list[RemedyCounts]:
    """Reconsiderations and lawsuits filed between `start` and `end` about the agencies' cases, by agency, kind and
    result on `end`: one grouped query."""
    ids = _ids(agency_ids)
    if not ids:
        return []
    result = _result_at(end).label("result")
    rows = db.session.execute(
        select(Remedy.agency_id, Remedy.kind, result, func.count())
        .where(in_ids(Remedy.agency_id, ids), Remedy.filed_date.between(start, end))
        .group_by(Remedy.agency_id, Remedy.kind, result)
    ).all()
    return [RemedyCounts(int(r[0]), r[1], r[2], int(r[3])) for r in rows]


# --- The records behind a count ----------------------------------------------------------------------------------


def _outcome_filter(outcomes: Sequence[str | None] | None, with_withdrawn: bool):
    """Cases with one of these outcomes (not withdrawn), and the withdrawn ones too with `with_withdrawn` — as
    table 3 counts a withdrawal under （六）其他处理."""
    if outcomes is None:
        return None
    a = Application
    known = [o for o in outcomes if o is not None]
    by_outcome = [a.outcome.in_(known)] if known else []
    if None in outcomes:
        by_outcome.append(a.outcome.is_(None))
    clauses = [and_(a.state != States.WITHDRAWN.value, or_(*by_outcome))] if by_outcome else []
    if with_withdrawn:
        clauses.append(a.state == States.WITHDRAWN.value)
    return or_(*clauses) if clauses else false()


def _subject():
    """The first requested item's description (what a list of cases names a case by, rather than its applicant)."""
    first = (
        select(func.substr(RequestedItem.description, 1, 200))
        .where(RequestedItem.application_id == Application.id, RequestedItem.position == 1)
        .correlate(Application)
        .scalar_subquery()
    )
    return func.coalesce(first, "")


def cases(
    agency_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    *,
    measure: str,
    outcomes: Sequence[str | None] | None = None,
    with_withdrawn: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[CaseLine]:
    """The cases behind one count (`measure` of CASE_MEASURES; for concluded cases optionally one outcome group),
    in the order of the date that put them in the count, then by id."""
    if measure not in CASE_MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    ids = _ids(agency_ids)
    if not ids:
        return []
    a = Application
    concluded_on = func.coalesce(a.closed_date, a.issued_date)
    on = {"received": a.received_date, "overdue": a.due_date}.get(measure, concluded_on)
    q = select(
        a.id,
        a.agency_id,
        a.reference,
        a.applicant_name,
        _subject(),
        a.state,
        a.outcome,
        a.received_date,
        a.due_date,
        a.issued_date,
        concluded_on,
        on,
    ).where(in_ids(a.agency_id, ids), _conditions(measure, start, end, today))
    extra = _outcome_filter(outcomes, with_withdrawn)
    if extra is not None:
        q = q.where(extra)
    q = q.order_by(on, a.id).offset(max(0, int(offset)))
    if limit is not None:
        q = q.limit(max(0, int(limit)))
    return [CaseLine(*r, url=url_for("applications_staff.case", case_id=r[0])) for r in db.session.execute(q).all()]


def remedies(
    agency_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    *,
    kinds: Sequence[str] | None = None,
    result: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[RemedyLine]:
    """The remedies behind one count of `remedy_counts` (some kinds, one result on `end`), by filing date."""
    ids = _ids(agency_ids)
    if not ids:
        return []
    at_end = _result_at(end)
    q = (
        select(
            Remedy.id,
            Remedy.agency_id,
            Remedy.application_id,
            Application.reference,
            Remedy.kind,
            Remedy.body,
            Remedy.filed_date,
            Remedy.decided_date,
            at_end,
        )
        .join(Application, Application.id == Remedy.application_id)
        .where(in_ids(Remedy.agency_id, ids), Remedy.filed_date.between(start, end))
    )
    if kinds is not None:
        q = q.where(Remedy.kind.in_(list(kinds)))
    if result is not None:
        q = q.where(at_end == result)
    q = q.order_by(Remedy.filed_date, Remedy.id).offset(max(0, int(offset)))
    if limit is not None:
        q = q.limit(max(0, int(limit)))
    return [RemedyLine(*r, url=url_for("applications_staff.case", case_id=r[2])) for r in db.session.execute(q).all()]
