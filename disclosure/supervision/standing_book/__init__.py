"""Supervision part: the standing book (政务公开台账, issue 14 §2), generated from the live records per agency and
period as an XLSX with one sheet per area (`book`); a large one is built by the worker as a job (`jobs`, `models`).
The rows come from each package's door (`standing_rows`) with the conditions the dashboard's figures count by.
Wired by the package door through `init_app`; its page is `supervision.standing_book`
(/staff/supervision/standing-book?agency=<id>&<period>)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.supervision import scope
from disclosure.supervision.standing_book import jobs, models, views
from disclosure.web import nav
from disclosure.web.templating import register_action_labels

__all__ = ["init_app", "jobs", "models", "views"]

ACTION_WORDS = {
    "supervision.standing_book.start": _l("Standing book requested"),
    "supervision.standing_book.done": _l("Standing book ready"),
    "supervision.standing_book.failed": _l("Standing book failed"),
}


def init_app(app: Flask) -> None:
    register_action_labels(app, ACTION_WORDS)
    nav.register(app, "staff", _l("Standing book"), "supervision.standing_book", roles=scope.DASHBOARD_ROLES, order=82)
