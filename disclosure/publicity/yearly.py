"""Decisions counted by year, for the annual report's table 2 (条例 Art. 20 items 5 and 6; issue 13): every
licensing and penalty decision the agency took in the year, published or not (withheld, withdrawn, expired records
were still decisions of that year). The report package reads these through the package door."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from disclosure.extensions import db
from disclosure.publicity.fields import Kind
from disclosure.publicity.models import PublicityRecord


@dataclass(frozen=True)
class DecisionRef:
    id: int
    kind: str
    decision_no: str
    decision_date: dt.date
    counterpart_name: str
    status: str


def decisions_by_kind(agency_id: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """{"licensing": n, "penalty": n}: decisions dated between `start` and `end` (one grouped query)."""
    rows = db.session.execute(
        select(PublicityRecord.kind, func.count())
        .where(
            PublicityRecord.agency_id == agency_id,
            PublicityRecord.decision_date >= start,
            PublicityRecord.decision_date <= end,
        )
        .group_by(PublicityRecord.kind)
    ).all()
    out = {k.value: 0 for k in Kind}
    out.update({kind: int(n) for kind, n in rows})
    return out


def decision_records(
    agency_id: int, start: dt.date, end: dt.date, kind: str, *, limit: int = 1000
) -> list[DecisionRef]:
    """The records behind one count of `decisions_by_kind`, in decision order."""
    rows = db.session.execute(
        select(
            PublicityRecord.id,
            PublicityRecord.kind,
            PublicityRecord.decision_no,
            PublicityRecord.decision_date,
            PublicityRecord.counterpart_name,
            PublicityRecord.status,
        )
        .where(
            PublicityRecord.agency_id == agency_id,
            PublicityRecord.kind == kind,
            PublicityRecord.decision_date >= start,
            PublicityRecord.decision_date <= end,
        )
        .order_by(PublicityRecord.decision_date, PublicityRecord.id)
        .limit(limit)
    ).all()
    return [DecisionRef(*r) for r in rows]
