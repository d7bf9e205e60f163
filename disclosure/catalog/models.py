"""The government information catalogue (政府信息公开目录): entries and their published versions, issuers,
attachments, links between documents, validity history, reviews, cleanups, the agency's statutory content and the
classification lists (rules-china §8; proactive-china §2.1–2.4).

An `Entry` is the working copy an editor changes; each publication freezes an `EntryVersion`, which is what the
public sees ("what the public sees is exactly what was approved"). Validity (有效 / 失效 / 废止) is a history of
`ValidityEvent`s, the entry keeping the current value. Index numbers (索引号) are taken at the first publication
and never reused, also for withdrawn entries.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.core.storage import StoredFile
from disclosure.extensions import db
from workflows.catalog import Attribute, States


class EntryType(enum.StrEnum):
    DOCUMENT = "document"  # a piece of government information (a document, a plan, statistics, a notice …)
    INTERPRETATION = "interpretation"  # 政策解读, linked to the documents it interprets


class DocKind(enum.StrEnum):
    """文件类型: only the first two feed annual-report table 2 (rules-china §3.2)."""

    REGULATION = "regulation"  # 规章
    NORMATIVE = "normative"  # 行政规范性文件
    OTHER = "other"  # 其他公文 / other information

    @property
    def normative(self) -> bool:
        return self in (DocKind.REGULATION, DocKind.NORMATIVE)


class Validity(enum.StrEnum):
    """有效性 (rules-china §8.4)."""

    VALID = "valid"  # 有效
    EXPIRED = "expired"  # 失效 (its period ran out, or declared by a cleanup)
    REPEALED = "repealed"  # 废止


class ValidityChange(enum.StrEnum):
    """What happened to a document's validity, and why (the UK "effects" model, proactive-china §7.3)."""

    MADE = "made"  # first published: valid
    AMENDED = "amended"  # 修改 by a later document: still valid
    REPEALED = "repealed"  # 废止 by a later document
    EXPIRED = "expired"  # its 有效期 ran out (the daily sweep)
    DECLARED_EXPIRED = "declared_expired"  # 宣布失效 by a cleanup
    CONTINUED = "continued"  # 继续有效 by a cleanup
    LISTED_FOR_AMENDMENT = "listed_for_amendment"  # 修改 by a cleanup: still valid until the amending document
    IMPORTED = "imported"  # the validity an imported entry came with


class LinkRelation(enum.StrEnum):
    INTERPRETS = "interprets"  # source is an interpretation of target
    AMENDS = "amends"  # source amends target
    REPEALS = "repeals"  # source repeals target
    RELATED = "related"


class InterpretationForm(enum.StrEnum):
    """解读形式 seen in practice (proactive-china §1.3)."""

    TEXT = "text"  # 文字解读
    GRAPHIC = "graphic"  # 图解
    AUDIO_VIDEO = "audio_video"  # 音视频
    EXPERT = "expert"  # 专家解读
    MEDIA = "media"  # 媒体解读
    QA = "qa"  # 问答
    INTERVIEW = "interview"  # 在线访谈 / 新闻发布会


class AttachmentRole(enum.StrEnum):
    ORIGINAL = "original"  # 全真版: the signed original (PDF / OFD / image)
    TEXT = "text"  # 文字版
    ATTACHMENT = "attachment"  # 附件
    MEDIA = "media"  # an interpretation's graphic, audio or video


class Theme(db.Model):
    """主题分类: two levels (rules-china §8.3), one list for the deployment, edited by administrators."""

    __tablename__ = "catalog_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_themes.id"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    parent: Mapped[Theme | None] = relationship(remote_side=[id])

    @property
    def path(self) -> str:
        """`综合政务/政务公开` (the import's notation)."""
        return f"{self.parent.name}/{self.name}" if self.parent is not None else self.name


class Genre(db.Model):
    """体裁分类 (rules-china §8.4: the statutory document types plus local genres; data, edited by administrators)."""

    __tablename__ = "catalog_genres"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class CatalogSettings(Audited, db.Model):
    """One agency's catalogue settings. Values marked ⚠ in the rules are data here, not constants."""

    __tablename__ = "catalog_settings"
    audit_type = "catalog_settings"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    # 索引号 format: {org} (positions 9–17 of the credit code), {year}, {month}, {serial} (rules-china §8.2).
    index_format: Mapped[str] = mapped_column(String(80), default="{org}/{year}-{serial:05d}", nullable=False)
    publish_due_days: Mapped[int] = mapped_column(Integer, default=20, nullable=False)  # 条例 Art. 26
    interpretation_due_days: Mapped[int] = mapped_column(Integer, default=3, nullable=False)  # 浙江 2016 ⚠
    list_on_request_entries: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    validity_years: Mapped[int] = mapped_column(Integer, default=5, nullable=False)  # local rules ⚠
    provisional_validity_years: Mapped[int] = mapped_column(Integer, default=2, nullable=False)  # 暂行 / 试行 ⚠
    review_months_before_expiry: Mapped[int] = mapped_column(Integer, default=6, nullable=False)  # ⚠
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_object_id(self) -> int:
        return self.agency_id


