"""双公示 (double publicity): matter catalogues, responsibility forms, licensing and penalty records entered by
form, file or API, published within 7 working days, searched by the public, supervised and exported
(rules-china §5, issue 5)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.publicity import api, cli, demo, models, oversight, standing_rows, views
from disclosure.publicity.operations import recompute_due_dates
from disclosure.publicity.rules import code_text, display_date, long_term_date
from disclosure.publicity.yearly import DecisionRef, decision_records, decisions_by_kind
from disclosure.web import nav

# What other packages may import: the decisions of a year for the annual report's table 2 (issue 13); the
# per-agency figures of the 双公示 dashboard and the records behind them for supervision (`oversight`, issue 14).
__all__ = ["DecisionRef", "decision_records", "decisions_by_kind", "init_app", "oversight", "standing_rows"]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.staff_bp)
    app.register_blueprint(views.public_bp)
    app.register_blueprint(views.admin_bp)
    api.init_app(app)
    cli.init_app(app)
    signals.demo_data.connect(_load_demo)
    signals.calendar_changed.connect(_recompute)

    app.jinja_env.filters["pubdate"] = display_date  # dates as pages show them (长期 from the setting)
    app.jinja_env.globals["long_term_date"] = long_term_date
    app.jinja_env.globals["publicity_code_text"] = code_text  # code values in the reader's language
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        models.declare_postgres_search_index()
    nav.register(app, "public", _l("Licensing and penalties"), "publicity_public.search", order=40)
    clerks = [Role.PUBLICITY_CLERK, Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN]
    nav.register(app, "staff", _l("Double publicity records"), "publicity.records", roles=clerks, order=50)
    nav.register(
        app,
        "staff",
        _l("Import licensing/penalty files"),
        "publicity.imports",
        roles=[Role.PUBLICITY_CLERK, Role.AGENCY_ADMIN],
        order=51,
    )
    nav.register(
        app,
        "staff",
        _l("Matter catalogue"),
        "publicity.matters",
        roles=[*clerks, Role.SECRECY_REVIEWER, Role.CATALOG_EDITOR],
        order=52,
    )
    nav.register(
        app,
        "staff",
        _l("Publicity supervision"),
        "publicity.dashboard",
        roles=[Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN],
        order=53,
    )
    nav.register(
        app,
        "staff",
        _l("Deciding organs we publish for"),
        "publicity.organs",
        roles=[Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN],
        order=54,
    )
    nav.register(
        app,
        "admin",
        _l("Publicity code lists and periods"),
        "publicity_admin.settings",
        roles=[Role.SYS_ADMIN],
        order=65,
    )


def _load_demo(app, *, objects) -> None:
    demo.load(objects)


def _recompute(years):
    """Provisional due dates move when the calendar of their year is published (signals.calendar_changed)."""

    since = dt.date(min(years), 1, 1) - dt.timedelta(days=40) if years else None
    return recompute_due_dates(since)
