"""Calendar fixtures: a system administrator, and a recorder connected to `signals.calendar_changed`."""

from __future__ import annotations

import pytest

from disclosure.accounts.roles import Role
from disclosure.core import signals


@pytest.fixture
def sys_admin(make_agency, make_staff):
    return make_staff(make_agency(), roles=[Role.SYS_ADMIN])


@pytest.fixture
def recompute_calls():
    """Registers two callbacks (one taking the changed years, one taking nothing) and records their calls."""
    from disclosure.workdays import calendar

    calls: list = []

    def with_years(years):
        calls.append(("with_years", years, calendar.add_working_days(_D("2026-12-10"), 20)))
        return 3

    def without_args(_years):
        calls.append(("without_args", None, None))

    with signals.calendar_changed.connected_to(with_years), signals.calendar_changed.connected_to(without_args):
        yield calls


def _D(s):
    import datetime as dt

    return dt.date.fromisoformat(s)


@pytest.fixture
def app_ctx(app):
    """Like the shared fixture, inside a request context: translated DomainError messages need a locale, and
    `disclosure.web.i18n.select_locale` reads the request (see the report: it should fall back without one)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):  # messages asserted in English
        yield app
