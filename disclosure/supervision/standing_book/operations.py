"""The standing book's one change: starting a book too large for the request as a job the worker builds (issue 14
§2). Flushes only; the request boundary commits."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import Agency, User
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.supervision.periods import Period
from disclosure.supervision.standing_book import book
from disclosure.supervision.standing_book.models import StandingBookJob


def start_book(agency: Agency, period: Period, user: User | None, *, today: dt.date) -> StandingBookJob:
    """Queue the agency's standing book for the period (the caller has checked that `user` may see the agency).
    The worker builds it (`jobs.run_standing_book`); its page shows the progress and offers the file."""
    total = book.count_rows(agency, period, today=today)
    if total > book.max_rows():
        raise DomainError(
            _l("The book would hold more than %(n)d rows: choose a shorter period.", n=book.max_rows()),
            field="period",
        )
    job = StandingBookJob(
        agency_id=agency.id,
        period_kind=period.kind.value,
        start=period.start,
        end=period.end,
        total_rows=total,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(job)
    db.session.flush()
    job.log(
        "supervision.standing_book.start",
        after={"period": period.zh_label, "start": period.start, "end": period.end, "rows": total},
        actor=user,
    )
    from disclosure.supervision.standing_book.jobs import run_standing_book  # noqa: PLC0415 - the worker's task

    run_standing_book(job.id)
    return job
