"""The daily deadline sweep: recompute every open case's deadline, mark due-soon and overdue cases, and email
the people responsible each working morning (条例 Art. 33; the calendar's holiday notices can move dates).

Built for 100,000 open cases: the cases and their events are read in two set queries, deadlines are computed
in memory with the calendar's array tables, and only changed rows are written, skipping any row changed since
the read, so a case someone edited meanwhile is left for the next run (and that edit is never overwritten).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from disclosure.accounts.models import User, UserRole
from disclosure.accounts.roles import Role
from disclosure.applications import deadlines
from disclosure.applications.models import AgencyApplicationSettings, Application, CaseEvent, DeadlineStatus, EventKind
from disclosure.core.outbox import enqueue_email
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.workdays import is_working_day
from workflows.application import OPEN_STATES, States

CHUNK = 5000
DIGEST_ROWS = 100


def _settings() -> dict[int, AgencyApplicationSettings]:
    return {s.agency_id: s for s in db.session.execute(select(AgencyApplicationSettings)).scalars()}


def _status(plan: deadlines.DeadlinePlan, today: dt.date, soon_days: int, left: dict) -> str:
    if plan.due is None:
        return DeadlineStatus.NONE
    if not plan.running or plan.paused:
        return DeadlineStatus.PAUSED
    if today > plan.due:
        return DeadlineStatus.OVERDUE
    if plan.due not in left:
        left[plan.due] = deadlines.working_days_left(plan.due, today)
    if left[plan.due] <= soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.OK


def recompute_after_calendar_change(years) -> int:
    """`signals.calendar_changed`: an administrator entered a year's holiday notice, so every open deadline is
    recomputed. Returns how many changed."""
    return recompute_open()["changed"]


def recompute_open(today: dt.date | None = None, agency_id: int | None = None) -> dict[str, int]:
    """Recompute deadlines and statuses of all open cases. Flushes only; the caller commits."""
    today = today or today_china()
    settings = _settings()
    open_states = [s.value for s in OPEN_STATES]
    q = (
        select(
            Application.id,
            Application.agency_id,
            Application.state,
            Application.received_date,
            Application.due_date,
            Application.due_provisional,
            Application.deadline_status,
            Application.version,
        )
        .where(Application.state.in_(open_states))
        .order_by(Application.id)
    )
    if agency_id is not None:
        q = q.where(Application.agency_id == agency_id)
    read_at = utcnow()
    rows = db.session.execute(q).all()
    # The events of every open case in one joined query (an IN list of thousands of ids costs more to build
    # and send than the rows it reads).
    ev_q = (
        select(CaseEvent.application_id, CaseEvent.kind, CaseEvent.start_date, CaseEvent.end_date, CaseEvent.days)
        .join(Application, Application.id == CaseEvent.application_id)
        .where(Application.state.in_(open_states))
        .order_by(CaseEvent.id)
    )
    if agency_id is not None:
        ev_q = ev_q.where(Application.agency_id == agency_id)
    events: dict[int, list] = defaultdict(list)
    for ev in db.session.execute(ev_q):
        events[ev.application_id].append(deadlines.EventFact(ev.kind, ev.start_date, ev.end_date, ev.days))
    stats = {"open": len(rows), "changed": 0, "overdue": 0, "due_soon": 0}
    # Many cases share a received date and have no events: compute each distinct situation once.
    plans: dict[tuple, deadlines.DeadlinePlan] = {}
    left: dict[dt.date, int] = {}
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        changes = []
        for r in chunk:
            s = settings.get(r.agency_id)
            key = (
                r.received_date,
                tuple(events.get(r.id, ())),
                s.fee_wait_pauses_clock if s else True,
                r.state == States.SUPPLEMENTATION_REQUESTED,
            )
            plan = plans.get(key)
            if plan is None:
                plan = plans[key] = deadlines.compute(
                    key[0], key[1], fee_wait_pauses=key[2], today=today, waiting_for_supplement=key[3]
                )
            status = _status(plan, today, s.due_soon_days if s else 5, left)
            stats["overdue"] += status == DeadlineStatus.OVERDUE
            stats["due_soon"] += status == DeadlineStatus.DUE_SOON
            if (plan.due, plan.provisional, status) != (r.due_date, r.due_provisional, r.deadline_status):
                changes.append(
                    {
                        "b_id": r.id,
                        "b_version": r.version,
                        "due_date": plan.due,
                        "due_provisional": plan.provisional,
                        "deadline_status": status,
                        "deadline_checked_on": today,
                    }
                )
        if changes:
            _write(changes, read_at)
            stats["changed"] += len(changes)
    return stats


def _write(changes: list[dict], read_at: dt.datetime) -> None:
    """One UPDATE per distinct (due date, provisional, status) and chunk of ids, skipping any case changed
    since the sweep read it (`updated_at` later than the read): someone's edit is never overwritten and that
    case is left for the next run. Neither the version nor `updated_at` moves (a recomputation is not an
    edit), so no one's open form becomes stale because of the sweep."""
    t = Application.__table__
    groups: dict[tuple, list[int]] = defaultdict(list)
    for c in changes:
        groups[(c["due_date"], c["due_provisional"], c["deadline_status"])].append(c["b_id"])
    checked_on = changes[0]["deadline_checked_on"]
    for (due, provisional, status), ids in groups.items():
        for k in range(0, len(ids), 1000):
            db.session.execute(
                update(t)
                .where(t.c.id.in_(ids[k : k + 1000]), t.c.updated_at <= read_at)
                .values(
                    due_date=due,
                    due_provisional=provisional,
                    deadline_status=status,
                    deadline_checked_on=checked_on,
                    updated_at=t.c.updated_at,
                )
            )


