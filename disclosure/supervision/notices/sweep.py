"""The notices' daily sweep (issue 14 §3: late = not answered by its due date).

Each morning, for every notice waiting for an answer: the day before its due date (or on the day, if the sweep
missed the day before) the agency's office heads get a reminder; once the due date has passed, the round is marked
late and the office heads and the issuing supervisor are told. Each is a step of `workflows.supervision_notice`
(`remind`, `mark_late`, by the system), audited on the notice, at most once per round (`reminded`, `late`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision.notices import notify
from disclosure.supervision.notices.models import Notice, NoticeRound
from workflows.supervision_notice import SYSTEM, WORKFLOW, Facts, States, TransitionRefused


def _facts(r: NoticeRound, today: dt.date) -> Facts:
    return Facts(
        due_soon=today <= r.due_on <= today + dt.timedelta(days=1),
        past_due=r.due_on < today,
        reminded=r.reminded,
        marked_late=r.late,
    )


def _may(notice: Notice, trigger: str, facts: Facts) -> bool:
    try:
        WORKFLOW.fire(notice.state, trigger, facts, {SYSTEM})
    except TransitionRefused:
        return False
    return True


def run(today: dt.date | None = None, *, send_emails: bool = True) -> dict[str, int]:
    """Remind and mark late what is due. Flushes only; the caller (the periodic task, the command) commits."""
    today = today or today_china()
    stats = {"reminded": 0, "marked_late": 0, "emails": 0}
    notices = db.session.execute(
        select(Notice)
        .where(Notice.state == States.ISSUED.value, Notice.due_on <= today + dt.timedelta(days=1))
        .order_by(Notice.id)
    ).scalars()
    for notice in notices:
        current = notice.current_round
        facts = _facts(current, today)
        if _may(notice, "mark_late", facts):
            current.late = True
            notice.log(
                "supervision_notice.late",
                after={"round": current.number, "due_on": current.due_on, "late": True},
            )
            stats["marked_late"] += 1
            if send_emails:
                stats["emails"] += notify.send(
                    "late", notice, [*notify.office_heads(notice.agency_id), notice.issued_by], today=today
                )
        elif _may(notice, "remind", facts):
            current.reminded = True
            notice.log("supervision_notice.reminded", after={"round": current.number, "due_on": current.due_on})
            stats["reminded"] += 1
            if send_emails:
                stats["emails"] += notify.to_office_heads("reminder", notice, today=today)
    db.session.flush()
    return stats
