"""A standing book (台账) too large to build during the request is a job: the worker writes the workbook into a
stored file while its page shows the progress, then offers it for download (issue 14 §2)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.extensions import db
from disclosure.supervision.periods import Period, PeriodKind


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class StandingBookJob(Audited, TimestampMixin, db.Model):
    """One standing book built by the worker: the agency and period it covers, its progress in rows, the file."""

    __tablename__ = "supervision_standing_books"
    audit_type = "supervision_standing_book"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)  # the agency of the book
    period_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value, nullable=False)
    total_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_supervision_standing_books_agency", "agency_id", "id"),)

    @property
    def period(self) -> Period:
        return Period(PeriodKind(self.period_kind), self.start, self.end)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE.value, JobStatus.FAILED.value)

    @property
    def progress_percent(self) -> int:
        """100 when done, else at most 99."""
        if self.status == JobStatus.DONE.value:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))
