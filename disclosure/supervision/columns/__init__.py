"""Supervision part: column-update monitoring (栏目更新; issue 14 §1; proactive-china §1.7, §2.8). Each catalogue
column (a statutory category) has an update class and a maximum gap, overridable per agency by its supervisor;
the monitor reads when each column was last updated (`disclosure.catalog.last_updates`), flags the late and blank
ones, and applies the site-level single-veto thresholds of 国办秘函〔2019〕19号. Wired by the package door through
`init_app`; its figures are in `disclosure/supervision/figures/columns.py`."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.supervision import scope
from disclosure.supervision.columns import demo, models, views
from disclosure.web import nav
from disclosure.web.templating import register_action_labels

__all__ = ["init_app", "models"]

ACTION_WORDS = {
    "supervision.columns.agency": _l("Column update settings changed"),
    "supervision.columns.defaults": _l("Default column update settings changed"),
}


def init_app(app: Flask) -> None:
    register_action_labels(app, ACTION_WORDS)
    app.jinja_env.globals.update(views.template_globals())
    nav.register(app, "staff", _l("Column updates"), "supervision.columns", roles=scope.DASHBOARD_ROLES, order=81)
    nav.register(
        app,
        "admin",
        _l("Column update defaults"),
        "supervision_admin.column_defaults",
        roles=[Role.SYS_ADMIN],
        order=81,
    )
    signals.demo_data.connect(demo.on_demo_data)
