"""The administrators' calendar data: yearly notices, per-day overrides and the cache version token."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disclosure.core.audit import Audited
from disclosure.core.models import TimestampMixin
from disclosure.extensions import db


class CalendarNotice(Audited, TimestampMixin, db.Model):
    """The State Council's yearly holiday notice (国务院办公厅关于X年部分节假日安排的通知) as entered by an
    administrator. A year with a notice is official: its days are no longer provisional (rules-china §9.3)."""

    __tablename__ = "workday_notices"
    audit_type = "calendar_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    reference: Mapped[str] = mapped_column(String(120), nullable=False)  # 文号, e.g. 国办发明电〔2025〕7号
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    issued_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    overrides: Mapped[list[CalendarOverride]] = relationship(back_populates="notice", order_by="CalendarOverride.day")

    AUDIT_FIELDS = ("year", "reference", "title", "issued_on")


class CalendarOverride(Audited, TimestampMixin, db.Model):
    """One day whose status an administrator fixed: a holiday or a (make-up) working day. Wins over every
    other source."""

    __tablename__ = "workday_overrides"
    audit_type = "calendar_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True, nullable=False)
    is_working: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # The notice the day comes from: a recorded yearly notice, or free text for a one-off change.
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("workday_notices.id", ondelete="SET NULL"), nullable=True, index=True
    )
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)  # e.g. the holiday's name
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    notice: Mapped[CalendarNotice | None] = relationship(back_populates="overrides")

    AUDIT_FIELDS = ("day", "is_working", "source", "note", "notice_id")


class CalendarState(db.Model):
    """One row whose token changes with every calendar change, so other processes notice cheaply that their
    cached tables are stale."""

    __tablename__ = "workday_calendar_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), nullable=False)
