"""The working-day calendar (rules-china §9): the one service every statutory deadline is computed with, the
administrators' calendar pages and notices, the staff deadline calculator and the `calendar` / `deadline`
commands."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.core import signals


def init_app(app: Flask) -> None:
    from disclosure.accounts.roles import Role
    from disclosure.web import nav
    from disclosure.workdays import cli, models, views  # noqa: F401  (models: tables for the migrations)
    from disclosure.workdays.banner import calendar_warnings

    app.register_blueprint(views.bp)
    cli.init_app(app)
    nav.register(app, "admin", _l("Working-day calendar"), "workdays.year", roles=[Role.SYS_ADMIN], order=60)
    nav.register(app, "staff", _l("Deadline calculator"), "workdays.calculator", order=90)
    signals.staff_warnings.connect(calendar_warnings)
    app.jinja_env.globals["calendar_warnings"] = calendar_warnings
