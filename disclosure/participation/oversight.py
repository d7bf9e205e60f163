"""What supervision counts in public participation (条例 Art. 47; issue 14 §1, consultations): per agency over a
list of agencies and a period (or today, for states now), each figure as one grouped count and as the ordered
list of the very records it counts, each with its staff page.

The counts follow `figures.participation_figures` (the annual report's narrative): a consultation is held in the
period it opened (Beijing time), a comment received on its `received_on` day (every channel, duplicates included),
feedback published when its answers became public (`answers_published_at`).

The adoption feedback's deadline (采纳情况): no national text fixes one (proactive-china §1.4 ⚠: 优化营商环境条例
Art. 62 asks for a feedback mechanism, 重大行政决策程序暂行条例 Art. 32 for publication with the decision). The
adoption status is government information formed when the comment period closes, so 条例 Art. 26 applies: it is
due `FEEDBACK_DUE_WORKING_DAYS` working days after the closing day (`closes_on`, extensions included), on the one
calendar, the closing day not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from disclosure.core.idlists import in_ids
from disclosure.core.timeutil import CHINA_TZ
from disclosure.extensions import db
from disclosure.participation.models import Comment, Consultation
from disclosure.participation.periods import china_date
from disclosure.workdays import add_working_days, add_working_days_many
from workflows.consultation import States

__all__ = [
    "FEEDBACK_DUE_WORKING_DAYS",
    "Record",
    "comment_counts",
    "comment_records",
    "feedback_counts",
    "feedback_due",
    "feedback_overdue_counts",
    "feedback_overdue_records",
    "feedback_records",
    "held_counts",
    "held_records",
]

FEEDBACK_DUE_WORKING_DAYS = 20  # 条例 Art. 26, applied to the adoption status from the close ⚠
# Closed, its feedback not yet public: the states in which feedback can be overdue (an open consultation whose
# end passed before the closing task ran counts too).
AWAITING_FEEDBACK = (
    States.OPEN.value,
    States.CLOSED.value,
    States.FEEDBACK_DRAFTED.value,
    States.FEEDBACK_APPROVED.value,
)
TIMELINESS = ("on_time", "late", "all")


@dataclass(frozen=True)
class Record:
    """One record behind a count, for a drill-down."""

    agency_id: int
    reference: str
    title: str
    on: dt.date | None
    url: str
    note: str = ""


def feedback_due(closes_on: dt.date) -> dt.date:
    """The last day to publish a consultation's adoption feedback."""
    return add_working_days(closes_on, FEEDBACK_DUE_WORKING_DAYS).due


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's Beijing days as a UTC range [from, to)."""
    since = dt.datetime.combine(start, dt.time(), CHINA_TZ).astimezone(dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), CHINA_TZ).astimezone(dt.UTC)
    return since, until


def _page(query, limit: int | None, offset: int):
    query = query.offset(offset)
    return query if limit is None else query.limit(limit)


def _grouped(query) -> dict[int, int]:
    return {agency_id: n for agency_id, n in db.session.execute(query).all()}


def _reference(c) -> str:
    return _("Consultation #%(id)d", id=c.id)


# --- Consultations held ------------------------------------------------------------------------------------------


