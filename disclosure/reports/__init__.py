"""The annual report on government information disclosure (政府信息公开工作年度报告, 条例 Arts. 49–50; issue 13):
tables 2–4 computed from live data through the other packages' doors, the sections the office writes, the checks
of the official format, the workflow from draft to publication (frozen numbers and PDF), corrections as new
versions, the public platform's 年报 pages, PDF and XLSX in the official layout, due dates and reminders.

This module is the package's door: other packages import from `disclosure.reports` only.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.reports import cli, demo, dues, labels, oversight, views
from disclosure.reports.compute import compute
from disclosure.web import nav
from disclosure.web.templating import register_action_labels

# What other packages may import: the report's numbers; the reports due and the grid's blocks for supervision
# (`oversight`, issue 14).
__all__ = ["compute", "init_app", "oversight"]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.staff_bp)
    app.register_blueprint(views.public_bp)
    cli.init_app(app)
    nav.register(
        app, "staff", _l("Annual reports"), "reports.index", roles=[Role.REGISTRAR, Role.OFFICE_HEAD], order=60
    )
    nav.register(app, "admin", _l("Annual report settings"), "reports.settings", roles=[Role.AGENCY_ADMIN], order=70)
    signals.staff_warnings.connect(dues.overdue_warning)
    signals.demo_data.connect(demo.on_demo_data)  # a published report and a draft for the demo government
    # The platform's 政府信息公开年报 column links here (the catalogue's template asks whether this is registered).
    app.jinja_env.globals["annual_reports_endpoint"] = "reports_public.index"
    app.jinja_env.globals["report_state_label"] = labels.state_label
    register_action_labels(
        app,
        {
            "annual_report.started": _l("Annual report started"),
            "annual_report.sections_saved": _l("Annual report sections saved"),
            "annual_report.figures_saved": _l("Annual report figures saved"),
            "annual_report.submitted": _l("Annual report submitted"),
            "annual_report.approved": _l("Annual report approved"),
            "annual_report.returned": _l("Annual report returned"),
            "annual_report.published": _l("Annual report published"),
            "annual_report.superseded": _l("Annual report superseded by a correction"),
            "annual_report.correction_started": _l("Annual report correction started"),
            "report_settings.updated": _l("Annual report settings changed"),
        },
    )
