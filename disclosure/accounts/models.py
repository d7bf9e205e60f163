"""Agencies, departments, users and applicant profiles."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from disclosure.accounts.roles import ApplicantCategory, ApplicantType, Role, UserKind
from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin, UTCDateTime
from disclosure.core.timeutil import utcnow
from disclosure.core.validators import org_code_from_uscc
from disclosure.extensions import db


class Agency(Audited, TimestampMixin, db.Model):
    """An administrative organ (机关) that receives applications and publishes information. Its events land in
    its own audit log."""

    __tablename__ = "agencies"
    audit_type = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    short_name: Mapped[str] = mapped_column(String(80), nullable=False)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True, nullable=False)
    division_code: Mapped[str] = mapped_column(String(12), nullable=False)  # 行政区划编码 (GB/T 2260)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    address: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    postal_code: Mapped[str] = mapped_column(String(10), default="", nullable=False)
    office_hours: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    phone: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    fax: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    email: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    website: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    # Remedies named in every reply letter (复议法 Arts. 24–28; 诉讼法 Arts. 15, 18; rules-china §2).
    reconsideration_body: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    litigation_court: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    # Document-number prefixes per series, e.g. {"reply": "X政公开答", "notice": "X政公开告"}.
    doc_number_prefixes: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    # 条例 Art. 31(3): an online application counts as received when the office confirms it.
    auto_confirm_online: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    parent: Mapped[Agency | None] = relationship(remote_side=[id])
    departments: Mapped[list[Department]] = relationship(
        back_populates="agency", order_by="Department.name", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_agency_id(self) -> int | None:
        return self.id

    @property
    def org_code(self) -> str:
        """The 9-character organisation code (positions 9–17 of the credit code)."""
        return org_code_from_uscc(self.credit_code)

    def __repr__(self) -> str:
        return f"<Agency {self.slug}>"


class Department(Audited, TimestampMixin, db.Model):
    """An internal body (内设机构) of an agency, to which cases and records are assigned."""

    __tablename__ = "departments"
    audit_type = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    is_legal: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 法制机构
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    agency: Mapped[Agency] = relationship(back_populates="departments")

    __table_args__ = (UniqueConstraint("agency_id", "name"),)


class User(Audited, UserMixin, TimestampMixin, db.Model):
    """A staff member or an applicant (citizen or organisation). `kind` says which. A staff user's events land
    in their agency's audit log; an applicant has no agency, so theirs land in none."""

    __tablename__ = "users"
    audit_type = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(256), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    email_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The session generation: the session and the remember-me cookie carry it (see `get_id`). It changes on
    # logout, password change and deactivation (`end_sessions`), so every earlier session and cookie, even a
    # copied one, stops working.
    session_token: Mapped[str] = mapped_column(
        String(64), default=lambda: secrets.token_hex(16), nullable=False, unique=True
    )
    locale: Mapped[str | None] = mapped_column(String(10), nullable=True)

    agency: Mapped[Agency | None] = relationship()
    department: Mapped[Department | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    profile: Mapped[ApplicantProfile | None] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )

    # Flask-Login: the session and the remember-me cookie store the token, not the id (see `end_sessions`).
    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def display_name(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_staff(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def is_applicant(self) -> bool:
        return self.kind == UserKind.APPLICANT

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        mine = self.roles
        return any(r in mine for r in roles)

    @property
    def is_sys_admin(self) -> bool:
        return self.is_staff and Role.SYS_ADMIN in self.roles

    def can_see_agency(self, agency_id: int | None) -> bool:
        """Staff see only their own agency's objects unless they administer the system."""
        if not self.is_staff:
            return False
        return self.is_sys_admin or (agency_id is not None and agency_id == self.agency_id)

    def end_sessions(self) -> None:
        """Revoke every session and remember-me cookie of this user, server-side: the user loader no longer
        finds the token they carry."""
        self.session_token = secrets.token_hex(16)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


class UserRole(db.Model):
    __tablename__ = "user_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(40), nullable=False)

    __table_args__ = (UniqueConstraint("user_id", "role"),)


class ApplicantProfile(TimestampMixin, db.Model):
    """What an applicant states once and reuses on every application (条例 Art. 29(1))."""

    __tablename__ = "applicant_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True, nullable=False)
    applicant_type: Mapped[str] = mapped_column(String(20), default=ApplicantType.PERSON, nullable=False)
    category: Mapped[str] = mapped_column(String(30), default=ApplicantCategory.NATURAL_PERSON, nullable=False)
    # Natural persons: identity document.
    doc_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    doc_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Organisations.
    org_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    org_credit_code: Mapped[str | None] = mapped_column(String(18), nullable=True)
    legal_representative: Mapped[str | None] = mapped_column(String(120), nullable=True)
    contact_person: Mapped[str | None] = mapped_column(String(120), nullable=True)
    phone: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    postal_address: Mapped[str] = mapped_column(Text, default="", nullable=False)
    postal_code: Mapped[str] = mapped_column(String(10), default="", nullable=False)

    user: Mapped[User] = relationship(back_populates="profile")

    @property
    def applicant_name(self) -> str:
        return (self.org_name if self.applicant_type == ApplicantType.ORGANISATION else None) or self.user.name