def _held(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> list:
    since, until = _bounds(start, end)
    return [
        in_ids(Consultation.agency_id, agency_ids),
        Consultation.opened_at >= since,
        Consultation.opened_at < until,
    ]


def held_counts(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Consultations opened in the period (Beijing days), whatever became of them since."""
    if not agency_ids:
        return {}
    return _grouped(
        select(Consultation.agency_id, func.count())
        .where(*_held(agency_ids, start, end))
        .group_by(Consultation.agency_id)
    )


def held_records(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    if not agency_ids:
        return []
    rows = db.session.execute(
        _page(
            select(Consultation)
            .where(*_held(agency_ids, start, end))
            .order_by(Consultation.opened_at, Consultation.id),
            limit,
            offset,
        )
    ).scalars()
    return [
        Record(
            agency_id=c.agency_id,
            reference=_reference(c),
            title=c.title,
            on=china_date(c.opened_at),
            url=url_for("participation.detail", cid=c.id),
            note=_("Closes %(day)s", day=c.closes_on.isoformat()),
        )
        for c in rows
    ]


# --- Comments received -------------------------------------------------------------------------------------------


def _received(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> list:
    return [in_ids(Comment.agency_id, agency_ids), Comment.received_on.between(start, end)]


def comment_counts(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Comments received in the period by every channel (online, email, post, fax, at a hearing), duplicates
    included: each is a comment someone made."""
    if not agency_ids:
        return {}
    return _grouped(
        select(Comment.agency_id, func.count()).where(*_received(agency_ids, start, end)).group_by(Comment.agency_id)
    )


def comment_records(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    if not agency_ids:
        return []
    rows = db.session.execute(
        _page(
            select(Comment.id, Comment.agency_id, Comment.number, Comment.received_on, Comment.consultation_id)
            .add_columns(Consultation.title)
            .join(Consultation, Consultation.id == Comment.consultation_id)
            .where(*_received(agency_ids, start, end))
            .order_by(Comment.received_on, Comment.id),
            limit,
            offset,
        )
    ).all()
    return [
        Record(
            agency_id=r.agency_id,
            reference=r.number or f"#{r.id}",
            title=r.title,
            on=r.received_on,
            url=url_for("participation.moderate", cid=r.consultation_id, comment_id=r.id),
        )
        for r in rows
    ]


# --- Adoption feedback -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Published:
    agency_id: int
    id: int
    title: str
    on: dt.date
    due_on: dt.date

    @property
    def late(self) -> bool:
        return self.on > self.due_on


def _published(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> list[_Published]:
    """Consultations whose feedback (with every answer) became public in the period, each judged against its due
    date; few per period, so judged here on the calendar."""
    if not agency_ids:
        return []
    since, until = _bounds(start, end)
    rows = db.session.execute(
        select(Consultation.id, Consultation.agency_id, Consultation.title, Consultation.closes_on)
        .add_columns(Consultation.answers_published_at)
        .where(
            in_ids(Consultation.agency_id, agency_ids),
            Consultation.answers_published_at >= since,
            Consultation.answers_published_at < until,
        )
        .order_by(Consultation.answers_published_at, Consultation.id)
    ).all()
    dues = add_working_days_many({r.closes_on for r in rows}, FEEDBACK_DUE_WORKING_DAYS)
    return [
        _Published(r.agency_id, r.id, r.title, china_date(r.answers_published_at), dues[r.closes_on].due) for r in rows
    ]


def _pick(rows: list[_Published], which: str) -> list[_Published]:
    if which not in TIMELINESS:
        raise ValueError(which)
    return [r for r in rows if which == "all" or r.late == (which == "late")]


def feedback_counts(agency_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, dict[int, int]]:
    """Feedback published in the period: `{"all", "on_time", "late"}`, each `{agency: n}` — on time when published
    by `feedback_due` of the closing day."""
    out: dict[str, dict[int, int]] = {which: {} for which in TIMELINESS}
    for r in _published(agency_ids, start, end):
        for which in ("all", "late" if r.late else "on_time"):
            out[which][r.agency_id] = out[which].get(r.agency_id, 0) + 1
    return out


def feedback_records(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, which: str, limit: int | None = None, offset: int = 0
) -> list[Record]:
    picked = _pick(_published(agency_ids, start, end), which)
    picked = picked[offset:] if limit is None else picked[offset : offset + limit]
    return [
        Record(
            agency_id=r.agency_id,
            reference=_("Consultation #%(id)d", id=r.id),
            title=r.title,
            on=r.on,
            url=url_for("participation.detail", cid=r.id),
            note=_("Due %(day)s", day=r.due_on.isoformat()),
        )
        for r in picked
    ]


def feedback_cutoff(today: dt.date) -> dt.date:
    """The last closing day whose feedback is past due today (the due date grows with the closing day)."""
    day = today - dt.timedelta(days=1)
    while feedback_due(day) >= today:
        day -= dt.timedelta(days=1)
    return day


def _overdue(agency_ids: Sequence[int], today: dt.date) -> list:
    return [
        in_ids(Consultation.agency_id, agency_ids),
        Consultation.state.in_(AWAITING_FEEDBACK),
        Consultation.answers_published_at.is_(None),
        Consultation.closes_on <= feedback_cutoff(today),
    ]


def feedback_overdue_counts(agency_ids: Sequence[int], today: dt.date) -> dict[int, int]:
    """Consultations closed, not withdrawn, whose feedback is still unpublished past its due date today."""
    if not agency_ids:
        return {}
    return _grouped(
        select(Consultation.agency_id, func.count())
        .where(*_overdue(agency_ids, today))
        .group_by(Consultation.agency_id)
    )


def feedback_overdue_records(
    agency_ids: Sequence[int], today: dt.date, limit: int | None = None, offset: int = 0
) -> list[Record]:
    if not agency_ids:
        return []
    rows = db.session.execute(
        _page(
            select(Consultation.id, Consultation.agency_id, Consultation.title, Consultation.closes_on)
            .where(*_overdue(agency_ids, today))
            .order_by(Consultation.closes_on, Consultation.id),
            limit,
            offset,
        )
    ).all()
    return [
        Record(
            agency_id=r.agency_id,
            reference=_("Consultation #%(id)d", id=r.id),
            title=r.title,
            on=feedback_due(r.closes_on),
            url=url_for("participation.detail", cid=r.id),
            note=_("Closed %(day)s", day=r.closes_on.isoformat()),
        )
        for r in rows
    ]
