"""双公示 data: matter catalogues, responsibility forms, licensing and penalty records, code lists, settings,
import and export runs.

Licensing (XK_*) and penalty (CF_*) records share one table: they share the counterpart block, the deciding
agency and the publicity life cycle, and one table gives one search index, one dashboard and one export.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from disclosure.core.audit import Audited
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.extensions import db


class RecordStatus(enum.StrEnum):
    PENDING = "pending"  # entered, not yet on the public site
    PUBLISHED = "published"
    WITHHELD = "withheld"  # collected and reported, never public (simplified procedure, minor, government scope)
    WITHDRAWN = "withdrawn"  # decision changed, revoked, unlawful or void (处罚法 Art. 48)
    EXPIRED = "expired"  # penalty reached its maximum publicity period
    REPAIRED = "repaired"  # credit repair after the minimum period


class Timeliness(enum.StrEnum):
    """Against the 7-working-day deadline (rules §5.1)."""

    WAITING = "waiting"  # not published yet, still in time
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"  # not published and past the due date
    NOT_APPLICABLE = "not_applicable"  # withheld records have no publication deadline


class Severity(enum.StrEnum):
    MINOR = "minor"  # 轻微
    GENERAL = "general"  # 一般
    SERIOUS = "serious"  # 严重


class Scope(enum.StrEnum):
    PUBLIC = "public"
    GOVERNMENT = "government"  # 政务共享 only


class CatalogueStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PublicityCode(Audited, db.Model):
    """One value of a code list (rules §5.3, ⚠: administrators edit them). `meaning` ties a value to the rule
    that depends on it (e.g. 自然人 -> natural_person needs an identity document)."""

    __tablename__ = "publicity_codes"
    audit_type = "publicity_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(40), nullable=False)
    value: Mapped[str] = mapped_column(String(60), nullable=False)
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    meaning: Mapped[str | None] = mapped_column(String(40), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    __table_args__ = (UniqueConstraint("list_name", "value"),)


class PublicitySetting(Audited, db.Model):
    """Administrator-editable parameters (deadlines, latest-list days, required fields, …)."""

    __tablename__ = "publicity_settings"
    audit_type = "publicity_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=False)

    @property
    def audit_object_id(self) -> str:
        return self.key


class PublicityPeriod(Audited, db.Model):
    """Minimum and maximum publicity of a penalty by severity, in months from the decision date (rules §5.4).

    The row with the latest `effective_from` not after the decision date applies. `published=False` means the
    severity is not published in principle (minor, 《信用修复管理办法》 2026)."""

    __tablename__ = "publicity_periods"
    audit_type = "publicity_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[str] = mapped_column(String(20), nullable=False)
    effective_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    published: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    min_months: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    max_months: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    basis: Mapped[str] = mapped_column(String(200), default="", nullable=False)

    __table_args__ = (UniqueConstraint("severity", "effective_from"),)


class PublicityMatter(Audited, TimestampMixin, db.Model):
    """A licensing or penalty matter of an agency's catalogue (事项目录)."""

    __tablename__ = "publicity_matters"
    audit_type = "publicity_matter"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    code: Mapped[str] = mapped_column(String(60), default="", nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False)
    # Meanings of counterpart categories the matter applies to: legal_person, natural_person, individual_business.
    counterpart_kinds: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    scope: Mapped[str] = mapped_column(String(20), default=Scope.PUBLIC, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("agency_id", "kind", "name"),)


class CatalogueVersion(Audited, db.Model):
    """A frozen version of an agency's matter catalogue, submitted for confidentiality review (保密审查) and
    shown on the public site only once approved."""

    __tablename__ = "publicity_catalogue_versions"
    audit_type = "publicity_catalogue"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default=CatalogueStatus.SUBMITTED, nullable=False)
    snapshot: Mapped[list] = mapped_column(JSON, nullable=False)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    review_comment: Mapped[str] = mapped_column(Text, default="", nullable=False)

    __table_args__ = (UniqueConstraint("agency_id", "number"),)


