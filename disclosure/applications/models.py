"""Disclosure-on-request cases (依申请公开) and everything recorded about them (条例 Arts. 29–45).

The case's state column is driven by `workflows.application`; per-state invariants are named CHECK
constraints (architecture §5). Concurrent edits are caught by `version_id_col`: the second writer gets
`StaleDataError`, which the request boundary turns into a clear message.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
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
    event,
    inspect,
    text,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from disclosure.accounts import models as _accounts  # noqa: F401  (Agency, User, Department for relationships)
from disclosure.accounts.roles import ApplicantCategory, ApplicantType
from disclosure.core import storage as _storage  # noqa: F401  (StoredFile for relationships)
from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.core.textsearch import TextIndex, index_text_fields
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from workflows.application import OPEN_STATES, States


class Channel(enum.StrEnum):
    """How the application arrived; the received date follows 条例 Art. 31 per channel."""

    ONLINE = "online"  # Art. 31(3): the day the office confirms it
    API = "api"  # an external portal: treated as online
    IN_PERSON = "in_person"  # Art. 31(1): the day of submission
    REGISTERED_POST = "registered_post"  # Art. 31(2): the day the office signs for it
    ORDINARY_LETTER = "ordinary_letter"  # Art. 31(2): the day confirmed with the applicant
    FAX = "fax"  # Art. 31(3): the day both sides confirm
    EMAIL = "email"  # Art. 31(3): the day both sides confirm (a data message)
    ORAL = "oral"  # Art. 29: staff fill in the form; received that day
    LEDGER = "ledger"  # imported from the office's request ledger (台账, issue 13 §2): received as it records


CHANNEL_LABELS = {
    Channel.ONLINE: _l("Online"),
    Channel.API: _l("Online portal (API)"),
    Channel.IN_PERSON: _l("In person"),
    Channel.REGISTERED_POST: _l("Registered post"),
    Channel.ORDINARY_LETTER: _l("Ordinary letter"),
    Channel.FAX: _l("Fax"),
    Channel.EMAIL: _l("By email"),
    Channel.ORAL: _l("Oral application"),
    Channel.LEDGER: _l("Imported from the request ledger"),
}

# The rule that fixes the received date, shown beside it (条例 Art. 31).
RECEIVED_BASIS = {
    Channel.ONLINE: _l("Art. 31(3): the day the office confirmed the online application"),
    Channel.API: _l("Art. 31(3): the day the office confirmed the online application"),
    Channel.IN_PERSON: _l("Art. 31(1): the day the application was handed in"),
    Channel.REGISTERED_POST: _l("Art. 31(2): the day the office signed for the post"),
    Channel.ORDINARY_LETTER: _l("Art. 31(2): the day the office confirmed receipt with the applicant"),
    Channel.FAX: _l("Art. 31(3): the day both sides confirmed the fax"),
    Channel.EMAIL: _l("Art. 31(3): the day both sides confirmed the email"),
    Channel.ORAL: _l("Art. 29: the day the oral application was recorded"),
    Channel.LEDGER: _l("the received date the office's request ledger records"),
}


class ProvisionForm(enum.StrEnum):
    """条例 Art. 29(3), 40: the form in which the information is provided."""

    PAPER = "paper"
    ELECTRONIC = "electronic"
    EMAIL = "email"
    INSPECTION = "inspection"


PROVISION_LABELS = {
    ProvisionForm.PAPER: _l("Paper copy"),
    ProvisionForm.ELECTRONIC: _l("Electronic file"),
    ProvisionForm.EMAIL: _l("By email"),
    ProvisionForm.INSPECTION: _l("Inspection on site"),
}


class DeliveryChannel(enum.StrEnum):
    POST = "post"
    EMAIL = "email"
    COLLECT = "collect"


DELIVERY_LABELS = {
    DeliveryChannel.POST: _l("Post"),
    DeliveryChannel.EMAIL: _l("By email"),
    DeliveryChannel.COLLECT: _l("Collection in person"),
}


class EventKind(enum.StrEnum):
    """Recorded facts the deadline is recomputed from (条例 Arts. 30, 32, 33, 35; 109号)."""

    SUPPLEMENT_REQUEST = "supplement_request"  # start: notice date; due: the applicant's deadline
    SUPPLEMENT_RECEIVED = "supplement_received"  # start: the day the supplement arrived (clock restarts)
    CONSULTATION = "consultation"  # start..end: paused (Art. 32, 34); due: the third party's 15 WD
    FEE_NOTICE = "fee_notice"  # start..end (paid): paused when configured; due: 20 WD to pay
    EXTENSION = "extension"  # days: ≤ 20 working days (Art. 33)
    CUSTOM_DEADLINE = "custom_deadline"  # days: Art. 35 longer period, reason in note
    REOPEN = "reopen"  # start: the day the corrected remedy decision was received; new 20 WD


class ConsultationKind(enum.StrEnum):
    THIRD_PARTY = "third_party"  # Art. 32
    AGENCY = "agency"  # Art. 34 / another agency


class AttachmentPurpose(enum.StrEnum):
    IDENTITY = "identity"
    SUPPORTING = "supporting"
    SUPPLEMENT = "supplement"
    PROVIDED = "provided"  # the information provided (予以公开)
    REDACTED = "redacted"  # the redacted version (部分公开, Art. 37)
    CONSULTATION = "consultation"
    RECEIPT = "receipt"  # signed delivery receipt
    OTHER = "other"


class RemedyKind(enum.StrEnum):
    """Annual-report table 4 blocks (rules-china §3.4)."""

    RECONSIDERATION = "reconsideration"
    LITIGATION_DIRECT = "litigation_direct"
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration"


class RemedyResult(enum.StrEnum):
    UPHELD = "upheld"  # 结果维持
    CORRECTED = "corrected"  # 结果纠正
    OTHER = "other"  # 其他结果
    PENDING = "pending"  # 尚未审结


class DeadlineStatus(enum.StrEnum):
    NONE = "none"  # no clock running (draft, submitted, closed)
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"


# The open cases, a few among all (migration supervision_0009): supervision's "overdue now" reads them from a partial
# index whose condition `applications.oversight` writes as these very literals (a database matches a partial index
# only so).
OPEN_INDEX_STATES = tuple(sorted(s.value for s in OPEN_STATES))
OPEN_INDEX_WHERE = "state IN ({})".format(", ".join(f"'{s}'" for s in OPEN_INDEX_STATES))


class Application(Audited, TimestampMixin, db.Model):
    """One application = one case, from the draft to the archive."""

    __tablename__ = "applications"
    audit_type = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    ref_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ref_serial: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(40), default=States.DRAFT, nullable=False)
    channel: Mapped[str] = mapped_column(String(30), default=Channel.ONLINE, nullable=False)

    # The applicant (条例 Art. 29(1)); copied from the profile and editable per application.
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    applicant_type: Mapped[str] = mapped_column(String(20), default=ApplicantType.PERSON, nullable=False)
    applicant_category: Mapped[str] = mapped_column(
        String(30), default=ApplicantCategory.NATURAL_PERSON, nullable=False
    )
    applicant_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    doc_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    doc_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    org_credit_code: Mapped[str | None] = mapped_column(String(18), nullable=True)
    legal_representative: Mapped[str | None] = mapped_column(String(120), nullable=True)
    contact_person: Mapped[str | None] = mapped_column(String(120), nullable=True)
    phone: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    email: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    postal_address: Mapped[str] = mapped_column(Text, default="", nullable=False)
    postal_code: Mapped[str] = mapped_column(String(10), default="", nullable=False)
    # Art. 29(3), Art. 40.
    provision_form: Mapped[str] = mapped_column(String(20), default=ProvisionForm.ELECTRONIC, nullable=False)
    delivery_channel: Mapped[str] = mapped_column(String(20), default=DeliveryChannel.EMAIL, nullable=False)
    needs_assistance: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # Art. 43

    # Receipt (Art. 31).
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    received_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    received_evidence: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    # The deadline, recomputed from the events by `deadlines.recompute` (never typed in).
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    deadline_status: Mapped[str] = mapped_column(String(20), default=DeadlineStatus.NONE, nullable=False)
    deadline_checked_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    # Handling.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), nullable=True)
    office_approved: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    legal_approved: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)  # derived, for the annual report

    # Reply and closing.
    reply_letter_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # correspondence.Letter
    issued_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delivery_note: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    closed_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closing_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    # The workbench's text search (`SEARCH_INDEX`): reference, names and requested items, one token per
    # character; kept by `_refresh_search_text` in the transaction of every change to them.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="", nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    agency = relationship("Agency")
    applicant = relationship("User", foreign_keys=[applicant_id])
    handler = relationship("User", foreign_keys=[handler_id])
    department = relationship("Department")
    items: Mapped[list[RequestedItem]] = relationship(
        back_populates="application", order_by="RequestedItem.position", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="application", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="application", order_by="Attachment.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("agency_id", "ref_year", "ref_serial", name="uq_applications_agency_year_serial"),
        UniqueConstraint("agency_id", "reference", name="uq_applications_agency_reference"),
        # Every case past the draft has a reference number.
        CheckConstraint("state = 'draft' OR (reference IS NOT NULL AND ref_serial IS NOT NULL)", name="reference"),
        # Every received case has a received date (Art. 31) and a due date.
        CheckConstraint(
            "state IN ('draft', 'submitted', 'withdrawn', 'archived') "
            "OR (received_date IS NOT NULL AND due_date IS NOT NULL)",
            name="received",
        ),
        # An issued case has its frozen reply letter and its issue date, after both reviews.
        CheckConstraint(
            "state NOT IN ('issued', 'delivered') OR (reply_letter_id IS NOT NULL AND issued_date IS NOT NULL "
            "AND office_approved AND legal_approved AND outcome IS NOT NULL)",
            name="issued",
        ),
        CheckConstraint("state NOT IN ('assigned', 'in_handling') OR handler_id IS NOT NULL", name="handler"),
        Index("ix_applications_agency_state_due", "agency_id", "state", "due_date"),
        Index("ix_applications_agency_due", "agency_id", "due_date", "id"),  # the workbench order
        Index("ix_applications_handler_state", "handler_id", "state"),
        Index("ix_applications_applicant", "applicant_id", "id"),
        Index("ix_applications_state_due", "state", "due_date"),
        Index("ix_applications_agency_status_due", "agency_id", "deadline_status", "due_date"),
        Index("ix_applications_reference", "reference"),  # a reference typed in the search (any agency)
        # Supervision's per-agency figures (applications.oversight, issue 14): received in a period, and concluded
        # in a period by closing date, or by issue date when no closing date is recorded (two ranges of one index);
        # both covering, so the grouped counts read the index alone.
        Index("ix_applications_agency_received", "agency_id", "received_date", "state"),
        Index(
            "ix_applications_agency_closed", "agency_id", "closed_date", "issued_date", "state", "outcome", "due_date"
        ),
        # The open cases of an agency by due date, with whether their clock is paused: "overdue now" from the index
        # alone (`OPEN_INDEX_WHERE`; migration supervision_0009).
        Index(
            "ix_applications_open_due",
            "agency_id",
            "due_date",
            "deadline_status",
            "state",  # the condition's column too: SQLite reads a partial index alone only so
            postgresql_where=text(OPEN_INDEX_WHERE),
            sqlite_where=text(OPEN_INDEX_WHERE),
        ),
    )

    @property
    def audit_agency_id(self) -> int | None:
        """A draft is the applicant's own until it is sent: its events stay out of the agency's audit log."""
        return None if self.state == States.DRAFT else self.agency_id

    @property
    def is_open(self) -> bool:
        return States(self.state) in OPEN_STATES

    def __repr__(self) -> str:
        return f"<Application {self.reference or self.id} {self.state}>"


def released_to_applicant(app: Application, att: Attachment) -> bool:
    """The applicant sees their own papers at once, the information provided only once the reply is issued."""
    if not att.visible_to_applicant:
        return False
    if att.purpose in (AttachmentPurpose.PROVIDED, AttachmentPurpose.REDACTED):
        return app.issued_date is not None
    return True


class RequestedItem(db.Model):
    """One requested piece of information and the handler's decision on it (条例 Arts. 29(2), 36, 37)."""

    __tablename__ = "application_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    document_ref: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    # Normalised text, for repeated applications (Art. 36(6)) and proactive-disclosure candidates (Art. 44).
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reasons: Mapped[str] = mapped_column(Text, default="", nullable=False)
    withheld_parts: Mapped[str] = mapped_column(Text, default="", nullable=False)
    withheld_outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)  # Art. 37 exemption
    responsible_contact: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    responsible_agency: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    public_location: Mapped[str] = mapped_column(Text, default="", nullable=False)  # or the place/time
    redirect_channel: Mapped[str] = mapped_column(Text, default="", nullable=False)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    application: Mapped[Application] = relationship(back_populates="items")

    __table_args__ = (
        UniqueConstraint("application_id", "position", name="uq_application_items_position"),
        CheckConstraint("length(description) > 0", name="description"),
    )


