"""Figures for the annual report's narrative (issue 12 §3): one function the reports package calls."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from disclosure.core.timeutil import CHINA_TZ
from disclosure.extensions import db
from disclosure.participation.models import Comment, CommentGroup, Consultation, HearingEvent, Result


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, 1, 1, tzinfo=CHINA_TZ).astimezone(dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=CHINA_TZ).astimezone(dt.UTC)
    return start, end


def participation_figures(agency_id: int, year: int) -> dict:
    """Consultations held (opened in the year), comments received in the year (every channel), their results once
    published, feedback reports published, and hearings or symposia held."""
    start, end = _year_bounds(year)
    held = db.session.execute(
        select(func.count(Consultation.id)).where(
            Consultation.agency_id == agency_id, Consultation.opened_at >= start, Consultation.opened_at < end
        )
    ).scalar_one()
    received = db.session.execute(
        select(func.count(Comment.id)).where(
            Comment.agency_id == agency_id,
            Comment.received_on >= dt.date(year, 1, 1),
            Comment.received_on <= dt.date(year, 12, 31),
        )
    ).scalar_one()
    result = func.coalesce(func.nullif(CommentGroup.result, ""), Comment.result)
    by_result = dict(
        db.session.execute(
            select(result, func.count(Comment.id))
            .select_from(Comment)
            .join(Consultation, Consultation.id == Comment.consultation_id)
            .outerjoin(CommentGroup, CommentGroup.id == Comment.group_id)
            .where(
                Comment.agency_id == agency_id,
                Comment.duplicate_of_id.is_(None),
                Consultation.answers_published_at >= start,
                Consultation.answers_published_at < end,
            )
            .group_by(result)
        ).all()
    )
    feedback = db.session.execute(
        select(func.count(Consultation.id)).where(
            Consultation.agency_id == agency_id,
            Consultation.answers_published_at >= start,
            Consultation.answers_published_at < end,
        )
    ).scalar_one()
    hearings = db.session.execute(
        select(func.count(HearingEvent.id))
        .join(Consultation, Consultation.id == HearingEvent.consultation_id)
        .where(Consultation.agency_id == agency_id, HearingEvent.starts_at >= start, HearingEvent.starts_at < end)
    ).scalar_one()
    return {
        "year": year,
        "consultations_held": held,
        "comments_received": received,
        "adopted": by_result.get(Result.ADOPTED.value, 0),
        "partly_adopted": by_result.get(Result.PARTLY.value, 0),
        "not_adopted": by_result.get(Result.NOT_ADOPTED.value, 0),
        "explained": by_result.get(Result.EXPLAINED.value, 0),
        "feedback_published": feedback,
        "hearings_held": hearings,
    }
