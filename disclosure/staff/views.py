"""The staff workbench home."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.core.outbox import OutboxMessage, OutboxState
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.web.nav import items_for

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
@staff_required()
def home():
    panels = signals.values_from(signals.staff_panels.send(current_user._get_current_object()))
    failed = 0
    if current_user.is_sys_admin or current_user.has_role(Role.AGENCY_ADMIN):
        q = db.select(db.func.count()).select_from(OutboxMessage).where(OutboxMessage.state == OutboxState.FAILED)
        if not current_user.is_sys_admin:
            q = q.where(OutboxMessage.agency_id == current_user.agency_id)
        failed = db.session.execute(q).scalar_one()
    return render_template(
        "staff/home.html",
        work=items_for(current_app, "staff"),
        admin=items_for(current_app, "admin"),
        panels=panels,
        failed_mail=failed,
    )