class CaseEvent(db.Model):
    """A dated fact that moves the deadline: supplementation, consultation, fee, extension, reopening."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    start_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    amount: Mapped[int | None] = mapped_column(Numeric(12, 2), nullable=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    application: Mapped[Application] = relationship(back_populates="events")

    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        CheckConstraint("kind <> 'extension' OR (days BETWEEN 1 AND 20)", name="extension_days"),
        CheckConstraint("kind <> 'custom_deadline' OR days >= 1", name="custom_days"),
    )


class Attachment(db.Model):
    """A stored file on the case: identity proof, supporting papers, information provided, receipts."""

    __tablename__ = "application_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("application_items.id"), nullable=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), nullable=False)
    purpose: Mapped[str] = mapped_column(String(20), nullable=False)
    # How the reply letter lists the file (附件); empty → the file name without its extension.
    title: Mapped[str] = mapped_column(String(200), default="", server_default="", nullable=False)
    visible_to_applicant: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    application: Mapped[Application] = relationship(back_populates="attachments")
    file = relationship("StoredFile")


class Assignment(db.Model):
    """Assignment history: who gave the case to which department and handler."""

    __tablename__ = "application_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), nullable=False)
    handler_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class Review(db.Model):
    """An office or legal review decision with its comments; returned drafts keep their history."""

    __tablename__ = "application_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    stage: Mapped[str] = mapped_column(String(10), nullable=False)  # office | legal
    decision: Mapped[str] = mapped_column(String(10), nullable=False)  # approved | returned
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # The item decisions as they stood when reviewed.
    draft_snapshot: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    reviewer = relationship("User")

    __table_args__ = (
        CheckConstraint("stage IN ('office', 'legal')", name="stage"),
        CheckConstraint("decision IN ('approved', 'returned')", name="decision"),
        CheckConstraint("decision <> 'returned' OR length(comment) > 0", name="returned_comment"),
    )


class Note(db.Model):
    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    author = relationship("User")


class Remedy(TimestampMixin, db.Model):
    """An administrative reconsideration or lawsuit about the case (annual-report table 4). Its events are the
    case's (`application.remedy_*`)."""

    __tablename__ = "application_remedies"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    body: Mapped[str] = mapped_column(String(200), nullable=False)  # 复议机关 or court
    filed_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    decided_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    result: Mapped[str] = mapped_column(String(20), default=RemedyResult.PENDING, nullable=False)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    application = relationship("Application")

    __table_args__ = (
        CheckConstraint("result = 'pending' OR decided_date IS NOT NULL", name="decided"),
        CheckConstraint("decided_date IS NULL OR decided_date >= filed_date", name="dates"),
    )


