"""Pages of disclosure on request, by audience (as `accounts/` splits its views):

- `applicant`: filing, my applications, answering a supplementation notice, withdrawing, rating (blueprint
  `applications`, /my/applications);
- `staff`: the workbench, candidates, registration, the case page and its documents, and `staff_actions`: the case
  page's actions (blueprint `applications_staff`, /staff/applications);
- `admin`: the agency's handling settings (on the staff blueprint);
- `ledger`: importing the office's request ledger (台账) with its template and progress page (on the staff blueprint);
- `provided`: the information provided, opened from the signed link in the reply email (blueprint
  `applications_files`, /provided-files);
- `common`: what they share.

Views parse, load, authorise and call one operation; the request boundary commits.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import APPLICANT_CATEGORY_LABELS, Role
from disclosure.applications import labels
from disclosure.applications.letters import EVENT_LETTERS
from disclosure.applications.views import admin, applicant, ledger, provided, staff, staff_actions
from disclosure.applications.views.applicant import bp
from disclosure.applications.views.common import CASE_ROLES
from disclosure.applications.views.provided import files_bp
from disclosure.applications.views.staff import staff_bp
from disclosure.core import signals
from disclosure.web import nav
from disclosure.web.templating import register_action_labels
from workflows.application import States

__all__ = [
    "admin",
    "applicant",
    "bp",
    "files_bp",
    "init_app",
    "ledger",
    "provided",
    "staff",
    "staff_actions",
    "staff_bp",
]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(files_bp)
    signals.letter_owner.connect(applicant._applicant_of, sender="application")
    signals.letter_owner.connect(applicant._applicant_of_event, sender=EVENT_LETTERS)
    signals.staff_panels.connect(staff._staff_panel)
    nav.register(app, "public", _l("Apply for information"), "applications.new", order=20)
    nav.register(app, "applicant", _l("My applications"), "applications.mine", order=10)
    nav.register(app, "staff", _l("Applications"), "applications_staff.index", roles=CASE_ROLES, order=10)
    nav.register(
        app,
        "staff",
        _l("Register an application"),
        "applications_staff.register",
        roles=[Role.REGISTRAR, Role.OFFICE_HEAD],
        order=11,
    )
    nav.register(
        app,
        "staff",
        _l("Import the request ledger"),
        "applications_staff.ledger_import",
        roles=ledger.IMPORTERS,
        order=13,
    )
    nav.register(
        app, "staff", _l("Proactive-disclosure candidates"), "applications_staff.candidates", roles=CASE_ROLES, order=12
    )
    nav.register(
        app,
        "admin",
        _l("Application handling settings"),
        "applications_staff.settings",
        roles=[Role.OFFICE_HEAD, Role.AGENCY_ADMIN],
        order=30,
    )
    register_action_labels(
        app,
        {f"application.{k}": v for k, v in {**labels.ACTION_LABELS, **labels.EVENT_LABELS}.items()},
    )
    app.jinja_env.globals.update(
        app_state_label=lambda s: labels.STATE_LABELS.get(States(s), s),
        staff_state_label=lambda s: labels.STAFF_STATE_LABELS.get(States(s), s),
        applicant_category_label=lambda c: APPLICANT_CATEGORY_LABELS.get(c, c),
        app_deadline_label=lambda s: labels.DEADLINE_LABELS.get(s, s),
        ATTACHMENT_LABELS=labels.ATTACHMENT_LABELS,
    )
