"""What the request ledger import (依申请公开台账, issue 13 §2) keeps: each import run as a job with its progress,
and each ledger row imported, by the office's own 申请编号 (unique per agency), with the case it became and a
digest of its values (the same row again is recognised as unchanged, a changed row updates its case)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.extensions import db


class LedgerImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class LedgerImport(Audited, TimestampMixin, db.Model):
    """One import of a request ledger (an XLSX or CSV); a large file runs in the worker with its progress here."""

    __tablename__ = "application_ledger_imports"
    audit_type = "application_ledger_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN", nullable=False)  # of the error messages
    status: Mapped[str] = mapped_column(String(20), default=LedgerImportStatus.QUEUED.value, nullable=False)
    total_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    open_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)  # live cases among the rows
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    errors_preview: Mapped[list] = mapped_column(JSON, default=list, nullable=False)  # [[row, column, message]]
    error_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def finished(self) -> bool:
        return self.status in (LedgerImportStatus.DONE.value, LedgerImportStatus.FAILED.value)

    @property
    def progress_percent(self) -> int:
        if self.status == LedgerImportStatus.DONE.value:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))


class LedgerRow(db.Model):
    """A ledger row imported: the case it became (the case's reference is the 申请编号) and the digest of the
    values it was imported with."""

    __tablename__ = "application_ledger_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    ledger_ref: Mapped[str] = mapped_column(String(40), nullable=False)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, unique=True)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    import_id: Mapped[int] = mapped_column(ForeignKey("application_ledger_imports.id"), nullable=False, index=True)

    __table_args__ = (UniqueConstraint("agency_id", "ledger_ref", name="uq_application_ledger_rows_ref"),)
