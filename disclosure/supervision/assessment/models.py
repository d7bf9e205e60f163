"""Assessment (考核, issue 14 §4): the indicators a competent department scores its agencies by, and the
assessments themselves with their frozen scores.

- `IndicatorScheme`: the indicators (name, weight, figure, rule and its parameters) as data — one set per assessing
  agency, edited by its supervisors, and one default set (`is_default`) edited by system administrators.
- `Assessment`: one period's assessment by an agency over the agencies it supervises. It copies its indicators when
  it starts (`indicators`), and its state follows `workflows.assessment`.
- `AssessmentEntry`: one assessed agency — its name as it was, its total and rank.
- `AssessmentScore`: one agency's score on one indicator, with the figure it came from (the count, or the ratio's
  numerator and denominator), the maximum after any shared weight, the computed points and any adjustment with its
  reason. Once finalised nothing here is recomputed: later data changes do not move the result.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.accounts import models as _accounts  # noqa: F401  (Agency, User for relationships)
from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.extensions import db
from disclosure.supervision.periods import Period, PeriodKind
from workflows.assessment import FROZEN, States

POINTS = Numeric(6, 2)


class IndicatorScheme(Audited, db.Model):
    __tablename__ = "assessment_schemes"
    audit_type = "assessment_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The assessing agency whose indicators these are; None for the defaults (is_default).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True, unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # [{name, figure, weight, rule, target, floor, per_item, no_data}], weights adding up to 100 (scoring.Indicator).
    indicators: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "(is_default AND agency_id IS NULL) OR (NOT is_default AND agency_id IS NOT NULL)", name="owner"
        ),
        # One default set: a unique index over the rows where is_default holds.
        Index(
            "uq_assessment_schemes_default",
            "is_default",
            unique=True,
            postgresql_where=text("is_default"),
            sqlite_where=text("is_default"),
        ),
    )

    @property
    def audit_object_id(self) -> str:
        return "default" if self.is_default else str(self.agency_id)


class Assessment(Audited, TimestampMixin, db.Model):
    __tablename__ = "assessments"
    audit_type = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)  # the assessing agency
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    period_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    period_start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    period_end: Mapped[dt.date] = mapped_column(Date, nullable=False)
    include_own: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    state: Mapped[str] = mapped_column(String(20), default=States.DRAFT, nullable=False)
    # The indicators as they were when the assessment started (scoring.Indicator.as_json, with the figure's kind).
    indicators: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    computed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    computed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the day 'now' figures were counted
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    withdraw_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    agency = relationship("Agency")
    entries: Mapped[list[AssessmentEntry]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentEntry.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("period_start <= period_end", name="period"),
        CheckConstraint("period_kind IN ('month', 'quarter', 'year', 'custom')", name="period_kind"),
        CheckConstraint("state IN ('draft', 'finalised', 'published', 'withdrawn', 'discarded')", name="state"),
        CheckConstraint(
            "state NOT IN ('finalised', 'published', 'withdrawn') OR (computed_at IS NOT NULL AND finalised_at IS NOT "
            "NULL)",
            name="frozen",
        ),
        CheckConstraint("state <> 'published' OR published_at IS NOT NULL", name="published"),
        CheckConstraint("state <> 'withdrawn' OR withdraw_reason <> ''", name="withdrawn"),
        Index("ix_assessments_agency_period", "agency_id", "period_start"),
        Index("ix_assessments_state_published", "state", "published_at"),
    )

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN

    @property
    def period(self) -> Period:
        return Period(PeriodKind(self.period_kind), self.period_start, self.period_end)

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.agency_id} {self.period_start}..{self.period_end} {self.state}>"


class AssessmentEntry(db.Model):
    __tablename__ = "assessment_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    agency_name: Mapped[str] = mapped_column(String(200), nullable=False)  # the full name when scored
    total: Mapped[Decimal | None] = mapped_column(POINTS, nullable=True)  # None: every indicator excluded
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)

    assessment: Mapped[Assessment] = relationship(back_populates="entries")
    scores: Mapped[list[AssessmentScore]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="AssessmentScore.position"
    )

    __table_args__ = (
        UniqueConstraint("assessment_id", "agency_id", name="uq_assessment_entries_agency"),
        Index("ix_assessment_entries_agency", "agency_id"),
    )


class AssessmentScore(db.Model):
    __tablename__ = "assessment_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("assessment_entries.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)  # the indicator's index in Assessment.indicators
    # The figure as it was counted: a measure's count, or a ratio's parts and its percentage (one decimal).
    count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    numerator: Mapped[int | None] = mapped_column(Integer, nullable=True)
    denominator: Mapped[int | None] = mapped_column(Integer, nullable=True)
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 1), nullable=True)
    has_data: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    max_points: Mapped[Decimal] = mapped_column(POINTS, nullable=False)
    points: Mapped[Decimal | None] = mapped_column(POINTS, nullable=True)  # computed; None when excluded
    adjusted_points: Mapped[Decimal | None] = mapped_column(POINTS, nullable=True)
    adjust_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    adjusted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    adjusted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    entry: Mapped[AssessmentEntry] = relationship(back_populates="scores")
    adjusted_by = relationship("User")

    __table_args__ = (
        UniqueConstraint("entry_id", "position", name="uq_assessment_scores_position"),
        CheckConstraint("adjusted_points IS NULL OR adjust_reason <> ''", name="adjust_reason"),
        CheckConstraint("max_points >= 0 AND (points IS NULL OR points >= 0)", name="points"),
    )

    @property
    def adjusted(self) -> bool:
        return self.adjusted_points is not None

    @property
    def final_points(self) -> Decimal | None:
        """The points that count: the adjusted ones when the supervisor set them, else the computed ones."""
        return self.adjusted_points if self.adjusted_points is not None else self.points
