"""双公示 timeliness of an agency and period for the supervision standing book (台账, issue 14 §2): the figures of
the 双公示 dashboard (`stats.dashboard`, the same rows and on-time rate, not recomputed differently) by month of
decision, and the records behind its two failing columns — published late (超期公示) and not published past their
due date (逾期未公示, the nightly sweep's mark) — one row each. Read here, exported through the door, so the
supervision package never reads these tables itself. Records are streamed (`yield_per`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select

from disclosure.extensions import db
from disclosure.publicity.models import PublicityRecord, Timeliness
from disclosure.publicity.stats import Row, dashboard
from disclosure.workdays import working_days_between

STREAM = 2000
FAILING = (Timeliness.LATE.value, Timeliness.OVERDUE.value)


@dataclass(frozen=True)
class StandingPublicityRecord:
    id: int
    kind: str  # Kind: licensing, penalty
    decision_no: str
    counterpart_name: str
    decision_date: dt.date
    due_date: dt.date
    published_on: dt.date | None
    timeliness: str  # late or overdue
    working_days_late: int  # past the due date: to the publication, or to today while unpublished


def standing_publicity_figures(agency_id: int, start: dt.date, end: dt.date) -> tuple[list[Row], Row]:
    """The dashboard's rows by month of decision (key YYYY-MM) and their total."""
    board = dashboard(agency_ids=[agency_id], by="month", date_from=start, date_to=end)
    return board.by_group, board.total


def _conditions(agency_id: int, start: dt.date, end: dt.date) -> tuple:
    return (
        PublicityRecord.agency_id == agency_id,
        PublicityRecord.decision_date >= start,
        PublicityRecord.decision_date <= end,
        PublicityRecord.timeliness.in_(FAILING),
    )


def standing_publicity_count(agency_id: int, start: dt.date, end: dt.date) -> int:
    """How many rows `standing_publicity_records` gives."""
    return db.session.execute(
        select(func.count()).select_from(PublicityRecord).where(*_conditions(agency_id, start, end))
    ).scalar_one()


def standing_publicity_records(
    agency_id: int, start: dt.date, end: dt.date, *, today: dt.date
) -> Iterator[StandingPublicityRecord]:
    """The period's records published late or overdue, by decision date."""
    stmt = (
        select(
            PublicityRecord.id,
            PublicityRecord.kind,
            PublicityRecord.decision_no,
            PublicityRecord.counterpart_name,
            PublicityRecord.decision_date,
            PublicityRecord.due_date,
            PublicityRecord.published_on,
            PublicityRecord.timeliness,
        )
        .where(*_conditions(agency_id, start, end))
        .order_by(PublicityRecord.decision_date, PublicityRecord.id)
        .execution_options(yield_per=STREAM)
    )
    result = db.session.execute(stmt)
    try:
        for rid, kind, number, name, decided, due, published, timeliness in result:
            until = published or today
            late = working_days_between(due, until) if until > due else 0
            yield StandingPublicityRecord(rid, kind, number, name, decided, due, published, timeliness, late)
    finally:
        result.close()