# The partial indexes supervision reads (catalog.oversight writes these very conditions, with literals).
POLICY_INDEX_WHERE = "doc_kind IN ('regulation', 'normative')"
INTERPRETATION_INDEX_WHERE = "entry_type = 'interpretation'"
PUBLIC_INTERPRETATION_INDEX_WHERE = "entry_type = 'interpretation' AND withdrawn_at IS NULL"


class Entry(Audited, TimestampMixin, db.Model):
    """One piece of government information in the catalogue: the working copy and its life cycle."""

    __tablename__ = "catalog_entries"
    audit_type = "catalog_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)  # the lead issuing organ
    entry_type: Mapped[str] = mapped_column(String(20), default=EntryType.DOCUMENT.value, nullable=False)
    state: Mapped[str] = mapped_column(String(20), default=States.DRAFT.value, nullable=False)
    # 索引号: taken at the first publication from the agency's series, or kept from an import.
    index_number: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    index_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    index_serial: Mapped[int | None] = mapped_column(Integer, nullable=True)

    title: Mapped[str] = mapped_column(String(300), nullable=False)
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)  # 内容概述
    made_on: Mapped[dt.date] = mapped_column(Date, nullable=False)  # 生成日期 / 成文日期
    changed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 变更日期: restarts Art. 26
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 发布日期 of the current version
    first_published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    document_number: Mapped[str] = mapped_column(String(80), default="", nullable=False)  # 发文字号
    document_number_key: Mapped[str] = mapped_column(String(80), default="", nullable=False, index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_themes.id"), nullable=True)
    genre_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_genres.id"), nullable=True)
    category: Mapped[str] = mapped_column(String(20), default="", nullable=False)  # Art. 20 / 21 item
    doc_kind: Mapped[str] = mapped_column(String(20), default=DocKind.OTHER.value, nullable=False)
    attribute: Mapped[str] = mapped_column(String(20), default=Attribute.PROACTIVE.value, nullable=False)
    attribute_basis: Mapped[str] = mapped_column(String(40), default="", nullable=False)  # an exemption's key
    attribute_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    keywords: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    body_html: Mapped[str] = mapped_column(Text, default="", nullable=False)  # sanitised on save

    # Normative documents (规章, 行政规范性文件; proactive-china §2.3).
    registration_number: Mapped[str] = mapped_column(String(80), default="", nullable=False)  # 登记号
    in_force_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 施行日期
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 有效期至
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 暂行 / 试行
    filed_with: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # 备案机关
    filed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    filing_number: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    validity: Mapped[str] = mapped_column(String(20), default=Validity.VALID.value, nullable=False)
    validity_since: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    # Interpretations (政策解读; proactive-china §2.4).
    interpretation_form: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    interpreter: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # 解读单位 / 解读人
    interpreter_contact: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    publish_with_documents: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 同步发布

    revision: Mapped[int] = mapped_column(Integer, default=0, nullable=False)  # published versions so far
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "catalog_versions.id", use_alter=True, name="fk_catalog_entries_published_version", ondelete="SET NULL"
        ),
        nullable=True,
    )
    due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # Art. 26: made or changed + 20 WD
    # What the public search finds: the published version's words and its attachments' text (core.textsearch
    # tokens), empty while the entry is not public; rewritten in the transaction that publishes or withdraws.
    search_text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # The rest of the public search's index (catalog.search, kept with search_text): the title's words, weighed
    # above the body's; the index's order key (publication day and id, so the newest come first without a sort;
    # empty while not public); the published version's classification, which the public filters use.
    search_title: Mapped[str] = mapped_column(Text, default="", nullable=False)
    search_key: Mapped[int | None] = mapped_column(BigInteger, unique=True, index=True, nullable=True)
    search_counts: Mapped[str] = mapped_column(Text, default="", nullable=False)  # what relevance reads
    public_theme_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    public_genre_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    public_category: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    public_doc_kind: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    source: Mapped[str] = mapped_column(String(20), default="form", nullable=False)  # form, import, api, request
    import_key: Mapped[str | None] = mapped_column(String(120), nullable=True)  # the same import row twice
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    theme: Mapped[Theme | None] = relationship()
    genre: Mapped[Genre | None] = relationship()
    issuers: Mapped[list[EntryIssuer]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="EntryIssuer.position"
    )
    attachments: Mapped[list[EntryAttachment]] = relationship(
        back_populates="entry", order_by="EntryAttachment.position, EntryAttachment.id"
    )
    published_version: Mapped[EntryVersion | None] = relationship(foreign_keys=[published_version_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_catalog_entries_agency_state", "agency_id", "state"),
        Index("ix_catalog_entries_due", "state", "due_on"),
        UniqueConstraint("agency_id", "import_key"),
        # Supervision's counts per agency (catalog.oversight; migration supervision_0007), each read from its
        # index alone: first publications in a period; current publications with their Art. 26 judgement, and the
        # entries being prepared past their due date; the policy documents (规章 / 行政规范性文件) and the
        # interpretations, a few rows among all (partial indexes, their conditions written as the queries write
        # them: `POLICY_INDEX_WHERE`, `INTERPRETATION_INDEX_WHERE`).
        Index("ix_catalog_entries_agency_first_published", "agency_id", "first_published_on", "attribute"),
        Index("ix_catalog_entries_agency_state_published", "agency_id", "state", "published_on", "attribute", "due_on"),
        Index(
            "ix_catalog_entries_policy",
            "agency_id",
            "first_published_on",
            "entry_type",
            "attribute",
            "withdrawn_at",
            "published_version_id",
            "validity",
            "valid_until",
            postgresql_where=text(POLICY_INDEX_WHERE),
            sqlite_where=text(POLICY_INDEX_WHERE),
        ),
        Index(
            "ix_catalog_entries_interpretations",
            "agency_id",
            "first_published_on",
            "withdrawn_at",
            "published_version_id",
            postgresql_where=text(INTERPRETATION_INDEX_WHERE),
            sqlite_where=text(INTERPRETATION_INDEX_WHERE),
        ),
        # Migration supervision_0009, for "interpretations missing" over hundreds of agencies read from indexes alone:
        # the policy documents with their ids (the policy index above and the id PostgreSQL joins on; SQLite's
        # indexes hold the id anyway, and either serves it), and the public interpretations by id with their
        # published version (and the columns of the index's condition, which SQLite checks again).
        Index(
            "ix_catalog_entries_policy_ids",
            "agency_id",
            "first_published_on",
            "entry_type",
            "attribute",
            "withdrawn_at",
            "published_version_id",
            "validity",
            "valid_until",
            "id",
            "doc_kind",  # the condition's column too: SQLite reads a partial index alone only so
            postgresql_where=text(POLICY_INDEX_WHERE),
            sqlite_where=text(POLICY_INDEX_WHERE),
        ),
        # The interpretations of a period with what their count and list read (the index above lacks the title,
        # the index number and the condition's column); the column an entry is in and its order key, by id (a joint
        # issuer's latest publication per column); the policy document an interpretation interprets, by id.
        Index(
            "ix_catalog_entries_interpretations_read",
            "agency_id",
            "first_published_on",
            "withdrawn_at",
            "published_version_id",
            "entry_type",
            "index_number",
            "title",
            postgresql_where=text(INTERPRETATION_INDEX_WHERE),
            sqlite_where=text(INTERPRETATION_INDEX_WHERE),
        ),
        Index("ix_catalog_entries_id_column", "id", "search_key", "public_category"),
        Index(
            "ix_catalog_entries_policy_by_id",
            "id",
            "entry_type",
            "attribute",
            "withdrawn_at",
            "published_version_id",
            "first_published_on",
            "agency_id",
            "doc_kind",
            postgresql_where=text(POLICY_INDEX_WHERE),
            sqlite_where=text(POLICY_INDEX_WHERE),
        ),
        Index(
            "ix_catalog_entries_public_interpretations",
            "id",
            "published_version_id",
            "entry_type",
            "withdrawn_at",
            postgresql_where=text(PUBLIC_INTERPRETATION_INDEX_WHERE),
            sqlite_where=text(PUBLIC_INTERPRETATION_INDEX_WHERE),
        ),
    )

    @property
    def kind(self) -> DocKind:
        return DocKind(self.doc_kind)

    @property
    def is_public(self) -> bool:
        """The public sees its published version: a 主动公开 entry published once and not withdrawn."""
        return self.published_version_id is not None and self.withdrawn_at is None and self.public_attribute

    @property
    def public_attribute(self) -> bool:
        version = self.published_version
        return version is not None and version.attribute == Attribute.PROACTIVE.value

    def live_attachments(self) -> list[EntryAttachment]:
        return [a for a in self.attachments if a.removed_at is None]


# The public platform's browse lists (catalog.platform): a category, theme or genre, newest publication first
# (search_key: publication day and id), read along one index that stops at the page (migration catalog_0012).
BROWSE_INDEXES = tuple(
    Index(f"ix_catalog_entries_browse_{name}", getattr(Entry, f"public_{name}"), Entry.search_key)
    for name in ("category", "theme_id", "genre_id")
)


# The joint issuers' partial index condition, as each database's query writes `EntryIssuer.lead == false()` (SQLite
# matches a partial index only on the very same terms).
JOINT_INDEX_WHERE = {"postgresql": "lead = false", "sqlite": "lead = 0"}


class EntryIssuer(db.Model):
    """发文机关: a joint document (联合发文) has several; each sees the entry in its own catalogue."""

    __tablename__ = "catalog_entry_issuers"

    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True, index=True)
    lead: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    entry: Mapped[Entry] = relationship(back_populates="issuers")

    # The joint issuers of an agency, a few rows among all (supervision counts an entry for each issuer;
    # migration supervision_0007).
    __table_args__ = (
        Index(
            "ix_catalog_entry_issuers_joint",
            "agency_id",
            "entry_id",
            postgresql_where=text(JOINT_INDEX_WHERE["postgresql"]),
            sqlite_where=text(JOINT_INDEX_WHERE["sqlite"]),
        ),
    )