def morning_emails(today: dt.date | None = None) -> int:
    """One digest per responsible person: handlers get their due-soon and overdue cases; registrars and office
    heads get their agency's overdue and unassigned due-soon cases. Sent only on working days."""
    today = today or today_china()
    if not is_working_day(today):
        return 0
    flagged = db.session.execute(
        select(
            Application.id,
            Application.agency_id,
            Application.reference,
            Application.handler_id,
            Application.due_date,
            Application.deadline_status,
            Application.applicant_name,
        )
        .where(
            Application.deadline_status.in_([DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE]),
            Application.state.in_([s.value for s in OPEN_STATES]),
        )
        .order_by(Application.due_date)
    ).all()
    per_user: dict[int, list] = defaultdict(list)
    by_agency: dict[int, list] = defaultdict(list)
    for row in flagged:
        if row.handler_id:
            per_user[row.handler_id].append(row)
        if row.deadline_status == DeadlineStatus.OVERDUE or not row.handler_id:
            by_agency[row.agency_id].append(row)
    notices = notice_window_closing(today)
    notices_by_agency: dict[int, list] = defaultdict(list)
    for row, _due in notices:
        notices_by_agency[row.agency_id].append((row, _due))
        by_agency.setdefault(row.agency_id, [])
    if by_agency:
        supervisors = (
            db.session.execute(
                select(User)
                .join(UserRole, UserRole.user_id == User.id)
                .where(
                    User.agency_id.in_(list(by_agency)),
                    User.active.is_(True),
                    UserRole.role.in_([Role.OFFICE_HEAD.value, Role.REGISTRAR.value]),
                )
            )
            .scalars()
            .unique()
            .all()
        )
        for u in supervisors:
            mine = {r.id for r in per_user[u.id]}
            per_user[u.id].extend(r for r in by_agency[u.agency_id] if r.id not in mine)
        supervisor_ids = {u.id for u in supervisors}
        for u in supervisors:
            per_user.setdefault(u.id, [])
    else:
        supervisor_ids = set()
    if not per_user:
        return 0
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(list(per_user)))).scalars()}
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    sent = 0
    for uid, rows in per_user.items():
        user = users.get(uid)
        if user is None or not user.active:
            continue
        rows = sorted(rows, key=lambda r: r.due_date or today)
        window = notices_by_agency.get(user.agency_id, []) if uid in supervisor_ids else []
        if not rows and not window:
            continue
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = render_template("emails/applications/digest.subject.txt", rows=rows + window, today=today).strip()
            # The most urgent ones are listed; the workbench's overdue queue has the rest.
            body = render_template(
                "emails/applications/digest.txt",
                user=user,
                rows=rows[:DIGEST_ROWS],
                more=max(0, len(rows) - DIGEST_ROWS),
                notices=window[:DIGEST_ROWS],
                today=today,
                base_url=base,
                # translated once per email rather than once per listed case
                words={"due": _("due on"), "overdue": _("OVERDUE"), "due_soon": _("due soon"), "last": _("last day")},
            )
        enqueue_email(
            to=user.email, subject=subject, body_text=body, agency_id=user.agency_id, related=("user", user.id)
        )
        sent += 1
    return sent


def notice_window_closing(today: dt.date, within: int = 2) -> list[tuple]:
    """Received cases without a supplementation notice whose Art. 30 window (7 working days after receipt)
    closes within `within` working days: the registrars are warned before it is too late."""
    rows = db.session.execute(
        select(
            Application.id,
            Application.agency_id,
            Application.reference,
            Application.received_date,
            Application.applicant_name,
        ).where(
            Application.state == States.REGISTERED,
            Application.received_date.is_not(None),
            Application.received_date >= today - dt.timedelta(days=20),
        )
    ).all()
    due_for: dict[dt.date, dt.date] = {}
    out = []
    for r in rows:
        if r.received_date not in due_for:
            due_for[r.received_date] = deadlines.supplement_notice_due(r.received_date)
        due = due_for[r.received_date]
        if today <= due and deadlines.working_days_left(due, today) <= within:
            out.append((r, due))
    if out:
        sent = set(
            db.session.execute(
                select(CaseEvent.application_id).where(
                    CaseEvent.kind == EventKind.SUPPLEMENT_REQUEST,
                    CaseEvent.application_id.in_([r.id for r, _d in out]),
                )
            ).scalars()
        )
        out = [(r, d) for r, d in out if r.id not in sent]
    return out


def run(today: dt.date | None = None, *, send_emails: bool = True) -> dict[str, int]:
    stats = recompute_open(today)
    if send_emails:
        stats["emails"] = morning_emails(today)
    return stats
