"""Remedies (reconsideration, litigation: annual-report table 4) and reopening a corrected case."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import User
from disclosure.accounts.roles import Role
from disclosure.applications.models import Application, CaseEvent, EventKind, Remedy, RemedyKind, RemedyResult
from disclosure.applications.operations.case import (
    REFUSALS,
    _check_past,
    _clean,
    _transition,
    check_version,
    notify_applicant,
    recompute_deadline,
)
from disclosure.core import audit
from disclosure.core.errors import DomainError, NotAllowed
from disclosure.extensions import db
from workflows.application import States

# Reconsideration and litigation are entered in the disclosure office's standing book for the annual report
# (table 4, 条例 Art. 50(3)): by the office that keeps the register and its head. The handler who drafted the
# reply and the legal reviewer who approved it are parties to the contested decision, not its record keepers.
REMEDY_ROLES = (Role.REGISTRAR, Role.OFFICE_HEAD)


def may_record_remedies(staff: User) -> bool:
    return staff.is_sys_admin or staff.has_role(*REMEDY_ROLES)


def record_remedy(
    app: Application,
    staff: User,
    *,
    kind: str,
    body: str,
    filed_date: dt.date,
    result: str = RemedyResult.PENDING,
    decided_date: dt.date | None = None,
    note: str = "",
) -> Remedy:
    """Record an administrative reconsideration or lawsuit against the case (annual-report table 4)."""
    if not may_record_remedies(staff):
        raise NotAllowed(REFUSALS["role"])
    if kind not in set(RemedyKind):
        raise DomainError(_l("Choose reconsideration or litigation."), field="kind")
    if app.state not in (
        States.ISSUED,
        States.DELIVERED,
        States.ARCHIVED,
        States.ABANDONED,
        States.IN_HANDLING,
        States.REGISTERED,
        States.ASSIGNED,
    ):
        raise DomainError(REFUSALS["state"])
    body = _clean(body, 200)
    if not body:
        raise DomainError(_l("Name the reconsideration body or the court."), field="body")
    _check_past(filed_date, "filed_date")
    row = Remedy(
        application_id=app.id,
        agency_id=app.agency_id,
        kind=kind,
        body=body,
        filed_date=filed_date,
        recorded_by_id=staff.id,
        note=_clean(note, 4000),
    )
    db.session.add(row)
    db.session.flush()
    _set_remedy_result(row, result, decided_date)
    app.log(
        "application.remedy_recorded", after=audit.snapshot(row, ("kind", "body", "filed_date", "result")), actor=staff
    )
    db.session.flush()
    return row


def _set_remedy_result(row: Remedy, result: str, decided_date: dt.date | None) -> None:
    if result not in set(RemedyResult):
        raise DomainError(_l("Choose the result."), field="result")
    if result != RemedyResult.PENDING:
        if decided_date is None:
            raise DomainError(_l("Enter the date of the decision."), field="decided_date")
        _check_past(decided_date, "decided_date", not_before=row.filed_date)
    row.result, row.decided_date = result, decided_date if result != RemedyResult.PENDING else None


def update_remedy(row: Remedy, staff: User, *, result: str, decided_date: dt.date | None, note: str = "") -> Remedy:
    """Record the result of a reconsideration or lawsuit (annual-report table 4)."""
    if not may_record_remedies(staff):
        raise NotAllowed(REFUSALS["role"])
    before = audit.snapshot(row, ("result", "decided_date"))
    _set_remedy_result(row, result, decided_date)
    if note:
        row.note = _clean(note, 4000)
    row.application.log(
        "application.remedy_updated",
        before=before,
        after=audit.snapshot(row, ("result", "decided_date")),
        actor=staff,
    )
    db.session.flush()
    return row


def reopen(
    app: Application, head: User, *, received_on: dt.date, reason: str, expected_version: int | None = None
) -> CaseEvent:
    """A reconsideration body or court corrected the reply and orders a new one: the case goes back to
    handling with a new 20-working-day period from the day the decision was received."""
    check_version(app, expected_version)
    reason = _clean(reason, 4000)
    if not reason:
        raise DomainError(_l("State the decision that orders a new reply."), field="reason")
    _check_past(received_on, "received_on", not_before=app.issued_date)
    if app.handler_id is None:
        raise DomainError(_l("Assign a handler first."))
    _transition(app, "reopen", head, reason=reason)
    ev = CaseEvent(kind=EventKind.REOPEN, start_date=received_on, note=reason, created_by_id=head.id)
    app.events.append(ev)
    # The earlier reply stays on record with the letters; the new reply will correct it.
    app.office_approved = app.legal_approved = False
    app.reply_letter_id = None
    app.issued_date = app.closed_date = None
    app.delivered_at = app.archived_at = None
    app.outcome = None
    recompute_deadline(app)
    db.session.flush()
    notify_applicant(app, "reopened")
    return ev
