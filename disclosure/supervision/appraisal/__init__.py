"""Supervision part: public appraisal (社会评议, issue 14 §4; 浙江 2016 circular §4(3); 条例 Art. 50(4)).

Two sources, aggregated per agency and period: the applicants' ratings of replies (kept by the applications package
and counted through its door) and an anonymous satisfaction survey on the public platform that each agency opens
or closes as a setting. The figures feed the dashboard (`figures/appraisal.py`) and the annual report of
governments (`appraisal_figures`, offered through the supervision door). Wired by the door through `init_app`.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.web import nav
from disclosure.web.templating import register_action_labels


def init_app(app: Flask) -> None:
    # import here: the supervision door imports `aggregate` for the annual report, which must not pull in the views
    from disclosure.supervision import scope  # noqa: PLC0415
    from disclosure.supervision.appraisal import aggregate, demo, operations, questions, views  # noqa: F401, PLC0415

    register_action_labels(app, {"appraisal.settings": _l("Satisfaction survey opened or closed")})
    nav.register(app, "staff", _l("Public appraisal"), "supervision.appraisal", roles=scope.DASHBOARD_ROLES, order=78)
    nav.register(
        app,
        "admin",
        _l("Satisfaction survey"),
        "supervision_admin.appraisal_settings",
        roles=[Role.AGENCY_ADMIN],
        order=72,
    )
    # The public platform's agency page links to the survey while it is open (catalog/public/platform.html).
    app.jinja_env.globals.update(
        appraisal_survey_open=operations.survey_open,
        appraisal_scale_label=questions.scale_label,
    )
    signals.demo_data.connect(demo.on_demo_data)
    signals.report_appraisal.connect(aggregate.report_sentence)
