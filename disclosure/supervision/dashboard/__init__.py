"""Supervision part: the dashboards (issue 14 §1; 条例 Art. 47) — the competent department's over every agency it
may see, one agency's, each number a link to the records it counts, with ECharts charts beside accessible tables.

It has no data of its own (no tables, no demo data): it composes the figures the areas register (`board.py`) and
shows them (`views.py`, templates in `templates/supervision/dashboard/`). Wired by the package door through
`init_app`."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.supervision import scope
from disclosure.supervision.dashboard import board, views
from disclosure.web import nav

__all__ = ["board", "init_app", "views"]


def init_app(app: Flask) -> None:
    nav.register(
        app, "staff", _l("Supervision dashboard"), "supervision.dashboard", roles=scope.DASHBOARD_ROLES, order=75
    )
