"""The agency's application handling settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import User
from disclosure.applications.models import AgencyApplicationSettings
from disclosure.applications.operations.case import _clean, check_version
from disclosure.applications.queries import settings_for
from disclosure.core import audit
from disclosure.core.errors import DomainError
from disclosure.extensions import db

SETTINGS_FIELDS = (
    "fee_wait_pauses_clock",
    "due_soon_days",
    "candidate_threshold",
    "supplement_days",
    "fee_payment_instructions",
    "fee_waiver_allowed",
)


def save_settings(
    agency_id: int,
    staff: User,
    *,
    fee_wait_pauses_clock: bool,
    due_soon_days: int,
    candidate_threshold: int,
    supplement_days: int,
    fee_payment_instructions: str,
    fee_waiver_allowed: bool = True,
    expected_version: int | None = None,
) -> AgencyApplicationSettings:
    """The agency's handling settings (rules-china ⚠ facts kept as data: whether the fee wait pauses the
    clock, 109号; the reasonable supplementation period, Art. 30; the Art. 44 threshold)."""
    if not 0 <= due_soon_days <= 20:
        raise DomainError(_l("Warn between 0 and 20 working days before a deadline."), field="due_soon_days")
    if not 2 <= candidate_threshold <= 100:
        raise DomainError(_l("The threshold is between 2 and 100 applicants."), field="candidate_threshold")
    if not 1 <= supplement_days <= 60:
        raise DomainError(
            _l("The applicant's deadline must be between 1 and 60 working days."), field="supplement_days"
        )
    row = settings_for(agency_id)
    if row.id is None:  # the defaults, saved for the first time
        db.session.add(row)
    else:
        check_version(row, expected_version)
    before = audit.snapshot(row, SETTINGS_FIELDS)
    row.fee_wait_pauses_clock = bool(fee_wait_pauses_clock)
    row.due_soon_days, row.candidate_threshold, row.supplement_days = (
        due_soon_days,
        candidate_threshold,
        supplement_days,
    )
    row.fee_payment_instructions = _clean(fee_payment_instructions, 4000)
    row.fee_waiver_allowed = bool(fee_waiver_allowed)
    db.session.flush()
    b, a = audit.diff(before, audit.snapshot(row, SETTINGS_FIELDS))
    row.log("application_settings.saved", before=b, after=a, actor=staff)
    return row
