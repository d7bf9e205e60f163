"""The consultations of an agency and period, one row each, for the supervision standing book (台账, issue 14 §2):
read here and exported through the door, so the supervision package never reads these tables itself.

The rows are the consultations the period touched: opened in it (held), with comments received in it, or with
their adoption feedback (采纳情况) published in it. Each carries what the supervision figures count, by the
conditions of `oversight` (the dashboard's counts): the day it opened (Beijing time), the comments received in the
period (every channel, duplicates included) beside all its comments, and its feedback judged against
`oversight.feedback_due` (20 working days after the closing day, ⚠ see there), or overdue when still unpublished
past that day. Rows are streamed (`yield_per`); the comments are counted in the same statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from disclosure.extensions import db
from disclosure.participation.models import Comment, Consultation, ConsultationKind
from disclosure.participation.oversight import AWAITING_FEEDBACK, _bounds, feedback_due
from disclosure.participation.periods import china_date

STREAM = 1000


@dataclass(frozen=True)
class StandingConsultation:
    id: int
    title: str
    kind_name: str  # the kind's Chinese name (重大行政决策, 规章草案, …)
    state: str
    opened_on: dt.date | None  # None: never opened (a withdrawn draft cannot be a row; kept for safety)
    closes_on: dt.date
    held_in_period: bool  # opened in the period
    comments: int  # every comment received on it (every channel, duplicates included)
    comments_in_period: int  # of which received in the period
    feedback_on: dt.date | None  # the day its adoption feedback and answers became public (Beijing)
    feedback_due: dt.date
    feedback_in_period: bool
    on_time: bool | None  # feedback published by its due date; None while unpublished
    overdue_now: bool  # awaiting its feedback past the due date today


def _scope(agency_id: int, start: dt.date, end: dt.date) -> tuple:
    since, until = _bounds(start, end)
    commented = select(Comment.consultation_id).where(
        Comment.agency_id == agency_id, Comment.received_on >= start, Comment.received_on <= end
    )
    return (
        Consultation.agency_id == agency_id,
        or_(
            and_(Consultation.opened_at >= since, Consultation.opened_at < until),
            and_(Consultation.answers_published_at >= since, Consultation.answers_published_at < until),
            Consultation.id.in_(commented),
        ),
    )


def standing_consultation_count(agency_id: int, start: dt.date, end: dt.date) -> int:
    """How many rows `standing_consultations` gives (one count query)."""
    return db.session.execute(
        select(func.count()).select_from(Consultation).where(*_scope(agency_id, start, end))
    ).scalar_one()


def standing_consultations(
    agency_id: int, start: dt.date, end: dt.date, *, today: dt.date
) -> Iterator[StandingConsultation]:
    """The period's consultations in the order they opened."""
    since, until = _bounds(start, end)
    total = select(func.count(Comment.id)).where(Comment.consultation_id == Consultation.id).scalar_subquery()
    in_period = (
        select(func.count(Comment.id))
        .where(Comment.consultation_id == Consultation.id, Comment.received_on >= start, Comment.received_on <= end)
        .scalar_subquery()
    )
    stmt = (
        select(
            Consultation.id,
            Consultation.title,
            ConsultationKind.name_zh,
            Consultation.state,
            Consultation.opened_at,
            Consultation.closes_on,
            total,
            in_period,
            Consultation.answers_published_at,
        )
        .join(ConsultationKind, ConsultationKind.id == Consultation.kind_id)
        .where(*_scope(agency_id, start, end))
        .order_by(Consultation.opened_at, Consultation.id)
        .execution_options(yield_per=STREAM)
    )
    dues: dict[dt.date, dt.date] = {}
    result = db.session.execute(stmt)
    try:
        for cid, title, kind, state, opened_at, closes_on, n, n_period, published_at in result:
            if closes_on not in dues:
                dues[closes_on] = feedback_due(closes_on)
            due = dues[closes_on]
            feedback_on = china_date(published_at) if published_at is not None else None
            yield StandingConsultation(
                id=cid,
                title=title,
                kind_name=kind,
                state=state,
                opened_on=china_date(opened_at) if opened_at is not None else None,
                closes_on=closes_on,
                held_in_period=opened_at is not None and since <= opened_at < until,
                comments=int(n or 0),
                comments_in_period=int(n_period or 0),
                feedback_on=feedback_on,
                feedback_due=due,
                feedback_in_period=published_at is not None and since <= published_at < until,
                on_time=None if feedback_on is None else feedback_on <= due,
                overdue_now=feedback_on is None and state in AWAITING_FEEDBACK and today > due,
            )
    finally:
        result.close()
