"""Public appraisal's tables (社会评议, issue 14 §4): each agency's survey setting and the anonymous survey
responses with their answers.

A response keeps no account, no name, no contact and no address: only the Beijing day it came in and a salted hash
of the sender's address with that day and the agency (`client_hash`), which lets the survey refuse a flood from one
address within a day and links nothing across days or agencies. It keeps no time of day either (a time beside a web
server's log would name the sender)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.core.audit import Audited
from disclosure.extensions import db


class AppraisalSettings(Audited, db.Model):
    """One agency's survey setting: whether its satisfaction survey is open on the public platform. Changed by the
    agency's administrator; audited in the agency's log."""

    __tablename__ = "supervision_appraisal_settings"
    audit_type = "appraisal_settings"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    survey_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)

    @property
    def audit_object_id(self) -> int:
        return self.agency_id


class SurveyResponse(db.Model):
    """One anonymous answer to an agency's satisfaction survey: the overall score (1–5, required), the aspects
    answered (`answers`) and an optional comment that staff read and the public never sees."""

    __tablename__ = "supervision_survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    submitted_on: Mapped[dt.date] = mapped_column(Date, nullable=False)  # Beijing day
    overall: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    client_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # The form's one-time key: the same form sent twice (a double click, a reload) is one response.
    submission_key: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyAnswer.question"
    )

    __table_args__ = (
        CheckConstraint("overall BETWEEN 1 AND 5", name="overall_scale"),
        # The period's responses of an agency, newest first, and the day's count from one address.
        Index("ix_supervision_survey_responses_agency_day", "agency_id", "submitted_on", "client_hash"),
    )

    def score(self, key: str) -> int | None:
        if key == "overall":
            return self.overall
        return next((a.score for a in self.answers if a.question == key), None)


class SurveyAnswer(db.Model):
    """The score a response gave one aspect question (a question left out has no row)."""

    __tablename__ = "supervision_survey_answers"

    response_id: Mapped[int] = mapped_column(ForeignKey("supervision_survey_responses.id"), primary_key=True)
    question: Mapped[str] = mapped_column(String(20), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger, nullable=False)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")

    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_scale"),)