class Responsibility(Audited, TimestampMixin, db.Model):
    """The responsibility form (责任表): leader in charge, responsible section, responsible person and phone."""

    __tablename__ = "publicity_responsibilities"
    audit_type = "publicity_responsibility"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, unique=True)
    leader_name: Mapped[str] = mapped_column(String(60), nullable=False)
    leader_title: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    section_name: Mapped[str] = mapped_column(String(120), nullable=False)
    person_name: Mapped[str] = mapped_column(String(60), nullable=False)
    person_phone: Mapped[str] = mapped_column(String(40), nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class EntrustedOrgan(Audited, TimestampMixin, db.Model):
    """An organ other than the agency itself whose licensing or penalty decisions the agency may publish (许可机关 /
    处罚机关 of its records): e.g. an organ that entrusted it, or one whose decisions it publishes by an arrangement
    of the local government. Maintained by the agency administrator or credit supervisor, every change audited;
    a record naming any other deciding organ is refused on every channel (validation.RecordValidator)."""

    __tablename__ = "publicity_entrusted_organs"
    audit_type = "publicity_entrusted_organ"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    credit_code: Mapped[str] = mapped_column(String(18), nullable=False)
    basis: Mapped[str] = mapped_column(String(500), default="", nullable=False)  # 委托书, 文件 or arrangement
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    __table_args__ = (UniqueConstraint("agency_id", "credit_code"),)


# The condition of the partial index of pending records (supervision's "overdue now"), as the query writes it.
PENDING_INDEX_WHERE = "status = 'pending'"


class PublicityRecord(Audited, TimestampMixin, db.Model):
    """A licensing (XK) or penalty (CF) decision. Column names map to field codes in `fields.py`."""

    __tablename__ = "publicity_records"
    audit_type = "publicity_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("publicity_matters.id"), nullable=False, index=True)
    # Counterpart (行政相对人).
    counterpart_name: Mapped[str] = mapped_column(String(200), nullable=False)
    counterpart_category: Mapped[str] = mapped_column(String(20), nullable=False)
    credit_code: Mapped[str | None] = mapped_column(String(18), nullable=True, index=True)
    reg_no: Mapped[str | None] = mapped_column(String(50), nullable=True)
    org_code: Mapped[str | None] = mapped_column(String(9), nullable=True)
    tax_no: Mapped[str | None] = mapped_column(String(50), nullable=True)
    institution_no: Mapped[str | None] = mapped_column(String(50), nullable=True)
    social_org_no: Mapped[str | None] = mapped_column(String(50), nullable=True)
    legal_rep: Mapped[str | None] = mapped_column(String(50), nullable=True)
    legal_rep_doc_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    legal_rep_doc_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    doc_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    doc_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Decision.
    decision_no: Mapped[str] = mapped_column(String(64), nullable=False)  # as the agency wrote it
    # The number as compared (brackets, width and spaces normalised, core.docnumbers): searches and the
    # duplicate checks of every channel look it up, so 示政办罚[2026]13号 finds 示政办罚〔2026〕13号.
    decision_key: Mapped[str] = mapped_column(String(128), nullable=False, default="", server_default="")
    decision_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    deciding_agency: Mapped[str] = mapped_column(String(200), nullable=False)
    deciding_agency_code: Mapped[str] = mapped_column(String(18), nullable=False)
    source_name: Mapped[str] = mapped_column(String(200), nullable=False)
    source_code: Mapped[str] = mapped_column(String(18), nullable=False)
    remarks: Mapped[str | None] = mapped_column(String(512), nullable=True)
    # Licensing only.
    document_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    licence_category: Mapped[str | None] = mapped_column(String(40), nullable=True)
    certificate_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    licence_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    licence_state: Mapped[str | None] = mapped_column(String(4), nullable=True)
    # Penalty only.
    violation_type: Mapped[str | None] = mapped_column(Text, nullable=True)
    facts: Mapped[str | None] = mapped_column(Text, nullable=True)
    basis: Mapped[str | None] = mapped_column(Text, nullable=True)
    penalty_categories: Mapped[str | None] = mapped_column(String(200), nullable=True)
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), nullable=True)
    confiscated_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), nullable=True)
    suspended_licence: Mapped[str | None] = mapped_column(String(200), nullable=True)
    penalty_valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    publicity_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    severity: Mapped[str | None] = mapped_column(String(20), nullable=True)
    simplified_procedure: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    min_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    max_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Publicity life cycle.
    status: Mapped[str] = mapped_column(String(20), default=RecordStatus.PENDING, nullable=False)
    timeliness: Mapped[str] = mapped_column(String(20), default=Timeliness.WAITING, nullable=False)
    due_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # China date, for statistics
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # withdrawal reason or repair basis
    withdrawal_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    withdraw_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    channel: Mapped[str] = mapped_column(String(10), default="form", nullable=False)  # form | import | api
    import_id: Mapped[int | None] = mapped_column(ForeignKey("publicity_imports.id"), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    # One token per Chinese character (stack.md "Search in Chinese"), indexed by FTS5 / PostgreSQL full text.
    search_text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    agency = relationship("Agency")
    matter: Mapped[PublicityMatter] = relationship()
    department = relationship("Department")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("agency_id", "kind", "decision_no"),
        Index("ix_publicity_records_public", "status", "published_at"),
        Index("ix_publicity_records_decision_key", "decision_key"),
        Index("ix_publicity_records_agency_decided", "agency_id", "decision_date"),
        Index("ix_publicity_records_updated", "updated_at"),
        # Supervision's per-agency figures (publicity.oversight, issue 14): the dashboard's sums by agency over
        # decision dates read from the index alone (with the id they count), and the records still pending past
        # their due date.
        Index(
            "ix_publicity_records_agency_decided_timeliness", "agency_id", "decision_date", "timeliness", "status", "id"
        ),
        Index("ix_publicity_records_agency_status_due", "agency_id", "status", "due_date"),
        # The records still pending, a few among all, by agency and due date with their timeliness: "overdue now"
        # from the index alone (`PENDING_INDEX_WHERE`, written so by `publicity.oversight`; migration supervision_0009).
        Index(
            "ix_publicity_records_pending_due",
            "agency_id",
            "due_date",
            "timeliness",
            "status",  # the condition's column too: SQLite reads a partial index alone only so
            postgresql_where=text(PENDING_INDEX_WHERE),
            sqlite_where=text(PENDING_INDEX_WHERE),
        ),
    )

    @validates("decision_no")
    def _keep_decision_key(self, _key, value):
        self.decision_key = normalise_document_number(value)
        return value

    @property
    def is_public(self) -> bool:
        return self.status == RecordStatus.PUBLISHED

    @property
    def publicity_ends_on(self) -> dt.date | None:
        """The real end of a penalty's publicity (公示截止期), the one date every page and export shows: the day
        it leaves the public site, i.e. the maximum period of its severity or the agency's earlier 公示截止期
        (`max_until` holds the earlier of the two, operations.publicity_outcome). None for a licence (public
        while valid) and for a penalty that is never published."""
        if self.kind != "penalty" or self.status == RecordStatus.WITHHELD:
            return None
        return self.max_until or self.publicity_end