class Rating(db.Model):
    """The applicant's rating of the reply (satisfied or not, with a comment)."""

    __tablename__ = "application_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, unique=True)
    satisfied: Mapped[bool] = mapped_column(Boolean, nullable=False)
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class AgencyApplicationSettings(Audited, db.Model):
    """Per-agency handling settings (⚠ facts of rules-china kept as data); audited per agency."""

    __tablename__ = "application_settings"
    audit_type = "application_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, unique=True)
    # rules §4.1 ⚠: whether the wait for the fee pauses the reply clock.
    fee_wait_pauses_clock: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # Warn this many working days before a deadline.
    due_soon_days: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    # Art. 44: distinct applicants asking the same information before it is a proactive-disclosure candidate.
    candidate_threshold: Mapped[int] = mapped_column(Integer, default=2, nullable=False)
    # Working days the applicant gets to supplement (Art. 30 "合理的补正期限").
    supplement_days: Mapped[int] = mapped_column(Integer, default=15, nullable=False)
    # Printed on the fee notice (109号 Art. 6: how to pay).
    fee_payment_instructions: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # rules §4.1 ⚠: reduction or waiver clauses are believed to exist; the office head may waive a notified fee.
    fee_waiver_allowed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true(), nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_object_id(self) -> int:
        return self.agency_id


