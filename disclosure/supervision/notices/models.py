"""Supervision notices (督办通知, 条例 Art. 47; issue 14 §3): what a supervisor of the competent department sends an
agency under it about specific items, the rounds of answers and reissues, and the items as they were when the
notice was issued.

A notice is numbered per issuing agency and year without gaps (`core.numbering`, e.g. 示政办督〔2026〕3号). Each
round is one request for an answer: the first carries the notice's text, a reissue adds a round with its comment and
its new due date; the answer, its attachment and its per-item answers belong to the round, so every round stays
readable. The notice's `due_on` is its current round's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.accounts import models as _accounts  # noqa: F401  (Agency, User for relationships)
from disclosure.core import storage as _storage  # noqa: F401  (StoredFile for the answers' attachments)
from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.extensions import db
from workflows.supervision_notice import States

STATES_SQL = ", ".join(f"'{s.value}'" for s in States)
OTHER = "other"  # the kind of a free-text item (a matter that no figure counts)


class Notice(Audited, TimestampMixin, db.Model):
    """One notice. Its events land in the log of the agency it was sent to (`agency_id`)."""

    __tablename__ = "supervision_notices"
    audit_type = "supervision_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(120), nullable=False)  # 示政办督〔2026〕3号
    text: Mapped[str] = mapped_column(Text, nullable=False)  # what the agency must do, as issued
    state: Mapped[str] = mapped_column(String(20), default=States.ISSUED.value, nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)  # the current round's
    round_number: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    answered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the latest answer's day
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    issuer_agency = relationship("Agency", foreign_keys=[issuer_agency_id])
    agency = relationship("Agency", foreign_keys=[agency_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    items: Mapped[list[NoticeItem]] = relationship(
        back_populates="notice", order_by="NoticeItem.position", cascade="all, delete-orphan"
    )
    rounds: Mapped[list[NoticeRound]] = relationship(
        back_populates="notice", order_by="NoticeRound.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("issuer_agency_id", "year", "serial", name="uq_supervision_notices_issuer_year_serial"),
        CheckConstraint(f"state IN ({STATES_SQL})", name="state"),
        CheckConstraint("serial >= 1 AND round_number >= 1", name="positive"),
        # A closed notice names who closed it and when; a withdrawn one when.
        CheckConstraint("state <> 'closed' OR (closed_on IS NOT NULL AND closed_by_id IS NOT NULL)", name="closed"),
        CheckConstraint("state <> 'withdrawn' OR withdrawn_on IS NOT NULL", name="withdrawn"),
        # The agency's lists, panels and the figures: open notices of these agencies, by due date.
        Index("ix_supervision_notices_agency_state_due", "agency_id", "state", "due_on"),
        Index("ix_supervision_notices_issuer", "issuer_agency_id", "id"),
    )

    @property
    def current_round(self) -> NoticeRound:
        return self.rounds[-1]

    @property
    def is_open(self) -> bool:
        return self.state in (States.ISSUED.value, States.ANSWERED.value)

    def is_late(self, today: dt.date) -> bool:
        """Late = not answered by its due date (the current round's)."""
        return self.state == States.ISSUED.value and self.due_on < today


class NoticeItem(db.Model):
    """One matter the notice is about, kept as it was when the notice was issued: the figure that counted it
    (`kind`, a measure key of `supervision.measures`, or "other" for a free-text matter), its reference, title,
    link and note."""

    __tablename__ = "supervision_notice_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("supervision_notices.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(80), nullable=False)
    area: Mapped[str] = mapped_column(String(40), nullable=False)
    reference: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    title: Mapped[str] = mapped_column(String(1000), nullable=False)
    url: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    note: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    on_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the date that put it in the count

    notice: Mapped[Notice] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("notice_id", "position", name="uq_supervision_notice_items_position"),)

    @property
    def is_other(self) -> bool:
        return self.kind == OTHER


class NoticeRound(db.Model):
    """One request for an answer and the answer to it: round 1 is the notice as issued, each reissue adds one."""

    __tablename__ = "supervision_notice_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("supervision_notices.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    instruction: Mapped[str] = mapped_column(Text, nullable=False)  # the notice's text, or the reissue's comment
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    answer_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # what was done, overall
    item_answers: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)  # {item id: what was done}
    answered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    attachment_name: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    reminded: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # the day-before reminder sent
    late: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # marked late by the daily sweep

    notice: Mapped[Notice] = relationship(back_populates="rounds")
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])

    __table_args__ = (
        UniqueConstraint("notice_id", "number", name="uq_supervision_notice_rounds_number"),
        # An answered round names who answered and when.
        CheckConstraint(
            "answered_on IS NULL OR (answered_at IS NOT NULL AND answered_by_id IS NOT NULL)", name="answered"
        ),
        # 'Answered late in the period' (figures/notices.py) reads the rounds by the day they were answered.
        Index("ix_supervision_notice_rounds_answered_on", "answered_on"),
    )

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_on
