"""The agency's report settings: whether it reports as a government (31 March) or a department (31 January)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import User
from disclosure.core import audit
from disclosure.core.errors import Conflict, DomainError
from disclosure.extensions import db
from disclosure.reports.models import AgencyKind, ReportSettings


def settings_for(agency_id: int) -> ReportSettings:
    row = db.session.execute(select(ReportSettings).where(ReportSettings.agency_id == agency_id)).scalar_one_or_none()
    return row or ReportSettings(agency_id=agency_id, agency_kind=AgencyKind.DEPARTMENT.value)


def save_settings(agency_id: int, user: User, *, agency_kind: str, expected_version: int | None = None):
    if agency_kind not in {k.value for k in AgencyKind}:
        raise DomainError(_l("Choose a government or a department."), field="agency_kind")
    row = settings_for(agency_id)
    if row.id is None:
        db.session.add(row)
    elif expected_version is not None and int(expected_version) != row.version:
        raise Conflict(_l("Someone else changed these settings first: review them and try again."))
    before = audit.snapshot(row, ("agency_kind",))
    row.agency_kind = agency_kind
    db.session.flush()
    row.log("report_settings.updated", before=before, after=audit.snapshot(row, ("agency_kind",)), actor=user)
    return row
