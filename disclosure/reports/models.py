"""The annual report (政府信息公开工作年度报告, 条例 Arts. 49–50; 国办公开办函〔2021〕30号) and the agency's report
settings (issue 13).

A report is one version for an agency and a year. Tables 2–4 are computed from live data while it is a draft;
publishing freezes them (`frozen_numbers`, with the SHA-256 of their canonical JSON) together with the PDF
(`pdf_file_id`, core.storage, with its SHA-256): the published report is never recomputed. A correction is a new
version (`number` + 1) that names the version it supersedes and why.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.accounts import models as _accounts  # noqa: F401  (Agency, User for relationships)
from disclosure.core import storage as _storage  # noqa: F401  (StoredFile for relationships)
from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.extensions import db
from workflows.report import States


class AgencyKind(enum.StrEnum):
    """条例 Art. 49: a department reports by 31 January, a county-level-or-above government by 31 March."""

    DEPARTMENT = "department"
    GOVERNMENT = "government"


class ReportSettings(Audited, db.Model):
    __tablename__ = "report_settings"
    audit_type = "report_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, unique=True)
    agency_kind: Mapped[str] = mapped_column(String(20), default=AgencyKind.DEPARTMENT, nullable=False)
    # The last day a reminder went to the office heads (one a day at most, from 1 December).
    reminded_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("agency_kind IN ('department', 'government')", name="agency_kind"),)

    @property
    def audit_object_id(self) -> int:
        return self.agency_id


class AnnualReport(Audited, TimestampMixin, db.Model):
    __tablename__ = "annual_reports"
    audit_type = "annual_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[int] = mapped_column(Integer, default=1, nullable=False)  # 1, then each correction
    state: Mapped[str] = mapped_column(String(20), default=States.DRAFT, nullable=False)

    # Sections 一, 五 and 六: text the office writes (pre-filled with facts the system knows).
    overview: Mapped[str] = mapped_column(Text, default="", nullable=False)
    problems: Mapped[str] = mapped_column(Text, default="", nullable=False)
    other_matters: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # Table 2 figures no module records, entered with their source.
    coercion_decisions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    coercion_source: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    fees_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    fees_source: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    # Why 现行有效 does not follow from last year's figure (the cross-year identity only warns).
    cross_year_explanation: Mapped[str] = mapped_column(Text, default="", nullable=False)

    return_comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    correction_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("annual_reports.id"), nullable=True)

    # Frozen when published.
    frozen_numbers: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    numbers_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pdf_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    agency = relationship("Agency")
    pdf_file = relationship("StoredFile")
    supersedes = relationship("AnnualReport", remote_side=[id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("agency_id", "year", "number", name="uq_annual_reports_agency_year_number"),
        CheckConstraint("year BETWEEN 2008 AND 2200", name="year"),
        CheckConstraint("coercion_decisions IS NULL OR coercion_decisions >= 0", name="coercion"),
        CheckConstraint("fees_yuan IS NULL OR fees_yuan >= 0", name="fees"),
        CheckConstraint(
            "state NOT IN ('published', 'superseded') OR (frozen_numbers IS NOT NULL AND numbers_sha256 IS NOT NULL "
            "AND pdf_file_id IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name="frozen",
        ),
        CheckConstraint("number = 1 OR supersedes_id IS NOT NULL", name="correction"),
    )

    @property
    def is_frozen(self) -> bool:
        return self.state in (States.PUBLISHED, States.SUPERSEDED)

    def __repr__(self) -> str:
        return f"<AnnualReport {self.agency_id} {self.year} v{self.number} {self.state}>"