# --- The workbench's text search -------------------------------------------------------------------------------

SEARCH_INDEX = TextIndex(
    table="applications", column="search_text", fts_table="applications_fts", pg_index="ix_applications_search"
)
SEARCHED_FIELDS = ("reference", "applicant_name", "legal_representative", "contact_person")
SEARCHED_ITEM_FIELDS = ("description", "document_ref")


def search_text_of(
    reference: str | None,
    applicant_name: str | None,
    legal_representative: str | None,
    contact_person: str | None,
    items: list[tuple[str | None, str | None]],
) -> str:
    """What the workbench search finds a case by: its reference, the applicant's (person's or organisation's)
    name, the legal representative and contact person, and each requested item's description and document
    number. Used by `_refresh_search_text`, the migration's backfill and the benchmarks' bulk inserts."""
    return index_text_fields(
        reference, applicant_name, legal_representative, contact_person, *(v for pair in items for v in pair)
    )


def declare_postgres_search_index() -> None:
    """The GIN index of `SEARCH_INDEX` on the model, for a PostgreSQL database only (see TextIndex)."""
    SEARCH_INDEX.declare_postgres_index(Application.__table__)


def _changed(obj, fields) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[f].history.has_changes() for f in fields)


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session: Session, _context, _instances) -> None:
    """Every flush that creates a case, changes its reference or names, or adds, removes or rewrites a requested
    item (filing, registration, correction, a supplementation answer) recomputes the case's `search_text` in
    the same flush, so the index (the FTS5 triggers, PostgreSQL's expression index) never lags the case."""
    stale: set[Application] = set()
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Application):
            if obj in session.new or _changed(obj, (*SEARCHED_FIELDS, "items")):
                stale.add(obj)
        elif (
            isinstance(obj, RequestedItem)
            and obj.application is not None
            and (obj in session.new or _changed(obj, SEARCHED_ITEM_FIELDS))
        ):
            stale.add(obj.application)
    for obj in session.deleted:
        if isinstance(obj, RequestedItem) and obj.application is not None:
            stale.add(obj.application)
    for app in stale:
        if app in session.deleted:
            continue
        items = [(i.description, i.document_ref) for i in app.items if i not in session.deleted]
        value = search_text_of(app.reference, app.applicant_name, app.legal_representative, app.contact_person, items)
        if app.search_text != value:
            app.search_text = value
