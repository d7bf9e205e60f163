"""The notices on the staff workbench: a panel of the notices to answer (the agency's office head and
administrator) or to review (the supervisor), and a banner on every staff page while a notice of the agency is
late (`signals.staff_panels`, `signals.staff_warnings`)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision import scope
from disclosure.supervision.notices.access import AGENCY_ROLES, issued_condition
from disclosure.supervision.notices.models import Notice
from workflows.supervision_notice import States


def _count(*conditions) -> int:
    return db.session.execute(select(func.count(Notice.id)).where(*conditions)).scalar_one()


def staff_panel(user):
    """`signals.staff_panels`: the agency's notices to answer (and how many are late) and those answered, for its
    office heads and administrators; the answers to review and the late notices, for a supervisor."""
    if not getattr(user, "is_staff", False):
        return None
    today = today_china()
    rows = []
    if user.agency_id is not None and user.has_role(*AGENCY_ROLES):
        mine = Notice.agency_id == user.agency_id
        received = "supervision.notices_received"
        rows += [
            (
                _("Notices to answer"),
                _count(mine, Notice.state == States.ISSUED.value),
                url_for(received, state="issued"),
            ),
            (
                _("Notices to answer, past their due date"),
                _count(mine, Notice.state == States.ISSUED.value, Notice.due_on < today),
                url_for(received, late="1"),
            ),
            (
                _("Answered, waiting for the supervisor"),
                _count(mine, Notice.state == States.ANSWERED.value),
                url_for(received, state="answered"),
            ),
        ]
    if scope.is_supervisor(user) and user.agency_id is not None:
        issued = issued_condition(user)
        rows += [
            (
                _("Answers to review"),
                _count(issued, Notice.state == States.ANSWERED.value),
                url_for("supervision.notices", state="answered"),
            ),
            (
                _("Notices issued, not answered by their due date"),
                _count(issued, Notice.state == States.ISSUED.value, Notice.due_on < today),
                url_for("supervision.notices", late="1"),
            ),
        ]
    if not rows:
        return None
    return _("Supervision notices"), rows


def late_warning(user) -> list:
    """`signals.staff_warnings`: the agency's office heads and administrators see that a notice is late."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff", False):
        return []
    if user.agency_id is None or not user.has_role(*AGENCY_ROLES):
        return []
    late = _count(
        Notice.agency_id == user.agency_id, Notice.state == States.ISSUED.value, Notice.due_on < today_china()
    )
    if not late:
        return []
    return [
        ngettext(
            "%(num)d supervision notice to your agency is past its due date without an answer.",
            "%(num)d supervision notices to your agency are past their due date without an answer.",
            late,
        )
    ]