class SearchIssuer(db.Model):
    """The issuing organs of an entry's published version, as the public search filters them (a joint document is
    found under each); rewritten with the entry's search text, empty while the entry is not public."""

    __tablename__ = "catalog_search_issuers"

    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True, index=True)


class EntryVersion(db.Model):
    """One published (or recorded) version, frozen: the public page renders exactly this."""

    __tablename__ = "catalog_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    published_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    attribute: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    document_number: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    body_html: Mapped[str] = mapped_column(Text, default="", nullable=False)
    metadata_json: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)  # every other public field
    attachment_ids: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    change_note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    __table_args__ = (
        UniqueConstraint("entry_id", "revision"),
        # The changes published in a period, read from the index (catalog.oversight; migration supervision_0007).
        Index("ix_catalog_versions_changes", "published_on", "revision", "attribute", "entry_id"),
        # A version's attribute by its id, read from the index (whether an interpretation is public; supervision_0009).
        Index("ix_catalog_versions_id_attribute", "id", "attribute"),
    )


class EntryAttachment(db.Model):
    """A file of an entry. Never deleted: a version names the attachments it published."""

    __tablename__ = "catalog_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), nullable=False, index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), nullable=False)
    role: Mapped[str] = mapped_column(String(20), default=AttachmentRole.ATTACHMENT.value, nullable=False)
    title: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # pdf, ofd, docx, doc, xlsx, xls, png, jpeg …
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # extracted for search
    text_status: Mapped[str] = mapped_column(String(10), default="pending", nullable=False)  # pending/done/none
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    entry: Mapped[Entry] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship()


