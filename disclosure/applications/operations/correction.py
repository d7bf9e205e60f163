"""Correcting the applicant's details recorded at registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import User
from disclosure.accounts.roles import Role
from disclosure.applications.models import Application
from disclosure.applications.operations.case import (
    APPLICANT_FIELDS,
    CONTACT_FIELDS,
    IDENTITY_FIELDS,
    REFUSALS,
    ApplicationInput,
    ItemInput,
    _clean,
    check_version,
    validate_input,
)
from disclosure.core import audit
from disclosure.core.errors import DomainError, NotAllowed
from disclosure.extensions import db
from workflows import application as wf
from workflows.application import States

# Who the applicant is can be corrected until the reply is drafted (reviewers approve a letter naming them);
# how to reach them, until the reply is delivered.
IDENTITY_STATES = wf.OPEN_STATES - {States.REPLY_DRAFTED, States.OFFICE_REVIEW, States.LEGAL_REVIEW, States.APPROVED}
CONTACT_STATES = wf.OPEN_STATES | {States.ISSUED}


CORRECTING_ROLES = (Role.REGISTRAR, Role.OFFICE_HEAD)


def identity_correctable(app: Application) -> bool:
    return States(app.state) in IDENTITY_STATES


def correctable_fields(app: Application) -> tuple[str, ...]:
    """The applicant's details a correction may change now: the contact details until the reply is delivered,
    who the applicant is until the reply is drafted; none once the case is closed."""
    if States(app.state) not in CONTACT_STATES:
        return ()
    return CONTACT_FIELDS + (IDENTITY_FIELDS if identity_correctable(app) else ())


def _may_correct(staff: User) -> bool:
    return staff.is_sys_admin or staff.has_role(*CORRECTING_ROLES)


def may_correct_applicant(app: Application, staff: User) -> bool:
    """Registrars and office heads correct the details while some of them can still change."""
    return _may_correct(staff) and bool(correctable_fields(app))


def correct_applicant(
    app: Application, staff: User, *, changes: dict, reason: str, expected_version: int | None = None
) -> dict:
    """Staff correct the applicant's details recorded at registration (a typo in the name or ID number, a new
    address), with the same checks as filing (Art. 29) and the reason recorded. Returns the fields changed."""
    check_version(app, expected_version)
    if not _may_correct(staff):
        raise NotAllowed(REFUSALS["role"])
    allowed = correctable_fields(app)
    if not allowed:
        raise DomainError(REFUSALS["state"])
    reason = _clean(reason, 2000)
    if not reason:
        raise DomainError(_l("Give the reason for the correction."), field="reason")
    current = {f: getattr(app, f) for f in APPLICANT_FIELDS}
    wanted = {k: v for k, v in changes.items() if k in allowed and v is not None}
    if not identity_correctable(app) and any(
        k in IDENTITY_FIELDS and v != current[k] for k, v in changes.items() if v is not None
    ):
        raise DomainError(_l("The reply is drafted: only the contact details can still be corrected."))
    data = validate_input(
        ApplicationInput(
            **{**current, **wanted},
            items=[ItemInput(i.description, i.document_ref) for i in app.items],
        ),
        complete=True,
    )
    before = audit.snapshot(app, APPLICANT_FIELDS)
    for f in allowed:
        setattr(app, f, getattr(data, f))
    b, a = audit.diff(before, audit.snapshot(app, APPLICANT_FIELDS))
    if not a:
        raise DomainError(_l("Nothing was changed."))
    app.log("application.applicant_corrected", before=b, after=a, reason=reason, actor=staff)
    db.session.flush()
    return a
