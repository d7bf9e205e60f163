"""The administrators' warning when this year or the next has no official holiday data (rules-china §9.3)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from disclosure.core.timeutil import today_china
from disclosure.workdays import calendar


def provisional_years() -> list[int]:
    """This year and the next, where neither a notice nor `chinesecalendar` gives the official days."""
    this = today_china().year
    return [y for y in (this, this + 1) if y <= calendar.LAST_YEAR and not calendar.year_status(y).official]


def calendar_warnings(user=None) -> list[str]:
    """Banners for system administrators (context-processor friendly: `calendar_warnings()`)."""
    user = user if user is not None else current_user
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False) and user.is_sys_admin):
        return []
    return [
        _(
            "The holiday arrangement for %(year)s has not been entered: deadlines that reach into %(year)s are "
            "provisional. Enter the State Council's notice under Working-day calendar.",
            year=y,
        )
        for y in provisional_years()
    ]