class EntryLink(db.Model):
    """A relation between two entries: an interpretation and its document, an amendment or repeal."""

    __tablename__ = "catalog_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), nullable=False, index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), nullable=False, index=True)
    relation: Mapped[str] = mapped_column(String(20), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    source: Mapped[Entry] = relationship(foreign_keys=[source_id])
    target: Mapped[Entry] = relationship(foreign_keys=[target_id])

    __table_args__ = (UniqueConstraint("source_id", "target_id", "relation"),)


class ValidityEvent(db.Model):
    """One change of a document's validity, with its date and cause (a later document, a cleanup, the sweep)."""

    __tablename__ = "catalog_validity_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), nullable=False, index=True)
    change: Mapped[str] = mapped_column(String(20), nullable=False)  # ValidityChange
    validity: Mapped[str] = mapped_column(String(20), nullable=False)  # the validity from effective_on
    effective_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    applied: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)  # False until effective_on
    cause_entry_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_entries.id"), nullable=True)
    cleanup_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_cleanups.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    cause: Mapped[Entry | None] = relationship(foreign_keys=[cause_entry_id])

    __table_args__ = (Index("ix_catalog_validity_events_pending", "applied", "effective_on"),)


class EntryReview(db.Model):
    """One review step of one revision: the attribute (disclosure office), secrecy, legality, approval."""

    __tablename__ = "catalog_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), nullable=False, index=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)  # the revision being prepared (entry.revision+1)
    step: Mapped[str] = mapped_column(String(20), nullable=False)  # attribute, secrecy, legality, approval
    decision: Mapped[str] = mapped_column(String(20), nullable=False)  # passed, returned
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    reviewer_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # legality: who reviewed
    reviewed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)