def declare_postgres_search_index() -> None:
    """Declare PostgreSQL's full-text index (search.py) on the model, so that comparing models and migrations
    sees it. Called for a PostgreSQL database only: SQLite uses the FTS5 table `publicity_fts` instead and cannot
    reflect expression indexes (Alembic would warn on every comparison). Idempotent."""
    table = PublicityRecord.__table__
    if any(ix.name == "ix_publicity_records_search" for ix in table.indexes):
        return
    Index(
        "ix_publicity_records_search",
        func.to_tsvector(literal_column("'simple'::regconfig"), text("search_text")),
        postgresql_using="gin",
        _table=table,
    )


class ImportJob(Audited, TimestampMixin, db.Model):
    """A bulk import of a national-template XLSX/CSV file; large files run in the background."""

    __tablename__ = "publicity_imports"
    audit_type = "publicity_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    channel: Mapped[str] = mapped_column(String(10), default="import", nullable=False)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    filename: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    publish: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    default_matter_id: Mapped[int | None] = mapped_column(ForeignKey("publicity_matters.id"), nullable=True)
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN", nullable=False)  # of the error messages
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED, nullable=False)
    total_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # The first errors, for the page; the full list is in the error file.
    errors_preview: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    error_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def progress_percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))


class ExportRun(Audited, db.Model):
    """An export for the credit platform; "changed since the last export" starts where the previous one ended."""

    __tablename__ = "publicity_exports"
    audit_type = "publicity_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    fmt: Mapped[str] = mapped_column(String(10), nullable=False)
    changed_only: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    until: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    row_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
