"""Public participation (意见征集): consultation kinds and their minimum periods, agency settings, consultations
on drafts, their hearings and symposia, comments, groups of similar comments, and the annual list of major
administrative decisions (重大行政决策事项目录) (proactive-china §1.4, §2.5; issue 12).

A commenter's name, contact details and ID number live only in `Comment` columns that no public page, feed or
export reads; answers stay private until the consultation's feedback is published (`answers_published_at`).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.core.textsearch import TextIndex, index_text
from disclosure.extensions import db
from workflows.consultation import States


class PeriodUnit(enum.StrEnum):
    DAYS = "days"  # 日: calendar days
    WORKING_DAYS = "working_days"  # 工作日 on the one calendar


class Channel(enum.StrEnum):
    ONLINE = "online"
    EMAIL = "email"
    POST = "post"
    FAX = "fax"
    HEARING = "hearing"  # said at a hearing or symposium and minuted


class SubmitterType(enum.StrEnum):
    """提出人类别 (proactive-china §2.5): what the feedback may say about who commented."""

    CITIZEN = "citizen"
    ENTERPRISE = "enterprise"
    ORGANISATION = "organisation"
    ASSOCIATION = "association"  # 行业协会商会
    EXPERT = "expert"
    OTHER = "other"


class Result(enum.StrEnum):
    """处理结果 (proactive-china §1.4)."""

    ADOPTED = "adopted"  # 采纳
    PARTLY = "partly"  # 部分采纳
    NOT_ADOPTED = "not_adopted"  # 未采纳 (reason required)
    EXPLAINED = "explained"  # 已有相关规定 / 说明


class Moderation(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"  # shown on the public page (when the agency publishes comments)
    HIDDEN = "hidden"  # kept, counted and answered, but not shown


class EventKind(enum.StrEnum):
    HEARING = "hearing"  # 听证会
    SYMPOSIUM = "symposium"  # 座谈会


class ConsultationKind(Audited, db.Model):
    """A kind of draft with its minimum period, counted as the law counts (data, edited by administrators)."""

    __tablename__ = "participation_kinds"
    audit_type = "participation_kind"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name_zh: Mapped[str] = mapped_column(String(60), nullable=False)
    name_en: Mapped[str] = mapped_column(String(100), nullable=False)
    min_period: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), default=PeriodUnit.DAYS.value, nullable=False)
    # 民法典 Art. 203: a period ending on a holiday ends on the next working day (⚠ for comment periods).
    roll_to_working_day: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    legal_basis: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    @property
    def audit_agency_id(self) -> int | None:
        return None


class ParticipationSettings(Audited, db.Model):
    """One agency's choices about comments."""

    __tablename__ = "participation_settings"
    audit_type = "participation_settings"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    require_account: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    require_name: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    require_email: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    require_phone: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    require_id_number: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    publish_comments: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    @property
    def audit_object_id(self) -> int:
        return self.agency_id


class DecisionMatter(Audited, TimestampMixin, db.Model):
    """One item of the agency's annual 重大行政决策事项目录 (条例 Art. 3 para 3)."""

    __tablename__ = "participation_matters"
    audit_type = "participation_matter"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    lead_unit: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # 承办单位
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    planned_time: Mapped[str] = mapped_column(String(60), default="", nullable=False)  # 计划完成时间
    methods: Mapped[str] = mapped_column(String(300), default="", nullable=False)  # 公众参与方式
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    __table_args__ = (Index("ix_participation_matters_agency_year", "agency_id", "year"),)


class MatterList(Audited, db.Model):
    """The published catalogue entry of an agency's list for a year (republished as a new version on change)."""

    __tablename__ = "participation_matter_lists"
    audit_type = "participation_matter_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the catalogue entry
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (UniqueConstraint("agency_id", "year"),)


class Consultation(Audited, TimestampMixin, db.Model):
    __tablename__ = "participation_consultations"
    audit_type = "participation_consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    state: Mapped[str] = mapped_column(String(20), default=States.DRAFT.value, nullable=False)
    kind_id: Mapped[int] = mapped_column(ForeignKey("participation_kinds.id"), nullable=False)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("participation_matters.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)
    draft_html: Mapped[str] = mapped_column(Text, default="", nullable=False)  # sanitised on save
    explanation_html: Mapped[str] = mapped_column(Text, default="", nullable=False)  # 起草说明
    questions: Mapped[str] = mapped_column(Text, default="", nullable=False)
    market_related: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 营商条例 Art. 62
    # Channels: online here, and the addresses shown for email, post and fax (empty: not offered).
    accept_online: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    email_address: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    postal_address: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    fax: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    contact: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # 联系部门和电话
    # The period: opens at `opens_at`, runs `period_length` units of the kind (start day excluded), ends at the
    # end of `closes_on` (China time), stored as `closes_at` (the first instant after it).
    opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    period_length: Mapped[int] = mapped_column(Integer, nullable=False)
    period_unit: Mapped[str] = mapped_column(String(20), nullable=False)
    closes_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    shortened_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    extensions: Mapped[list] = mapped_column(db.JSON, default=list, nullable=False)  # [{from, to, reason, at}]
    opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Catalogue links (ids through the catalogue's door; no foreign key across branches).
    catalog_draft_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    feedback_entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    feedback_intro_html: Mapped[str] = mapped_column(Text, default="", nullable=False)
    answers_published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    kind: Mapped[ConsultationKind] = relationship()
    matter: Mapped[DecisionMatter | None] = relationship()
    events: Mapped[list[HearingEvent]] = relationship(
        back_populates="consultation", order_by="HearingEvent.starts_at", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_participation_consultations_state_opens", "state", "opens_at"),
        Index("ix_participation_consultations_agency_state", "agency_id", "state"),
    )

    @property
    def answers_public(self) -> bool:
        return self.answers_published_at is not None


class HearingEvent(Audited, TimestampMixin, db.Model):
    """A hearing (听证会) or symposium (座谈会) of a consultation (重大行政决策程序暂行条例 Art. 16)."""

    __tablename__ = "participation_events"
    audit_type = "participation_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("participation_consultations.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), default=EventKind.HEARING.value, nullable=False)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    place: Mapped[str] = mapped_column(String(300), nullable=False)
    selection_method: Mapped[str] = mapped_column(Text, default="", nullable=False)
    participants: Mapped[str] = mapped_column(Text, default="", nullable=False)  # published in advance
    materials_html: Mapped[str] = mapped_column(Text, default="", nullable=False)
    materials_published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    minutes_html: Mapped[str] = mapped_column(Text, default="", nullable=False)
    minutes_published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    consultation: Mapped[Consultation] = relationship(back_populates="events")

    @property
    def audit_agency_id(self) -> int | None:
        return self.consultation.agency_id


