"""Operations on the administrator-editable data behind the rules: settings, code lists and publicity periods
(rules-china §5 ⚠: each is data because the rules are uncertain or change)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.core import audit
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.publicity.models import (
    PublicityCode,
    PublicityPeriod,
    PublicitySetting,
)
from disclosure.publicity.rules import DEFAULT_SETTINGS


def update_setting(key: str, value) -> None:
    if key not in DEFAULT_SETTINGS:
        raise DomainError(_l("Unknown setting."))
    row = db.session.get(PublicitySetting, key)
    before = {key: row.value if row else DEFAULT_SETTINGS[key]}
    if row is None:
        row = PublicitySetting(key=key, value=value)
        db.session.add(row)
    else:
        row.value = value
    db.session.flush()
    row.log("publicity.setting", before=before, after={key: value})


def save_code(
    list_name: str,
    value: str,
    label: str,
    *,
    meaning: str | None = None,
    active: bool = True,
    code: PublicityCode | None = None,
) -> PublicityCode:
    value, label = value.strip(), label.strip()
    if not value or not label:
        raise DomainError(_l("A code needs a value and a label."))
    clash = db.session.execute(
        select(PublicityCode.id).where(PublicityCode.list_name == list_name, PublicityCode.value == value)
    ).scalar_one_or_none()
    if clash is not None and code is None:
        code = db.session.get(PublicityCode, clash)  # the list's value is the key: change its label or state
    elif clash is not None and clash != code.id:
        raise DomainError(_l("This code list already has that value."), field="value")
    before = audit.snapshot(code, ("value", "label", "meaning", "active")) if code else None
    if code is None:
        last = (
            db.session.execute(
                select(db.func.max(PublicityCode.sort_order)).where(PublicityCode.list_name == list_name)
            ).scalar()
            or 0
        )
        code = PublicityCode(list_name=list_name, sort_order=last + 1)
        db.session.add(code)
    code.value, code.label, code.meaning, code.active = value, label, meaning or None, active
    db.session.flush()
    code.log(
        "publicity.code.save",
        before=before,
        after=audit.snapshot(code, ("list_name", "value", "label", "meaning", "active")),
    )
    return code


def save_period(
    severity: str, effective_from: dt.date, *, published: bool, min_months: int, max_months: int, basis: str
) -> PublicityPeriod:
    """A publicity period in force from a date (rules §5.4 ⚠: rules change, so each is dated)."""
    if severity not in ("minor", "general", "serious"):
        raise DomainError(_l("Unknown severity."), field="severity")
    if min_months < 0 or max_months < min_months or max_months > 120:
        raise DomainError(
            _l("The minimum must be between 0 and the maximum, the maximum at most 120 months."), field="max_months"
        )
    row = db.session.execute(
        select(PublicityPeriod).where(
            PublicityPeriod.severity == severity, PublicityPeriod.effective_from == effective_from
        )
    ).scalar_one_or_none()
    fields = ("severity", "effective_from", "published", "min_months", "max_months", "basis")
    before = audit.snapshot(row, fields) if row else None
    if row is None:
        row = PublicityPeriod(severity=severity, effective_from=effective_from)
        db.session.add(row)
    row.published, row.min_months, row.max_months, row.basis = published, min_months, max_months, basis.strip()
    db.session.flush()
    row.log("publicity.period.save", before=before, after=audit.snapshot(row, fields))
    return row
