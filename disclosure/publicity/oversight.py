"""双公示 records as the competent department supervises them (条例 Art. 47; issue 14 §1): per-agency counts over a
list of agencies and a range of decision dates, and the ordered lists of the records a count counts.

The counts are the 双公示 dashboard's own (`stats.py`: the same sums over the same filters, grouped by agency), so
the supervision figures equal that dashboard's for the same agencies and dates (rules-china §5.1, 7 working days):
received = every record decided in the range; on time, late and overdue = the stored timeliness the operations
judge (`operations.records`: published by the due date or after it; `mark_overdue` each day for records still
pending past it); the on-time rate = on time / (on time + late + overdue), `stats.Row.on_time_rate`.

Overdue now is a state today, whatever the decision date: a record still pending (not published, not withheld)
whose due date has passed — what the daily `mark_overdue(today)` marks overdue.

The sums are also kept per agency and month of the decision by the database (`core.rollups`, `ROLLUPS`): a
period's whole months are read from there, its partial months from the records, exact at every commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import and_, func, literal, select

from disclosure.core import rollups
from disclosure.core.idlists import in_ids
from disclosure.extensions import db
from disclosure.publicity import stats
from disclosure.publicity.models import PublicityRecord, RecordStatus, Timeliness

RECORD_MEASURES = ("received", "on_time", "late", "judged", "overdue")
# A pending record is waiting or (once the daily sweep has run) marked overdue; published ones are judged.
_PENDING_TIMELINESS = (Timeliness.WAITING.value, Timeliness.OVERDUE.value)
_JUDGED = (Timeliness.ON_TIME.value, Timeliness.LATE.value, Timeliness.OVERDUE.value)


@dataclass(frozen=True)
class RecordLine:
    """One record behind a figure, with its staff page."""

    id: int
    agency_id: int
    kind: str
    decision_no: str
    counterpart_name: str
    decision_date: dt.date
    due_date: dt.date
    published_on: dt.date | None
    status: str
    timeliness: str
    on: dt.date | None  # the date that put it in the count
    url: str


def _ids(agency_ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in agency_ids})


def _overdue_now(today: dt.date):
    r = PublicityRecord
    pending = r.status == literal(RecordStatus.PENDING.value, literal_execute=True)  # the partial index's term
    return and_(pending, r.timeliness.in_(_PENDING_TIMELINESS), r.due_date < today)


def agency_rows(agency_ids: Iterable[int], start: dt.date, end: dt.date, *, live: bool = False) -> dict[int, stats.Row]:
    """The 双公示 dashboard's row (received, on time, late, overdue, …; `on_time_rate`) of each agency for the
    records decided between `start` and `end`: the whole months from the rollup, the rest from the records
    (`live`: all from the records, one grouped query)."""
    ids = _ids(agency_ids)
    if not ids:
        return {}
    if not live:

        def from_records(a: dt.date, b: dt.date) -> rollups.Counts:
            rows = agency_rows(ids, a, b, live=True)
            return {(agency, "", ""): [getattr(row, f) for f in ROW_FIELDS] for agency, row in rows.items()}

        counts = rollups.gather(ROLLUP_DECIDED, ids, start, end, from_records)
        return {agency: stats.Row(str(agency), *values) for (agency, _k1, _k2), values in counts.items()}
    rows = db.session.execute(
        select(PublicityRecord.agency_id, *stats._counts())  # the dashboard's own sums
        .where(*stats._filters(ids, None, start, end))
        .group_by(PublicityRecord.agency_id)
    ).all()
    return {int(a): stats.Row(str(a), *[int(v or 0) for v in vals]) for a, *vals in rows}


# The dashboard's sums (`stats._counts`) per agency and month of the decision, kept by the database (core.rollups).
ROLLUP_DECIDED = "publicity.decided"
ROW_FIELDS = ("received", "on_time", "late", "overdue", "waiting", "withheld", "withdrawn")


def _is(column: str, value: str) -> str:
    return f"CASE WHEN {{r}}.{column} = '{value}' THEN 1 ELSE 0 END"


ROLLUPS = rollups.Source(
    "publicity_records",
    (
        rollups.Part(
            ROLLUP_DECIDED,
            "{r}.agency_id",
            "{r}.decision_date",
            "1 = 1",
            sums=(
                _is("timeliness", Timeliness.ON_TIME.value),
                _is("timeliness", Timeliness.LATE.value),
                _is("timeliness", Timeliness.OVERDUE.value),
                _is("timeliness", Timeliness.WAITING.value),
                _is("status", RecordStatus.WITHHELD.value),
                _is("status", RecordStatus.WITHDRAWN.value),
            ),
        ),
    ),
    columns=("agency_id", "decision_date", "timeliness", "status"),
)
rollups.register(ROLLUPS)


def overdue_counts(agency_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    """Records still pending past their due date today, per agency: one grouped query."""
    ids = _ids(agency_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(PublicityRecord.agency_id, func.count())
        .where(in_ids(PublicityRecord.agency_id, ids), _overdue_now(today))
        .group_by(PublicityRecord.agency_id)
    ).all()
    return {int(a): int(n) for a, n in rows}


def records(
    agency_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    *,
    measure: str,
    limit: int | None = None,
    offset: int = 0,
) -> list[RecordLine]:
    """The records behind one count (`measure` of RECORD_MEASURES), by decision date (overdue: by due date), then
    by id."""
    if measure not in RECORD_MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    ids = _ids(agency_ids)
    if not ids:
        return []
    r = PublicityRecord
    if measure == "overdue":
        conds, on = [in_ids(r.agency_id, ids), _overdue_now(today)], r.due_date
    else:
        conds, on = stats._filters(ids, None, start, end), r.decision_date
        wanted = {"on_time": (Timeliness.ON_TIME.value,), "late": (Timeliness.LATE.value,), "judged": _JUDGED}
        if measure in wanted:
            conds.append(r.timeliness.in_(wanted[measure]))
    q = (
        select(
            r.id,
            r.agency_id,
            r.kind,
            r.decision_no,
            r.counterpart_name,
            r.decision_date,
            r.due_date,
            r.published_on,
            r.status,
            r.timeliness,
            on,
        )
        .where(*conds)
        .order_by(on, r.id)
        .offset(max(0, int(offset)))
    )
    if limit is not None:
        q = q.limit(max(0, int(limit)))
    return [RecordLine(*row, url=url_for("publicity.record", record_id=row[0])) for row in db.session.execute(q).all()]
