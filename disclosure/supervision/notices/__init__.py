"""Supervision part: notices (督办, 条例 Art. 47; issue 14 §3). A supervisor issues a notice to an agency they
supervise about specific items (its current problems as the figures registry counts them, or free-text matters)
with a due date; the agency's office head answers with what was done; the supervisor closes or reissues it, or
withdraws it before it is answered; a daily sweep reminds and marks late. Every step is audited on the notice and
emailed through the outbox. The state machine is `workflows/supervision_notice.py`; the figures are
`supervision/figures/notices.py`. Wired by the package door through `init_app`."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.supervision.notices import cli, demo, models, tasks, views, workbench  # noqa: F401  (views attach)
from disclosure.supervision.notices.forms import ACTION_WORDS, state_label
from disclosure.web import nav
from disclosure.web.templating import register_action_labels

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    cli.init_app(app)
    signals.staff_panels.connect(workbench.staff_panel)
    signals.staff_warnings.connect(workbench.late_warning)
    signals.demo_data.connect(demo.on_demo_data)
    register_action_labels(app, ACTION_WORDS)
    app.jinja_env.globals["supervision_notice_state"] = state_label
    nav.register(
        app, "staff", _l("Supervision notices issued"), "supervision.notices", roles=[Role.SUPERVISOR], order=82
    )
    nav.register(
        app,
        "staff",
        _l("Supervision notices received"),
        "supervision.notices_received",
        roles=[Role.OFFICE_HEAD, Role.AGENCY_ADMIN],
        order=83,
    )
