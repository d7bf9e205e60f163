"""The column-update settings (栏目更新; issue 14 §1): the deployment's default class and gap per column, an agency's
own settings where its supervisor changed them, and the site-level thresholds. A missing row means "the default"
(`rules.DEFAULTS`, `rules.THRESHOLDS`), so a default changed later reaches every agency that kept it."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from disclosure.extensions import db


class ColumnDefault(db.Model):
    """The deployment's default for one column, set by a system administrator (absent: `rules.DEFAULTS`)."""

    __tablename__ = "supervision_column_defaults"

    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    update_class: Mapped[str] = mapped_column(String(20), nullable=False)
    max_gap_days: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the class's gap

    __table_args__ = (CheckConstraint("max_gap_days IS NULL OR max_gap_days > 0", name="gap"),)


class ColumnSetting(db.Model):
    """One agency's own setting for one column, set by its supervisor (the competent department) where it differs
    from the default: its class, its gap, and whether the column applies to the agency at all."""

    __tablename__ = "supervision_column_settings"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    update_class: Mapped[str] = mapped_column(String(20), nullable=False)
    max_gap_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    applies: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    __table_args__ = (CheckConstraint("max_gap_days IS NULL OR max_gap_days > 0", name="gap"),)


class ColumnThreshold(db.Model):
    """A site-level threshold of 国办秘函〔2019〕19号 or a monitor limit, set by a system administrator (absent:
    `rules.THRESHOLDS`' default)."""

    __tablename__ = "supervision_column_thresholds"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False)
