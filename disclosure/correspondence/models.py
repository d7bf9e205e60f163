"""Issued letters, their deliveries, and each agency's letter settings."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.core import audit
from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.correspondence.kinds import kind_info
from disclosure.extensions import db


class LetterStatus(enum.StrEnum):
    ISSUED = "issued"
    SUPERSEDED = "superseded"  # a correction (a new letter referring to this one) replaced it
    VOID = "void"  # cancelled; its number stays recorded as void and is never reused


class Letter(Audited, TimestampMixin, db.Model):
    """An issued, numbered and frozen letter: its PDF (PDF/A-3b) is stored with its SHA-256 and never
    re-rendered. What happens to it is told in its own history and in that of the object it is about
    (`log_on_related`)."""

    __tablename__ = "letters"
    audit_type = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    series: Mapped[str] = mapped_column(String(40), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), default=LetterStatus.ISSUED, nullable=False)
    issue_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    related_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    related_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    addressee_name: Mapped[str] = mapped_column(String(200), nullable=False)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    verification_code: Mapped[str] = mapped_column(String(16), nullable=False)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"), nullable=True)
    context: Mapped[dict] = mapped_column(JSON, nullable=False)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    void_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Set while the letter is live (issued): (related, kind, addressee). The unique constraint makes issuing
    # the same letter twice impossible, even from two requests at the same moment; NULL once void/superseded.
    live_key: Mapped[str | None] = mapped_column(String(64), nullable=True)

    corrects: Mapped[Letter | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])
    deliveries: Mapped[list[LetterDelivery]] = relationship(
        back_populates="letter", order_by="LetterDelivery.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("agency_id", "series", "year", "serial", name="uq_letters_number"),
        UniqueConstraint("agency_id", "live_key", name="uq_letters_live_key"),
    )

    @property
    def download_name(self) -> str:
        return f"{kind_info(self.kind).file_stem}.pdf"

    def log_on_related(
        self, action: str, *, after: dict | None = None, reason: str | None = None, actor=None
    ) -> audit.AuditEvent | None:
        """Append the event to the history of the object the letter is about (an application, a record), in
        the letter's agency; nothing for a letter about no object. The object may belong to any package, so it
        is named by its (related_type, related_id), not loaded."""
        if not self.related_type:
            return None
        return audit.record(
            action,
            object_type=self.related_type,
            object_id=self.related_id,
            agency_id=self.agency_id,
            after=after,
            reason=reason,
            actor=actor,
        )


class DeliveryMethod(enum.StrEnum):
    EMAIL = "email"
    POST = "post"  # 邮寄 (EMS / registered post)
    COLLECTION = "collection"  # 自取 at the office
    IN_PERSON = "in_person"  # 当面送达
    ONLINE = "online"  # downloaded from the applicant's page


class LetterDelivery(TimestampMixin, db.Model):
    """One way a letter reached (or was sent to) its addressee; email rows point at the outbox message."""

    __tablename__ = "letter_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), nullable=False, index=True)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    tracking_number: Mapped[str] = mapped_column(String(60), default="", nullable=False)
    delivered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"), nullable=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    letter: Mapped[Letter] = relationship(back_populates="deliveries")


class LetterSettings(Audited, TimestampMixin, db.Model):
    """An agency's letter settings, edited by its administrators through forms (never raw templates).

    Remedy bodies live on `Agency` (reconsideration_body, litigation_court) and are edited through the same
    form; document-number prefixes live in `Agency.doc_number_prefixes`. Their events are the agency's (object
    type "agency", the agency's id), as the form edits the agency's fields too.
    """

    __tablename__ = "letter_settings"
    audit_type = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), unique=True, nullable=False)
    letterhead: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # defaults to full name
    signatory: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # 落款 (issuing organ)
    contact_block: Mapped[str] = mapped_column(Text, default="", nullable=False)
    seal_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    # {kind: {slot: text}}: the agency's standard paragraphs, overriding the built-in defaults.
    paragraphs: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_object_id(self) -> int:
        return self.agency_id
