"""When the annual report is due (条例 Art. 49): a department's by 31 January, a county-level-or-above government's
by 31 March of the next year; no roll-over when the date falls on a weekend (proactive-china §1.6 ⚠). Reminders
go to the office heads every day from 1 December until the report is published; the workbench warns when overdue.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import Agency, User, UserRole
from disclosure.accounts.roles import Role
from disclosure.core import outbox
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.reports.models import AgencyKind, AnnualReport
from disclosure.reports.operations import settings_for
from workflows.report import States

DUE = {AgencyKind.DEPARTMENT.value: (1, 31), AgencyKind.GOVERNMENT.value: (3, 31)}


def due_date(agency_kind: str, year: int) -> dt.date:
    month, day = DUE[agency_kind]
    return dt.date(year + 1, month, day)


def pending_year(today: dt.date) -> int:
    """The report year being prepared: from 1 December the current year's, before that the previous year's."""
    return today.year if today.month == 12 else today.year - 1


def is_published(agency_id: int, year: int) -> bool:
    found = db.session.execute(
        select(AnnualReport.id)
        .where(
            AnnualReport.agency_id == agency_id,
            AnnualReport.year == year,
            AnnualReport.state.in_([States.PUBLISHED.value, States.SUPERSEDED.value]),
        )
        .limit(1)
    ).first()
    return found is not None


def status(agency_id: int, today: dt.date | None = None) -> tuple[int, dt.date, bool, bool]:
    """(report year, due date, published, overdue) for the agency today."""
    today = today or today_china()
    year = pending_year(today)
    due = due_date(settings_for(agency_id).agency_kind, year)
    published = is_published(agency_id, year)
    return year, due, published, (not published and today > due)


def overdue_warning(user) -> list:
    """signals.staff_warnings: the report office sees that the annual report is overdue."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "agency_id", None):
        return []
    if not user.has_role(Role.REGISTRAR, Role.OFFICE_HEAD):
        return []
    year, due, _published, overdue = status(user.agency_id)
    if not overdue:
        return []
    return [
        _l(
            "The %(year)s annual report on government information disclosure was due on %(due)s and is not "
            "published yet (Regulations Art. 49).",
            year=year,
            due=due.isoformat(),
        )
    ]


def send_reminders(today: dt.date | None = None) -> int:
    """Once a day from 1 December until the report is published: an email to each office head of the agency.
    Returns how many emails were queued. The caller commits."""
    today = today or today_china()
    year = pending_year(today)
    if today < dt.date(year, 12, 1):
        return 0
    sent = 0
    for agency in db.session.execute(select(Agency).where(Agency.active.is_(True)).order_by(Agency.id)).scalars():
        row = settings_for(agency.id)
        if row.reminded_on == today or is_published(agency.id, year):
            continue
        due = due_date(row.agency_kind, year)
        heads = db.session.execute(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.agency_id == agency.id, User.active.is_(True), UserRole.role == Role.OFFICE_HEAD.value)
            .order_by(User.id)
        ).scalars()
        for head in heads:
            outbox.enqueue_email(
                to=head.email,
                subject=f"{year}年政府信息公开工作年度报告：应于{due.year}年{due.month}月{due.day}日前公布",
                body_text=(
                    f"{head.name}：\n\n{agency.full_name}{year}年政府信息公开工作年度报告应于"
                    f"{due.year}年{due.month}月{due.day}日前公布（《中华人民共和国政府信息公开条例》第四十九条），"
                    f"目前尚未公布。\n\n{current_app.config.get('PUBLIC_BASE_URL', '').rstrip('/')}/staff/reports/\n"
                ),
                agency_id=agency.id,
                related=("annual_report", f"{agency.id}-{year}"),
            )
            sent += 1
        if row.id is None:
            db.session.add(row)
        row.reminded_on = today
        db.session.flush()
    return sent
