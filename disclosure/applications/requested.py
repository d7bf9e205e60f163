"""The cases other packages may show by id (the catalogue lists the requests an entry was drafted from or
answered, 条例 Arts. 36(1) and 44): plain rows read through the package door, never the models themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from disclosure.applications.models import Application
from disclosure.extensions import db


@dataclass(frozen=True)
class RequestedCase:
    id: int
    reference: str | None
    state: str
    received_date: dt.date | None


def requested_cases(application_ids: Iterable[int]) -> list[RequestedCase]:
    """The cases with these ids, in id order (unknown ids are left out)."""
    ids = sorted({int(i) for i in application_ids})
    if not ids:
        return []
    rows = db.session.execute(
        select(Application.id, Application.reference, Application.state, Application.received_date)
        .where(Application.id.in_(ids))
        .order_by(Application.id)
    ).all()
    return [RequestedCase(*row) for row in rows]
