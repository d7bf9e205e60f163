"""The working-day calendar (rules-china §9): the one calendar every statutory deadline is computed with, the
administrators' calendar pages and notices, the staff deadline calculator and the `calendar` / `deadline`
commands.

This module is the package's door: other packages import from `disclosure.workdays`, never from its modules.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.web import nav
from disclosure.workdays import cli, views
from disclosure.workdays.banner import calendar_warnings
from disclosure.workdays.calendar import (
    Deadline,
    add_working_days,
    add_working_days_many,
    is_working_day,
    working_days_between,
)

__all__ = [
    "Deadline",
    "add_working_days",
    "add_working_days_many",
    "init_app",
    "is_working_day",
    "working_days_between",
]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    cli.init_app(app)
    nav.register(app, "admin", _l("Working-day calendar"), "workdays.year", roles=[Role.SYS_ADMIN], order=60)
    nav.register(app, "staff", _l("Deadline calculator"), "workdays.calculator", order=90)
    signals.staff_warnings.connect(calendar_warnings)
    app.jinja_env.globals["calendar_warnings"] = calendar_warnings
