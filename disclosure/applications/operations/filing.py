"""Filing: drafts, sending, portal filing, confirmation and registration (条例 Arts. 29–31), repeats (Art. 36(6))."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import Agency, User
from disclosure.applications import letters
from disclosure.applications.models import Application, Channel
from disclosure.applications.operations.case import (
    APPLICANT_FIELDS,
    REFUSALS,
    ApplicationInput,
    ItemInput,
    _apply_input,
    _check_past,
    _clean,
    _transition,
    check_version,
    notify_applicant,
    validate_input,
)
from disclosure.applications.queries import repeated_items
from disclosure.core import audit, numbering
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import CHINA_TZ, today_china, utcnow
from disclosure.extensions import db
from workflows.application import States


def _new_reference(app: Application, agency: Agency, on: dt.date) -> None:
    """Unique per agency and year, without gaps, also under concurrent submissions (core.numbering)."""
    serial = numbering.next_value("application", agency.id, on.year)
    fmt = current_app.config.get("APPLICATION_REFERENCE_FORMAT", "{slug}-{year}-{serial:05d}")
    app.ref_year, app.ref_serial = on.year, serial
    app.reference = fmt.format(slug=agency.slug.upper(), year=on.year, serial=serial)


def save_draft(
    applicant: User,
    agency: Agency,
    data: ApplicationInput,
    draft: Application | None = None,
    expected_version: int | None = None,
) -> Application:
    """An applicant saves an online application as a draft (nothing is sent)."""
    if not agency.active:
        raise DomainError(_l("This agency does not accept applications."), field="agency_id")
    data = validate_input(data, complete=False)
    if draft is None:
        draft = Application(agency_id=agency.id, applicant_id=applicant.id, channel=Channel.ONLINE, state=States.DRAFT)
        db.session.add(draft)
        db.session.flush()
    else:
        if draft.state != States.DRAFT or draft.applicant_id != applicant.id:
            raise DomainError(REFUSALS["state"])
        check_version(draft, expected_version)
        draft.agency_id = agency.id
    _apply_input(draft, data, applicant)
    # A draft is the applicant's own until it is sent: it stays out of the agency's audit log (`audit_agency_id`).
    draft.log("application.draft_saved", after=audit.snapshot(draft, APPLICANT_FIELDS), actor=applicant)
    db.session.flush()
    return draft


def delete_draft(draft: Application, applicant: User) -> None:
    """The applicant throws away a draft that was never sent (it has no reference number and no case)."""
    if draft.state != States.DRAFT or draft.applicant_id != applicant.id:
        raise DomainError(REFUSALS["state"])
    draft.log("application.draft_deleted", before=audit.snapshot(draft, APPLICANT_FIELDS), actor=applicant)
    db.session.delete(draft)
    db.session.flush()


def submit(draft: Application, applicant: User, expected_version: int | None = None) -> Application:
    """The applicant sends the draft. It becomes a case when the office confirms it (Art. 31(3)); agencies
    that confirm automatically receive it at once."""
    check_version(draft, expected_version)
    data = ApplicationInput(
        **{f: getattr(draft, f) for f in APPLICANT_FIELDS},
        items=[ItemInput(i.description, i.document_ref) for i in draft.items],
    )
    validate_input(data, complete=True)
    today = today_china()
    _new_reference(draft, draft.agency, today)
    draft.submitted_at = utcnow()
    _transition(draft, "submit", applicant, today=today)
    notify_applicant(draft, "submitted")
    if draft.agency.auto_confirm_online:
        confirm(draft, None, today)
    return draft


def file_online(applicant: User, agency: Agency, data: ApplicationInput) -> Application:
    """Save and send in one step (the API and the form's "submit" button)."""
    draft = save_draft(applicant, agency, data)
    return submit(draft, applicant)


def file_via_portal(agency: Agency, data: ApplicationInput, *, portal: str) -> Application:
    """An external portal files an application on behalf of an applicant (token-authenticated API). The same
    validation as the online form; received when the office confirms it (Art. 31(3)), or at once when the
    agency confirms automatically."""
    if not agency.active:
        raise DomainError(_l("This agency does not accept applications."), field="agency_id")
    data = validate_input(data, complete=True)
    app = Application(
        agency_id=agency.id,
        applicant_id=None,
        channel=Channel.API,
        state=States.DRAFT,
        received_evidence=_clean(portal, 300),
    )
    db.session.add(app)
    db.session.flush()
    _apply_input(app, data, None)
    today = today_china()
    _new_reference(app, agency, today)
    app.submitted_at = utcnow()
    _transition(app, "file_via_portal", None, today=today, extra={"portal": portal})
    notify_applicant(app, "submitted")
    if agency.auto_confirm_online:
        confirm(app, None, today)
    return app


def confirm(
    app: Application, user: User | None, confirmed_on: dt.date | None = None, *, expected_version: int | None = None
) -> Application:
    """Art. 31(3): an online application is received on the day the office confirms it."""
    check_version(app, expected_version)
    today = today_china()
    on = _check_past(
        confirmed_on or today,
        "confirmed_on",
        not_before=(app.submitted_at.astimezone(CHINA_TZ).date() if app.submitted_at else None),
    )
    app.received_date = on
    # The basis (Art. 31(3): the day the office confirmed it) is shown with the date; no evidence to add.
    app.registered_by_id = user.id if user else None
    _transition(app, "confirm", user, today=today)
    _warn_repeats(app, user)
    _issue_receipt(app, user)
    notify_applicant(app, "received")
    return app


def register(
    agency: Agency,
    staff: User,
    data: ApplicationInput,
    *,
    channel: str,
    received_date: dt.date,
    evidence: str = "",
    applicant: User | None = None,
) -> Application:
    """Staff register an application received in person, by post, by fax or email, or orally (Arts. 29, 31).

    The received date is the one Art. 31 fixes for the channel: the day handed in (in person, oral), the day
    signed for (registered post), the day confirmed with the applicant (ordinary letter) or the day both
    sides confirmed (fax, email). It cannot be in the future."""
    if channel not in set(Channel) or channel in (Channel.ONLINE, Channel.API):
        raise DomainError(_l("Choose the channel by which the application arrived."), field="channel")
    if channel in (Channel.REGISTERED_POST, Channel.ORDINARY_LETTER, Channel.FAX, Channel.EMAIL) and not evidence:
        raise DomainError(
            _l("Record how the received date was established (tracking number, confirmation call, …)."),
            field="evidence",
        )
    data = validate_input(data, complete=True)
    _check_past(received_date, "received_date", not_before=today_china() - dt.timedelta(days=366))
    app = Application(
        agency_id=agency.id,
        applicant_id=applicant.id if applicant else None,
        channel=channel,
        state=States.DRAFT,
        received_date=received_date,
        received_evidence=_clean(evidence, 300),
        registered_by_id=staff.id,
        submitted_at=utcnow(),
    )
    db.session.add(app)
    db.session.flush()
    _apply_input(app, data, staff)
    _new_reference(app, agency, received_date)
    db.session.flush()
    _transition(app, "register", staff, extra={"channel": channel, "received_date": received_date})
    _warn_repeats(app, staff)
    _issue_receipt(app, staff)
    notify_applicant(app, "received")
    return app


def _issue_receipt(app: Application, staff: User | None) -> None:
    """Every registered application gets its 登记回执 (issue 4), shown to the applicant with the case."""
    db.session.flush()
    letters.issue_receipt(app, staff)


def _warn_repeats(app: Application, user: User | None) -> None:
    repeats = repeated_items(app)
    if repeats:
        app.repeat_of_id = repeats[0][1].id
        app.log(
            "application.repeat_detected", after={"earlier": sorted({a.reference for _i, a in repeats})}, actor=user
        )
