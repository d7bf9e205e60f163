"""What the staff workspace of the catalogue declares once (`register`, called by the package's `init_app`): menu
entries, words for audit actions and codes, the workbench panel (Art. 26 queue), the hand-over of attachment text
extraction to the worker after each request's commit, and due dates following the calendar."""

from __future__ import annotations

from flask import Flask, request_finished, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from disclosure.accounts.roles import Role
from disclosure.catalog import history, sweep, tasks
from disclosure.catalog.models import Entry
from disclosure.catalog.views.common import ADMINS, READERS
from disclosure.catalog.views.staff import my_roles, waiting_condition
from disclosure.core import signals
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.web import nav
from disclosure.web.templating import register_action_labels


def staff_panel(user):
    """`signals.staff_panels`: the agency's entries overdue and due soon (Art. 26), and those waiting for me."""
    if user.agency_id is None or not user.has_role(*READERS):
        return None
    counts = sweep.due_counts(user.agency_id, today_china())
    waiting = db.session.execute(
        select(func.count()).select_from(Entry).where(waiting_condition(user.agency_id, my_roles(user)))
    ).scalar_one()
    return (
        _("Government information catalogue"),
        [
            (_("Overdue for publication (Art. 26)"), counts["overdue"], url_for("catalog.index", timeliness="overdue")),
            (_("Due for publication soon"), counts["due_soon"], url_for("catalog.index", timeliness="due_soon")),
            (_("Waiting for me"), waiting, url_for("catalog.index", mine="y")),
        ],
    )


def _after_request(sender, **_kwargs) -> None:
    """Flask's `request_finished` (after the boundary's commit): uploads that committed go to the worker."""
    tasks.dispatch_extractions()


def register(app: Flask) -> None:
    nav.register(app, "staff", _l("Government information catalogue"), "catalog.index", roles=READERS, order=30)
    nav.register(
        app,
        "staff",
        _l("New catalogue entry"),
        "catalog.new_entry",
        roles=[Role.CATALOG_EDITOR, Role.OFFICE_HEAD],
        order=31,
    )
    nav.register(app, "admin", _l("Catalogue settings"), "catalog_admin.settings", roles=ADMINS, order=61)
    nav.register(app, "admin", _l("Catalogue themes"), "catalog_admin.themes", roles=[Role.SYS_ADMIN], order=62)
    nav.register(app, "admin", _l("Catalogue genres"), "catalog_admin.genres", roles=[Role.SYS_ADMIN], order=63)
    register_action_labels(app, history.ACTION_LABELS)
    app.jinja_env.globals.update(history.template_globals())
    signals.staff_panels.connect(staff_panel)
    signals.calendar_changed.connect(sweep.recompute_after_calendar_change)
    request_finished.connect(_after_request, app)