class Cleanup(Audited, TimestampMixin, db.Model):
    """清理: an agency reviews every valid normative document; the result list is published as an entry."""

    __tablename__ = "catalog_cleanups"
    audit_type = "catalog_cleanup"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    scope: Mapped[str] = mapped_column(String(20), default="periodic", nullable=False)  # 定期 / 专项 / 全面
    state: Mapped[str] = mapped_column(String(20), default="open", nullable=False)
    effective_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # decisions take effect
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    result_entry_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_entries.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    items: Mapped[list[CleanupItem]] = relationship(back_populates="cleanup", order_by="CleanupItem.id")

    __mapper_args__ = {"version_id_col": version}


class CleanupItem(db.Model):
    __tablename__ = "catalog_cleanup_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    cleanup_id: Mapped[int] = mapped_column(ForeignKey("catalog_cleanups.id"), nullable=False, index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), nullable=False)
    decision: Mapped[str] = mapped_column(String(20), default="", nullable=False)  # continue/amend/repeal/expire
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    cleanup: Mapped[Cleanup] = relationship(back_populates="items")
    entry: Mapped[Entry] = relationship()

    __table_args__ = (UniqueConstraint("cleanup_id", "entry_id"),)


class AgencyProfile(Audited, db.Model):
    """条例 Art. 20(2) content the address book does not hold (functions, leaders), and the guide's own parts.
    Address, hours, phones and e-mail stay on `Agency` (one source, which the letters already use)."""

    __tablename__ = "catalog_agency_profiles"
    audit_type = "catalog_profile"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    functions_html: Mapped[str] = mapped_column(Text, default="", nullable=False)  # 机构职能
    leaders: Mapped[list] = mapped_column(JSON, default=list, nullable=False)  # [{name, title, duties}]
    request_office: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # 受理机构
    archive_points: Mapped[list] = mapped_column(JSON, default=list, nullable=False)  # [{name, address, phone}]
    guide_paragraphs_html: Mapped[str] = mapped_column(Text, default="", nullable=False)
    guide_entry_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_entries.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_object_id(self) -> int:
        return self.agency_id


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def progress_percent(status: str, processed: int, total: int) -> int:
    """A background job's progress bar: 100 when done, else at most 99."""
    if status == ImportStatus.DONE.value:
        return 100
    if not total:
        return 0
    return min(99, int(100 * processed / total))


class CatalogImport(Audited, TimestampMixin, db.Model):
    """An import of an old website's catalogue (an XLSX, with an optional ZIP of the attachments it names); large
    files run in the background with their progress here (issue 11 §6)."""

    __tablename__ = "catalog_imports"
    audit_type = "catalog_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    files_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)  # the ZIP
    files_name: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN", nullable=False)  # of the error messages
    status: Mapped[str] = mapped_column(String(20), default=ImportStatus.QUEUED.value, nullable=False)
    total_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    errors_preview: Mapped[list] = mapped_column(JSON, default=list, nullable=False)  # [[row, column, message]]
    error_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def progress_percent(self) -> int:
        return progress_percent(self.status, self.processed_rows, self.total_rows)


class CatalogExport(Audited, TimestampMixin, db.Model):
    """An Art. 25 export (archives and libraries) too large to build during the request: built by the worker
    into a stored ZIP, downloaded by the agency's staff from its status page (issue 11 §5)."""

    __tablename__ = "catalog_exports"
    audit_type = "catalog_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default=ImportStatus.QUEUED.value, nullable=False)
    total_entries: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed_entries: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), nullable=True)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def progress_percent(self) -> int:
        return progress_percent(self.status, self.processed_entries, self.total_entries)


class EntryRequest(db.Model):
    """条例 Art. 44: a catalogue entry drafted from information several applicants asked for, and the requests
    (their items) that asked for it."""

    __tablename__ = "catalog_entry_requests"

    entry_id: Mapped[int] = mapped_column(ForeignKey("catalog_entries.id"), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), primary_key=True, index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("application_items.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
