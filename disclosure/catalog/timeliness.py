"""条例 Art. 26: government information is published within 20 working days of being made or changed (the number
is the agency's setting `publish_due_days`); interpretations within N working days of their document (the setting
`interpretation_due_days`, default 3: 浙江 2016 circular §1(3) ⚠). Counted on the working-day calendar, the
start day excluded."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from disclosure.workdays import add_working_days, add_working_days_many


class Timeliness(enum.StrEnum):
    PENDING = "pending"  # not published yet, due date ahead
    DUE_SOON = "due_soon"  # not published yet, due within 5 working days
    OVERDUE = "overdue"  # not published yet, due date passed
    ON_TIME = "on_time"
    LATE = "late"


TIMELINESS_LABELS = {
    Timeliness.PENDING: _l("Not yet due"),
    Timeliness.DUE_SOON: _l("Due soon"),
    Timeliness.OVERDUE: lazy_pgettext("catalog", "Overdue"),
    Timeliness.ON_TIME: lazy_pgettext("catalog", "Published on time"),
    Timeliness.LATE: lazy_pgettext("catalog", "Published late"),
}

DUE_SOON_WORKING_DAYS = 5


def publish_due(made_or_changed: dt.date, days: int) -> dt.date:
    """The last day to publish (Art. 26)."""
    return add_working_days(made_or_changed, days).due


def publish_dues(starts, days: int) -> dict[dt.date, dt.date]:
    """`publish_due` of many dates at once, by date (the import dates thousands of rows on one calendar look-up)."""
    return {start: deadline.due for start, deadline in add_working_days_many(starts, days).items()}


def judge(due_on: dt.date | None, published_on: dt.date | None, today: dt.date) -> Timeliness | None:
    """On time / late once published; pending / due soon / overdue before."""
    if due_on is None:
        return None
    if published_on is not None:
        return Timeliness.ON_TIME if published_on <= due_on else Timeliness.LATE
    if today > due_on:
        return Timeliness.OVERDUE
    if add_working_days(today, DUE_SOON_WORKING_DAYS).due >= due_on:
        return Timeliness.DUE_SOON
    return Timeliness.PENDING