class CommentGroup(Audited, db.Model):
    """Similar comments answered together."""

    __tablename__ = "participation_groups"
    audit_type = "participation_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("participation_consultations.id"), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)  # 意见摘要
    result: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)


UNANSWERED = "result = '' AND duplicate_of_id IS NULL"  # the partial index's condition, as the query writes it


def _body_search_text(context) -> str:
    """The column default of `Comment.search_text`, for rows inserted without the ORM's attribute event (bulk
    inserts of a list of rows: the benchmark, a future import)."""
    return index_text(context.get_current_parameters().get("body"))


class Comment(Audited, db.Model):
    """One opinion, received online or entered by staff (post, email, fax, hearing)."""

    __tablename__ = "participation_comments"
    audit_type = "participation_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("participation_consultations.id"), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    number: Mapped[str | None] = mapped_column(String(30), nullable=True)  # from the agency's gapless series
    # The same form posted twice (a double click, a retry) counts once: its token is unique per consultation.
    submission_key: Mapped[str] = mapped_column(String(64), nullable=False)
    access_key: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)  # the commenter's status link
    channel: Mapped[str] = mapped_column(String(20), default=Channel.ONLINE.value, nullable=False)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    article: Mapped[int] = mapped_column(Integer, default=0, nullable=False)  # 0: the whole draft
    paragraph: Mapped[str] = mapped_column(String(60), default="", nullable=False)  # e.g. 第二款
    body: Mapped[str] = mapped_column(Text, nullable=False)  # plain text, escaped wherever shown
    # The body, one token per character (core.textsearch.index_text), searched through `SEARCH_INDEX`; set
    # whenever the body is (`_index_body`), by the column default on bulk inserts.
    search_text: Mapped[str] = mapped_column(Text, default=_body_search_text, server_default="", nullable=False)
    submitter_type: Mapped[str] = mapped_column(String(20), default=SubmitterType.CITIZEN.value, nullable=False)
    # Private: never on a public page, feed or public export.
    name: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    email: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    phone: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    id_number: Mapped[str] = mapped_column(String(18), default="", nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    attachment_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    moderation: Mapped[str] = mapped_column(String(20), default=Moderation.PENDING.value, nullable=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("participation_comments.id"), nullable=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("participation_groups.id"), nullable=True)
    result: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    group: Mapped[CommentGroup | None] = relationship()
    consultation: Mapped[Consultation] = relationship()

    __table_args__ = (
        UniqueConstraint("consultation_id", "submission_key"),
        UniqueConstraint("agency_id", "number"),
        Index("ix_participation_comments_consultation_id", "consultation_id", "id"),
        # The moderation list's filters, each read newest first along its index and counted from it.
        Index("ix_participation_comments_article", "consultation_id", "article", "id"),
        Index("ix_participation_comments_moderation", "consultation_id", "moderation", "id"),
        Index("ix_participation_comments_channel", "consultation_id", "channel", "id"),
        Index("ix_participation_comments_result", "consultation_id", "result", "id"),
        # "Without an answer": the comments not answered themselves nor duplicates, counted and paged from the
        # index alone (the group's answer is read from the few groups).
        Index(
            "ix_participation_comments_unanswered",
            "consultation_id",
            "id",
            "group_id",
            postgresql_where=text(UNANSWERED),
            sqlite_where=text(UNANSWERED),
        ),
        Index("ix_participation_comments_duplicate_of", "duplicate_of_id"),
        # The comments an agency received in a period (participation.oversight; migration supervision_0007).
        Index("ix_participation_comments_agency_received", "agency_id", "received_on"),
    )

    @property
    def answer(self) -> tuple[str, str]:
        """(result, reason): the group's answer when the comment is in a group, else its own."""
        if self.group is not None and self.group.result:
            return self.group.result, self.group.reason
        return self.result, self.reason


@event.listens_for(Comment.body, "set")
def _index_body(target: Comment, value, _old, _initiator) -> None:
    target.search_text = index_text(value)


# --- The moderation list's text search ---------------------------------------------------------------------------

SEARCH_INDEX = TextIndex(
    table="participation_comments",
    column="search_text",
    fts_table="participation_comments_fts",
    pg_index="ix_participation_comments_search",
)


def declare_postgres_search_index() -> None:
    """The GIN index of `SEARCH_INDEX` on the model, for a PostgreSQL database only (see TextIndex)."""
    SEARCH_INDEX.declare_postgres_index(Comment.__table__)
