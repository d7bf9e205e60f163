"""Operations on disclosure-on-request cases: one verb per change (条例 Arts. 29–45).

Each function validates, asks `workflows.application` whether the transition is allowed for this actor,
changes the rows, appends one audit event and queues the applicant's email through the outbox. Operations
only flush; the request boundary (or the CLI / task) commits once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from disclosure.accounts.models import Agency, Department, User
from disclosure.accounts.roles import ApplicantCategory, ApplicantType, Role
from disclosure.applications import deadlines, fees, uploads
from disclosure.applications.models import (
    AgencyApplicationSettings,
    Application,
    Assignment,
    Attachment,
    AttachmentPurpose,
    CaseEvent,
    Channel,
    ConsultationKind,
    DeadlineStatus,
    DeliveryChannel,
    EventKind,
    Note,
    ProvisionForm,
    Rating,
    Remedy,
    RemedyKind,
    RemedyResult,
    RequestedItem,
    Review,
)
from disclosure.core import audit, numbering, validators
from disclosure.core.errors import Conflict, DomainError, NotAllowed
from disclosure.core.outbox import OutboxMessage, enqueue_email
from disclosure.core.timeutil import CHINA_TZ, today_china, utcnow
from disclosure.extensions import db
from workflows import application as wf
from workflows.application import Facts, States, TransitionRefused

OBJECT_TYPE = "application"
SNAPSHOT_FIELDS = ("state", "due_date", "due_provisional", "handler_id", "department_id", "outcome")
APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_category",
    "applicant_name",
    "doc_type",
    "doc_number",
    "org_credit_code",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "postal_address",
    "postal_code",
    "provision_form",
    "delivery_channel",
    "needs_assistance",
)
MAX_ITEMS = 50


# --- Input ---------------------------------------------------------------------------------------------------


@dataclass
class ItemInput:
    description: str
    document_ref: str = ""


@dataclass
class ApplicationInput:
    """What a form, the staff registration page or the API gives (条例 Art. 29)."""

    applicant_type: str = ApplicantType.PERSON
    applicant_category: str = ApplicantCategory.NATURAL_PERSON
    applicant_name: str = ""
    doc_type: str | None = None
    doc_number: str | None = None
    org_credit_code: str | None = None
    legal_representative: str | None = None
    contact_person: str | None = None
    phone: str = ""
    email: str = ""
    postal_address: str = ""
    postal_code: str = ""
    provision_form: str = ProvisionForm.ELECTRONIC
    delivery_channel: str = DeliveryChannel.EMAIL
    needs_assistance: bool = False
    items: list[ItemInput] = field(default_factory=list)
    files: list[tuple[str, uploads.Upload]] = field(default_factory=list)  # (purpose, upload)


def _clean(text: str | None, limit: int) -> str:
    return (text or "").strip()[:limit]


def validate_input(data: ApplicationInput, *, complete: bool) -> ApplicationInput:
    """The same checks for the online form, staff registration and the API. `complete=False` (a draft)
    checks only what is filled in. Raises DomainError naming the field."""
    out = ApplicationInput(**{k: getattr(data, k) for k in data.__dataclass_fields__})
    if out.applicant_type not in set(ApplicantType):
        raise DomainError(_l("Choose whether the applicant is a person or an organisation."), field="applicant_type")
    if out.applicant_type == ApplicantType.PERSON:
        out.applicant_category = ApplicantCategory.NATURAL_PERSON
        out.org_credit_code = out.legal_representative = None
    elif (
        out.applicant_category not in set(ApplicantCategory)
        or out.applicant_category == ApplicantCategory.NATURAL_PERSON
    ):
        raise DomainError(_l("Choose the organisation's category for the annual report."), field="applicant_category")
    out.applicant_name = _clean(out.applicant_name, 200)
    out.phone = _clean(out.phone, 40)
    out.email = _clean(out.email, 254).lower()
    out.postal_address = _clean(out.postal_address, 1000)
    out.postal_code = _clean(out.postal_code, 10)
    if out.postal_code and not re.fullmatch(r"\d{6}", out.postal_code):
        raise DomainError(_l("A postal code has 6 digits."), field="postal_code")
    if out.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", out.email):
        raise DomainError(_l("The email address is not valid."), field="email")
    try:
        if out.applicant_type == ApplicantType.PERSON and out.doc_number:
            out.doc_number = validators.validate_document(out.doc_type or "", out.doc_number)
        if out.applicant_type == ApplicantType.ORGANISATION and out.org_credit_code:
            out.org_credit_code = validators.validate_uscc(out.org_credit_code)
    except validators.ValidationError as exc:
        fld = "doc_number" if out.applicant_type == ApplicantType.PERSON else "org_credit_code"
        raise DomainError(exc.message, field=fld) from None
    if out.provision_form not in set(ProvisionForm):
        raise DomainError(_l("Choose how the information should be provided."), field="provision_form")
    if out.delivery_channel not in set(DeliveryChannel):
        raise DomainError(_l("Choose how the reply should be delivered."), field="delivery_channel")
    items = [ItemInput(_clean(i.description, 4000), _clean(i.document_ref, 300)) for i in out.items]
    if any(not i.description and i.document_ref for i in items):
        raise DomainError(_l("Each requested item needs a description."), field="items")
    out.items = [i for i in items if i.description]
    if len(out.items) > MAX_ITEMS:
        raise DomainError(_l("At most %(n)s items per application.", n=MAX_ITEMS), field="items")
    for purpose, up in out.files:
        if purpose not in set(AttachmentPurpose):
            raise DomainError(_l("Unknown attachment kind."), field="files")
        uploads.check(up)
    if complete:
        _require_complete(out)
    return out


def _require_complete(out: ApplicationInput) -> None:
    """条例 Art. 29: name, proof of identity, contact details, a description, the form of provision."""
    if not out.applicant_name:
        raise DomainError(_l("Enter the applicant's name."), field="applicant_name")
    if out.applicant_type == ApplicantType.PERSON and not out.doc_number:
        raise DomainError(_l("Enter the number of the identity document."), field="doc_number")
    if out.applicant_type == ApplicantType.ORGANISATION and not out.org_credit_code:
        raise DomainError(_l("Enter the organisation's unified social credit code."), field="org_credit_code")
    if not (out.phone or out.email or out.postal_address):
        raise DomainError(_l("Give at least one way to contact the applicant."), field="phone")
    if out.delivery_channel == DeliveryChannel.EMAIL and not out.email:
        raise DomainError(_l("Delivery by email needs an email address."), field="email")
    if out.delivery_channel == DeliveryChannel.POST and not out.postal_address:
        raise DomainError(_l("Delivery by post needs a postal address."), field="postal_address")
    if not out.items:
        raise DomainError(_l("Describe at least one piece of information you are asking for."), field="items")


def fingerprint(description: str, document_ref: str = "") -> str:
    """What identifies the information asked for (Art. 36(6) repeats, Art. 44 candidates): the document number
    when one is given (示政办〔2025〕12号 and 示政办[2025]12号 are the same document whatever the description
    says), otherwise the description; width, case, spaces and punctuation do not matter."""
    return fingerprint_text(document_ref if _normal(document_ref) else description)


def fingerprint_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(_normal(text).encode("utf-8")).hexdigest()


def _normal(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def _apply_input(app: Application, data: ApplicationInput, user: User | None) -> None:
    for f in APPLICANT_FIELDS:
        setattr(app, f, getattr(data, f))
    if app.items:  # replaced wholesale: delete the old rows first (positions are unique per case)
        app.items.clear()
        db.session.flush()
    app.items = [
        RequestedItem(
            position=i + 1,
            description=it.description,
            document_ref=it.document_ref,
            fingerprint=fingerprint(it.description, it.document_ref),
        )
        for i, it in enumerate(data.items)
    ]
    for purpose, up in data.files:
        stored = uploads.store_checked(up, agency_id=app.agency_id, user_id=user.id if user else None)
        db.session.flush()
        app.attachments.append(Attachment(file_id=stored.id, purpose=purpose, uploaded_by_id=user.id if user else None))


# --- Settings, facts, actors ---------------------------------------------------------------------------------


def settings_for(agency_id: int) -> AgencyApplicationSettings:
    row = db.session.execute(
        select(AgencyApplicationSettings).where(AgencyApplicationSettings.agency_id == agency_id)
    ).scalar_one_or_none()
    return row or AgencyApplicationSettings(
        agency_id=agency_id,
        fee_wait_pauses_clock=True,
        due_soon_days=5,
        candidate_threshold=2,
        supplement_days=15,
        fee_waiver_allowed=True,
    )


def _events(app: Application, kind: str | None = None) -> list[CaseEvent]:
    return [e for e in app.events if kind is None or e.kind == kind]


def _open_event(app: Application, kind: str) -> CaseEvent | None:
    for e in reversed(app.events):
        if e.kind == kind and e.end_date is None:
            return e
    return None


def _since_reopen(app: Application) -> list[CaseEvent]:
    evs = list(app.events)
    for i in range(len(evs) - 1, -1, -1):
        if evs[i].kind == EventKind.REOPEN:
            return evs[i + 1 :]
    return evs


def facts_for(app: Application, user: User | None, today: dt.date | None = None) -> Facts:
    today = today or today_china()
    since = _since_reopen(app)
    sup_req = [e for e in app.events if e.kind == EventKind.SUPPLEMENT_REQUEST]
    fee = _open_event(app, EventKind.FEE_NOTICE)
    notice_in_time = True
    if app.received_date is not None:
        notice_in_time = today <= deadlines.supplement_notice_due(app.received_date)
    open_sup = sup_req[-1] if sup_req and app.state == States.SUPPLEMENTATION_REQUESTED else None
    return Facts(
        supplementation_requested_before=bool(sup_req),
        supplementation_notice_in_time=notice_in_time,
        supplementation_deadline_passed=bool(open_sup and open_sup.due_date and today > open_sup.due_date),
        fee_deadline_passed=bool(fee and fee.due_date and today > fee.due_date),
        all_items_decided=bool(app.items) and all(i.outcome for i in app.items),
        office_approved=app.office_approved,
        legal_approved=app.legal_approved,
        has_reply_letter=app.reply_letter_id is not None,
        extended_before=any(e.kind == EventKind.EXTENSION for e in since),
        has_corrected_remedy=_has_unapplied_correction(app),
        has_handler=app.handler_id is not None,
        is_own_case=bool(user is not None and app.applicant_id is not None and user.id == app.applicant_id),
        fee_waiver_allowed=app.state == States.FEE_NOTIFIED and settings_for(app.agency_id).fee_waiver_allowed,
    )


def _has_unapplied_correction(app: Application) -> bool:
    corrected = (
        db.session.execute(
            select(func.count())
            .select_from(Remedy)
            .where(Remedy.application_id == app.id, Remedy.result == RemedyResult.CORRECTED)
        ).scalar_one()
        if app.id
        else 0
    )
    reopened = sum(1 for e in app.events if e.kind == EventKind.REOPEN)
    return corrected > reopened


def actors_for(app: Application, user: User | None) -> set[str]:
    """The workflow actors this user is on this case: `system` for jobs, `applicant` for the filer, and the
    staff roles of the case's agency. The handler role counts only for the case's assigned handler."""
    if user is None:
        return {wf.SYSTEM}
    if user.is_applicant:
        return {wf.APPLICANT} if app.applicant_id == user.id else set()
    if not user.is_staff or user.agency_id != app.agency_id:
        return set()
    roles = {r.value for r in user.roles} & set(wf.STAFF)
    if wf.HANDLER in roles and app.handler_id != user.id:
        roles.discard(wf.HANDLER)
    return roles


def allowed_actions(app: Application, user: User | None, today: dt.date | None = None) -> list[str]:
    return wf.allowed_triggers(app.state, actors_for(app, user), facts_for(app, user, today))


REFUSALS = {
    "state": _l("This action is not possible in the case's current state."),
    "role": _l("Your role does not allow this action on this case."),
    "unknown": _l("Unknown action."),
    "supplementation_not_requested_before": _l(
        "A supplementation notice was already sent for this case; the law allows only one (Art. 30)."
    ),
    "supplementation_notice_in_time": _l(
        "The 7 working days for a supplementation notice have passed (Art. 30); the application must be handled "
        "as received."
    ),
    "supplementation_deadline_passed": _l("The applicant's deadline to supplement has not passed yet."),
    "fee_deadline_passed": _l("The 20 working days to pay the fee have not passed yet."),
    "all_items_decided": _l("Decide every requested item before drafting the reply."),
    "both_reviews_approved": _l("The reply needs the office review and the legal review before it is issued."),
    "has_reply_letter": _l("The reply letter has not been issued yet."),
    "not_extended_before": _l("The deadline was already extended once; the law allows one extension (Art. 33)."),
    "has_corrected_remedy": _l("Reopening needs a reconsideration or court decision that corrected the reply."),
    "has_handler": _l("Assign a handler first."),
    "is_own_case": _l("Only the applicant can do this."),
}


def check_version(app: Application, expected: int | None) -> None:
    """A form carries the version it was loaded with: a second person acting on the same case is stopped."""
    if expected is not None and int(expected) != app.version:
        raise Conflict(
            _l(
                "Someone else changed this case while you were working on it. Nothing was overwritten: "
                "review the current version and try again."
            )
        )


def _assert_allowed(app: Application, trigger: str, user: User | None, today: dt.date | None = None) -> None:
    """Refuse early (before any input is checked or stored) when the action is not allowed."""
    try:
        wf.fire(app.state, trigger, actors_for(app, user), facts_for(app, user, today))
    except TransitionRefused as exc:
        cls = NotAllowed if exc.reason == "role" else DomainError
        raise cls(REFUSALS.get(exc.reason, REFUSALS["state"])) from None


def _transition(
    app: Application,
    trigger: str,
    user: User | None,
    *,
    reason: str | None = None,
    today: dt.date | None = None,
    extra: dict | None = None,
) -> States:
    before = audit.snapshot(app, SNAPSHOT_FIELDS)
    # The CHECK constraints hold for the finished change only (state, dates, letter): no flush half-way.
    with db.session.no_autoflush:
        try:
            new = wf.fire(app.state, trigger, actors_for(app, user), facts_for(app, user, today))
        except TransitionRefused as exc:
            cls = NotAllowed if exc.reason == "role" else DomainError
            raise cls(REFUSALS.get(exc.reason, REFUSALS["state"])) from None
        app.state = new.value
        recompute_deadline(app, today)
    after = audit.snapshot(app, SNAPSHOT_FIELDS)
    if extra:
        after.update(audit.jsonable(extra))
    _audit(app, f"application.{trigger}", user, before=before, after=after, reason=reason)
    db.session.flush()
    return new


def _audit(app: Application, action: str, actor: User | None, **kw) -> None:
    """One audit event on the case, in the case's agency log."""
    audit.record(action, object_type=OBJECT_TYPE, object_id=app.id, agency_id=app.agency_id, actor=actor, **kw)


# --- Deadline ------------------------------------------------------------------------------------------------


def plan_for(app: Application, today: dt.date | None = None) -> deadlines.DeadlinePlan:
    today = today or today_china()
    facts = [deadlines.EventFact(e.kind, e.start_date, e.end_date, e.days) for e in app.events]
    return deadlines.compute(
        app.received_date,
        facts,
        fee_wait_pauses=settings_for(app.agency_id).fee_wait_pauses_clock,
        today=today,
        waiting_for_supplement=app.state == States.SUPPLEMENTATION_REQUESTED,
    )


def recompute_deadline(app: Application, today: dt.date | None = None) -> deadlines.DeadlinePlan:
    """Recompute the due date and its status from the recorded events (never typed in)."""
    today = today or today_china()
    with db.session.no_autoflush:
        plan = plan_for(app, today)
        app.due_date = plan.due
        app.due_provisional = plan.provisional
        app.deadline_status = deadline_status(app, plan, today)
        app.deadline_checked_on = today
    return plan


def deadline_status(app: Application, plan: deadlines.DeadlinePlan, today: dt.date) -> str:
    if States(app.state) not in wf.OPEN_STATES or plan.due is None:
        return DeadlineStatus.NONE
    if not plan.running or plan.paused:
        return DeadlineStatus.PAUSED
    if today > plan.due:
        return DeadlineStatus.OVERDUE
    if deadlines.working_days_left(plan.due, today) <= settings_for(app.agency_id).due_soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.OK


def _check_past(d: dt.date, fld: str, *, not_before: dt.date | None = None) -> dt.date:
    if d > today_china():
        raise DomainError(_l("The date cannot be in the future."), field=fld)
    if not_before and d < not_before:
        raise DomainError(_l("The date cannot be before %(date)s.", date=not_before.isoformat()), field=fld)
    return d


# --- Emails --------------------------------------------------------------------------------------------------


def notify_applicant(app: Application, template: str, **ctx) -> None:
    """Queue the applicant's email for this step (templates/emails/applications/<template>.txt)."""
    to = app.email or (app.applicant.email if app.applicant else "")
    if not to:
        return
    locale = (app.applicant.locale if app.applicant else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
        subject = render_template(f"emails/applications/{template}.subject.txt", app=app, **ctx).strip()
        body = render_template(f"emails/applications/{template}.txt", app=app, base_url=base, **ctx)
    enqueue_email(
        to=to,
        subject=subject,
        body_text=body,
        agency_id=app.agency_id,
        attachments=ctx.get("attachments"),
        related=(OBJECT_TYPE, app.id),
    )


# --- Filing --------------------------------------------------------------------------------------------------


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
    # A draft is the applicant's own until it is sent: it stays out of the agency's audit log (agency_id None).
    audit.record(
        "application.draft_saved",
        object_type=OBJECT_TYPE,
        object_id=draft.id,
        agency_id=None,
        after=audit.snapshot(draft, APPLICANT_FIELDS),
        actor=applicant,
    )
    db.session.flush()
    return draft


def delete_draft(draft: Application, applicant: User) -> None:
    """The applicant throws away a draft that was never sent (it has no reference number and no case)."""
    if draft.state != States.DRAFT or draft.applicant_id != applicant.id:
        raise DomainError(REFUSALS["state"])
    audit.record(
        "application.draft_deleted",
        object_type=OBJECT_TYPE,
        object_id=draft.id,
        agency_id=None,  # like the draft itself: the applicant's own
        before=audit.snapshot(draft, APPLICANT_FIELDS),
        actor=applicant,
    )
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


def confirm(app: Application, user: User | None, confirmed_on: dt.date | None = None) -> Application:
    """Art. 31(3): an online application is received on the day the office confirms it."""
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
    from disclosure.applications import letters

    db.session.flush()
    letters.issue_receipt(app, staff)


# --- Repeated applications and proactive-disclosure candidates (Art. 36(6), Art. 44) ---------------------------


def _identity_clause(app: Application):
    if app.applicant_id:
        return Application.applicant_id == app.applicant_id
    if app.org_credit_code:
        return Application.org_credit_code == app.org_credit_code
    if app.doc_number:
        return Application.doc_number == app.doc_number
    return None


def repeated_items(app: Application) -> list[tuple[RequestedItem, Application]]:
    """Items this applicant already asked this agency for, in a case that was answered (Art. 36(6))."""
    clause = _identity_clause(app)
    if clause is None or not app.items:
        return []
    rows = db.session.execute(
        select(RequestedItem, Application)
        .join(Application, RequestedItem.application_id == Application.id)
        .where(
            clause,
            Application.agency_id == app.agency_id,
            Application.id != app.id,
            Application.state.in_([States.ISSUED, States.DELIVERED, States.ARCHIVED]),
            RequestedItem.fingerprint.in_([i.fingerprint for i in app.items]),
        )
        .order_by(Application.id)
    ).all()
    return [(r[0], r[1]) for r in rows]


def _warn_repeats(app: Application, user: User | None) -> None:
    repeats = repeated_items(app)
    if repeats:
        app.repeat_of_id = repeats[0][1].id
        _audit(
            app,
            "application.repeat_detected",
            user,
            after={"earlier": sorted({a.reference for _i, a in repeats})},
        )


def proactive_candidates(agency_id: int, threshold: int | None = None) -> list[dict]:
    """Information asked for by several applicants: candidates for proactive disclosure (Art. 44)."""
    threshold = threshold or settings_for(agency_id).candidate_threshold
    who = func.coalesce(
        func.cast(Application.applicant_id, db.String),
        Application.org_credit_code,
        Application.doc_number,
        func.cast(Application.id, db.String),
    )
    rows = db.session.execute(
        select(
            RequestedItem.fingerprint,
            func.count(func.distinct(who)),
            func.min(RequestedItem.id),
            func.max(Application.received_date),
        )
        .join(Application, RequestedItem.application_id == Application.id)
        .where(Application.agency_id == agency_id, Application.state.notin_([States.DRAFT]))
        .group_by(RequestedItem.fingerprint)
        .having(func.count(func.distinct(who)) >= threshold)
        .order_by(func.count(func.distinct(who)).desc())
    ).all()
    out = []
    for fp, applicants, first_id, last in rows:
        item = db.session.get(RequestedItem, first_id)
        out.append(
            {
                "fingerprint": fp,
                "applicants": applicants,
                "description": item.description,
                "document_ref": item.document_ref,
                "last_received": last,
            }
        )
    return out


# --- Supplementation (Art. 30) -------------------------------------------------------------------------------


def request_supplement(
    app: Application, staff: User, *, what: str, answer_days: int | None = None, expected_version: int | None = None
) -> CaseEvent:
    """Art. 30: one single notice, within 7 working days of receipt, stating what to supplement and a
    reasonable deadline. The reply clock restarts when the supplement arrives."""
    check_version(app, expected_version)
    what = _clean(what, 4000)
    if not what:
        raise DomainError(_l("State what the applicant must supplement."), field="what")
    days = answer_days or settings_for(app.agency_id).supplement_days
    if not 1 <= days <= 60:
        raise DomainError(_l("The applicant's deadline must be between 1 and 60 working days."), field="days")
    today = today_china()
    ev = CaseEvent(
        kind=EventKind.SUPPLEMENT_REQUEST,
        start_date=today,
        due_date=deadlines.add_working_days(today, days).due,
        days=days,
        note=what,
        created_by_id=staff.id,
    )
    # Guards see the case as it was: add the event after the transition check.
    _transition(app, "request_supplement", staff, reason=what, today=today, extra={"answer_due": ev.due_date})
    app.events.append(ev)
    recompute_deadline(app, today)
    db.session.flush()
    from disclosure.applications import letters

    letter = letters.issue_supplementation_notice(app, ev, staff)
    ev.details = {"letter_id": letter.id, "letter": letter.number}
    notify_applicant(
        app, "supplement_requested", what=what, due=ev.due_date, attachments=letters.email_attachments(letter)
    )
    return ev


def _close_supplement(app: Application, received_on: dt.date, note: str, user: User | None) -> CaseEvent:
    req = _events(app, EventKind.SUPPLEMENT_REQUEST)[-1]
    _check_past(received_on, "received_on", not_before=req.start_date)
    req.end_date = received_on
    ev = CaseEvent(
        kind=EventKind.SUPPLEMENT_RECEIVED, start_date=received_on, note=note, created_by_id=user.id if user else None
    )
    app.events.append(ev)
    return ev


def answer_supplement(
    app: Application,
    applicant: User,
    *,
    text: str,
    files: Sequence[uploads.Upload] = (),
    expected_version: int | None = None,
) -> CaseEvent:
    """The applicant answers the supplementation notice online; the clock restarts today (Art. 30)."""
    check_version(app, expected_version)
    text = _clean(text, 8000)
    if not text and not files:
        raise DomainError(_l("Write the supplement or attach a file."), field="text")
    for up in files:
        uploads.check(up)
    today = today_china()
    _assert_allowed(app, "answer_supplement", applicant)
    req = _events(app, EventKind.SUPPLEMENT_REQUEST)[-1]
    if req.due_date and today > req.due_date:
        raise DomainError(_l("The deadline to supplement has passed."))
    ev = _close_supplement(app, today, text, applicant)
    for up in files:
        stored = uploads.store_checked(up, agency_id=app.agency_id, user_id=applicant.id)
        db.session.flush()
        app.attachments.append(
            Attachment(file_id=stored.id, purpose=AttachmentPurpose.SUPPLEMENT, uploaded_by_id=applicant.id)
        )
    _transition(app, "answer_supplement", applicant, reason=text[:500], today=today)
    notify_applicant(app, "supplement_received")
    return ev


def receive_supplement(
    app: Application, staff: User, *, received_on: dt.date, note: str = "", expected_version: int | None = None
) -> CaseEvent:
    """Staff record a supplement received by post, in person or by phone; the clock restarts that day."""
    check_version(app, expected_version)
    _assert_allowed(app, "receive_supplement", staff)
    ev = _close_supplement(app, received_on, _clean(note, 4000), staff)
    _transition(app, "receive_supplement", staff, reason=note or None)
    notify_applicant(app, "supplement_received")
    return ev


def _close(app: Application, outcome: str, reason: str, today: dt.date) -> None:
    app.outcome = outcome
    app.closed_date = today
    app.closing_reason = reason


def abandon_unsupplemented(app: Application, user: User | None = None, today: dt.date | None = None) -> None:
    """Art. 30: not supplemented by the deadline without good reason → treated as abandoned
    (annual-report row 其他处理 1)."""
    from disclosure.correspondence.outcomes import Outcome

    today = today or today_china()
    _transition(app, "abandon_unsupplemented", user, today=today, reason="Art. 30: not supplemented by the deadline")
    _close(app, Outcome.NO_SUPPLEMENT, "Art. 30", today)
    notify_applicant(app, "abandoned", why="supplement")


# --- Assignment and handling ---------------------------------------------------------------------------------


def _check_assignee(app: Application, department: Department | None, handler: User | None) -> None:
    if department is None or department.agency_id != app.agency_id or not department.active:
        raise DomainError(_l("Choose a department of this agency."), field="department_id")
    if (
        handler is None
        or not handler.is_staff
        or handler.agency_id != app.agency_id
        or not handler.active
        or not handler.has_role(Role.HANDLER)
    ):
        raise DomainError(_l("Choose an active handler of this agency."), field="handler_id")


def assign(
    app: Application,
    staff: User,
    *,
    department: Department,
    handler: User,
    note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """Give the case to a department and a handler (reassignment when it already has one)."""
    check_version(app, expected_version)
    _check_assignee(app, department, handler)
    trigger = "assign" if app.state == States.REGISTERED else "reassign"
    app.department_id, app.handler_id = department.id, handler.id
    row = Assignment(
        application_id=app.id,
        department_id=department.id,
        handler_id=handler.id,
        assigned_by_id=staff.id,
        note=_clean(note, 2000),
    )
    db.session.add(row)
    _transition(
        app, trigger, staff, reason=note or None, extra={"department": department.name, "handler": handler.name}
    )
    return row


def start_handling(app: Application, handler: User, expected_version: int | None = None) -> None:
    check_version(app, expected_version)
    _transition(app, "start_handling", handler)


def add_note(app: Application, staff: User, body: str) -> Note:
    body = _clean(body, 8000)
    if not body:
        raise DomainError(_l("The note is empty."), field="body")
    note = Note(application_id=app.id, author_id=staff.id, body=body)
    db.session.add(note)
    _audit(
        app,
        "application.note_added",
        staff,
        after={"note": body[:500]},
    )
    db.session.flush()
    return note


# --- Consultation (Arts. 32, 34) -----------------------------------------------------------------------------


def start_consultation(
    app: Application, staff: User, *, kind: str, party: str, letter_date: dt.date, expected_version: int | None = None
) -> CaseEvent:
    """Art. 32: ask the third party in writing; it has 15 working days. The time is not counted (Art. 33)."""
    check_version(app, expected_version)
    if kind not in set(ConsultationKind):
        raise DomainError(_l("Choose whom the case is consulted with."), field="kind")
    party = _clean(party, 300)
    if not party:
        raise DomainError(_l("Name the third party or agency consulted."), field="party")
    _check_past(letter_date, "letter_date", not_before=app.received_date)
    ev = CaseEvent(
        kind=EventKind.CONSULTATION,
        start_date=letter_date,
        due_date=deadlines.consultation_due(letter_date),
        details={"kind": kind, "party": party},
        created_by_id=staff.id,
    )
    app.events.append(ev)
    _transition(app, "start_consultation", staff, extra={"party": party, "answer_due": ev.due_date})
    from disclosure.applications import letters

    db.session.flush()
    letter = letters.issue_consultation_letter(app, ev, staff)
    ev.details = {**ev.details, "letter_id": letter.id, "letter": letter.number}
    return ev


def end_consultation(
    app: Application, staff: User, *, answered_on: dt.date, answer: str, expected_version: int | None = None
) -> CaseEvent:
    """Record the answer (or the silence after 15 working days); the reply clock runs again."""
    check_version(app, expected_version)
    ev = _open_event(app, EventKind.CONSULTATION)
    if ev is None:
        raise DomainError(REFUSALS["state"])
    _check_past(answered_on, "answered_on", not_before=ev.start_date)
    ev.end_date = answered_on
    ev.note = _clean(answer, 8000)
    _transition(app, "end_consultation", staff, reason=ev.note or None)
    return ev


# --- Fee (国办函〔2020〕109号) --------------------------------------------------------------------------------


def _applicant_items_this_month(app: Application, month_of: dt.date) -> int:
    """Items the same applicant filed with this agency earlier in the same natural month (109号 Art. 4)."""
    clause = _identity_clause(app)
    if clause is None:
        return 0
    first = month_of.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return db.session.execute(
        select(func.count(RequestedItem.id))
        .join(Application, RequestedItem.application_id == Application.id)
        .where(
            clause,
            Application.agency_id == app.agency_id,
            Application.id != app.id,
            Application.received_date >= first,
            Application.received_date < nxt,
            Application.received_date.is_not(None),
            (Application.received_date < app.received_date)
            | ((Application.received_date == app.received_date) & (Application.id < app.id)),
        )
    ).scalar_one()


def calculate_fee(app: Application, method: str, pages: int | None = None) -> tuple[int, list, dict]:
    """The fee for this case by one method (never both). Returns (yuan, band lines, basis)."""
    schedule = current_app.config.get("APPLICATION_FEE_SCHEDULE") or fees.DEFAULT_SCHEDULE
    if method == fees.FeeMethod.PER_ITEM:
        earlier = _applicant_items_this_month(app, app.received_date or today_china())
        total, lines = fees.fee_per_item(earlier, len(app.items), schedule)
        return total, lines, {"method": method, "earlier_items_this_month": earlier, "items": len(app.items)}
    if method == fees.FeeMethod.PER_PAGE:
        if not pages or pages < 1:
            raise DomainError(_l("Enter the number of pages."), field="pages")
        if app.provision_form == ProvisionForm.INSPECTION:
            raise DomainError(
                _l("A per-page fee applies only to copies, email or electronic data (109号 Art. 5)."), field="method"
            )
        total, lines = fees.fee_per_page(pages, schedule)
        return total, lines, {"method": method, "pages": pages}
    raise DomainError(_l("Choose the fee method."), field="method")


def notify_fee(
    app: Application, staff: User, *, method: str, pages: int | None = None, expected_version: int | None = None
) -> CaseEvent:
    """Send the fee notice (basis, rate, amount, how to pay). Payment is due in 20 working days."""
    check_version(app, expected_version)
    total, lines, basis = calculate_fee(app, method, pages)
    if total <= 0:
        raise DomainError(_l("No fee is due for this case under the fee schedule."), field="method")
    instructions = settings_for(app.agency_id).fee_payment_instructions or ""
    if not instructions.strip():
        raise DomainError(_l("Enter the payment instructions in the agency's application settings first."))
    _assert_allowed(app, "notify_fee", staff)
    today = today_china()
    ev = CaseEvent(
        kind=EventKind.FEE_NOTICE,
        start_date=today,
        due_date=deadlines.fee_payment_due(today),
        amount=total,
        details={**basis, "lines": lines},
        created_by_id=staff.id,
    )
    app.events.append(ev)
    _transition(app, "notify_fee", staff, today=today, extra={"amount": total, "pay_by": ev.due_date})
    from disclosure.applications import letters

    db.session.flush()
    letter = letters.issue_fee_notice(app, ev, instructions, staff)
    ev.details = {**ev.details, "letter_id": letter.id, "letter": letter.number}
    notify_applicant(
        app,
        "fee_notified",
        amount=total,
        due=ev.due_date,
        lines=lines,
        basis=basis,
        instructions=instructions,
        attachments=letters.email_attachments(letter),
    )
    return ev


def record_payment(
    app: Application, staff: User, *, paid_on: dt.date, receipt: str, expected_version: int | None = None
) -> CaseEvent:
    check_version(app, expected_version)
    ev = _open_event(app, EventKind.FEE_NOTICE)
    if ev is None:
        raise DomainError(REFUSALS["state"])
    receipt = _clean(receipt, 100)
    if not receipt:
        raise DomainError(_l("Enter the number of the fiscal receipt."), field="receipt")
    _check_past(paid_on, "paid_on", not_before=ev.start_date)
    ev.end_date = paid_on
    ev.details = {**ev.details, "receipt": receipt}
    _transition(app, "record_payment", staff, extra={"paid_on": paid_on, "receipt": receipt})
    notify_applicant(app, "fee_paid")
    return ev


def waive_fee(app: Application, head: User, *, reason: str, expected_version: int | None = None) -> CaseEvent:
    """The office head waives the notified fee (109号, rules §4.1 ⚠; the agency's setting allows it): the wait
    for payment ends today and handling resumes. The reason is recorded and the applicant told."""
    check_version(app, expected_version)
    reason = _clean(reason, 2000)
    if not reason:
        raise DomainError(_l("Give the reason for waiving the fee."), field="reason")
    ev = _open_event(app, EventKind.FEE_NOTICE)
    if ev is None:
        raise DomainError(REFUSALS["state"])
    today = today_china()
    _assert_allowed(app, "waive_fee", head, today)  # before the fee event is touched
    ev.end_date = max(today, ev.start_date)
    ev.details = {**ev.details, "waived": True, "waiver_reason": reason}
    _transition(app, "waive_fee", head, today=today, reason=reason, extra={"amount": ev.amount})
    notify_applicant(app, "fee_waived", amount=ev.amount, reason=reason)
    return ev


def abandon_unpaid(app: Application, user: User | None = None, today: dt.date | None = None) -> None:
    """109号: unpaid 20 working days after the notice → treated as abandoned (row 其他处理 2)."""
    from disclosure.correspondence.outcomes import Outcome

    today = today or today_china()
    _transition(app, "abandon_unpaid", user, today=today, reason="109号: fee not paid in time")
    ev = _open_event(app, EventKind.FEE_NOTICE)
    if ev is not None:
        ev.end_date = today
    _close(app, Outcome.FEE_UNPAID, "109号", today)
    recompute_deadline(app, today)
    notify_applicant(app, "abandoned", why="fee")


# --- Extension and Art. 35 -----------------------------------------------------------------------------------


def extend_deadline(
    app: Application, head: User, *, days: int, reason: str, expected_version: int | None = None
) -> CaseEvent:
    """Art. 33: one extension of at most 20 working days, approved by the head of the disclosure office;
    the applicant is notified."""
    check_version(app, expected_version)
    if not isinstance(days, int) or not 1 <= days <= deadlines.MAX_EXTENSION_DAYS:
        raise DomainError(_l("An extension is 1 to 20 working days (Art. 33)."), field="days")
    reason = _clean(reason, 2000)
    if not reason:
        raise DomainError(_l("State the reason for the extension."), field="reason")
    today = today_china()
    if app.due_date and today > app.due_date:
        raise DomainError(_l("The deadline has already passed; it can no longer be extended."), field="days")
    ev = CaseEvent(kind=EventKind.EXTENSION, start_date=today, days=days, note=reason, created_by_id=head.id)
    original_due = app.due_date
    _transition(app, "extend_deadline", head, reason=reason, today=today, extra={"days": days})
    app.events.append(ev)
    recompute_deadline(app, today)
    db.session.flush()
    from disclosure.applications import letters

    letter = letters.issue_extension_notice(app, ev, original_due, head)
    ev.details = {"letter_id": letter.id, "letter": letter.number}
    notify_applicant(app, "extended", days=days, reason=reason, attachments=letters.email_attachments(letter))
    return ev


def set_custom_deadline(
    app: Application, head: User, *, days: int, reason: str, expected_version: int | None = None
) -> CaseEvent:
    """Art. 35: for a number or frequency of requests beyond a reasonable range with a reasonable cause, the
    office sets a longer period (extra working days) and tells the applicant why."""
    check_version(app, expected_version)
    if not isinstance(days, int) or not 1 <= days <= 120:
        raise DomainError(_l("The additional period is 1 to 120 working days."), field="days")
    reason = _clean(reason, 2000)
    if not reason:
        raise DomainError(_l("State the reason for the longer deadline."), field="reason")
    today = today_china()
    ev = CaseEvent(kind=EventKind.CUSTOM_DEADLINE, start_date=today, days=days, note=reason, created_by_id=head.id)
    app.events.append(ev)
    _transition(app, "set_custom_deadline", head, reason=reason, today=today, extra={"days": days})
    notify_applicant(app, "extended", days=days, reason=reason)
    return ev


# --- Item decisions and reviews ------------------------------------------------------------------------------

DECISION_FIELDS = (
    "outcome",
    "reasons",
    "withheld_parts",
    "withheld_outcome",
    "responsible_agency",
    "responsible_contact",
    "public_location",
    "redirect_channel",
    "pages",
)


def decide_item(
    item: RequestedItem,
    handler: User,
    *,
    outcome: str,
    reasons: str = "",
    withheld_parts: str = "",
    withheld_outcome: str | None = None,
    responsible_agency: str = "",
    responsible_contact: str = "",
    public_location: str = "",
    redirect_channel: str = "",
    pages: int | None = None,
    expected_version: int | None = None,
) -> RequestedItem:
    """The handler decides one item with an outcome the annual report counts (Arts. 36–39), with what the
    letter must state for that outcome (reasons, withheld parts, the responsible agency, the place)."""
    from disclosure.correspondence.outcomes import (
        NEEDS_CHANNEL,
        NEEDS_LOCATION,
        NEEDS_REASONS,
        NEEDS_RESPONSIBLE_AGENCY,
        NEEDS_WITHHELD,
        OUTCOMES,
        Outcome,
        info,
    )

    app = item.application
    check_version(app, expected_version)
    if app.state != States.IN_HANDLING or wf.HANDLER not in actors_for(app, handler):
        raise DomainError(_l("Only the assigned handler can decide items while the case is in handling."))
    try:
        oc = Outcome(outcome)
    except ValueError:
        raise DomainError(_l("Choose an outcome."), field="outcome") from None
    if oc in (Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID):
        raise DomainError(_l("This outcome is set by the deadline rules, not by hand."), field="outcome")
    values = {
        "reasons": _clean(reasons, 8000),
        "withheld_parts": _clean(withheld_parts, 8000),
        "responsible_agency": _clean(responsible_agency, 300),
        "public_location": _clean(public_location, 4000),
        "redirect_channel": _clean(redirect_channel, 4000),
    }
    needs = {
        NEEDS_REASONS: "reasons",
        NEEDS_WITHHELD: "withheld_parts",
        NEEDS_LOCATION: "public_location",
        NEEDS_CHANNEL: "redirect_channel",
        NEEDS_RESPONSIBLE_AGENCY: None,
    }
    messages = {
        "reasons": _l("State the reasons for this outcome."),
        "withheld_parts": _l("Describe each withheld part and why it is withheld (Art. 37)."),
        "public_location": _l("Say where, how and when the information can be obtained or inspected."),
        "redirect_channel": _l("Name the procedure or channel the applicant should use."),
    }
    for need in info(oc).needs:
        fld = needs.get(need)
        if fld and not values[fld]:
            raise DomainError(messages[fld], field=fld)
    withheld = None
    if oc is Outcome.PARTIAL:
        try:
            withheld = Outcome(withheld_outcome or "")
        except ValueError:
            withheld = None
        if withheld is None or not OUTCOMES[withheld].is_refusal or withheld is Outcome.PARTIAL:
            raise DomainError(
                _l("Choose the exemption (Arts. 14–16) for the withheld parts."), field="withheld_outcome"
            )
    values["responsible_contact"] = _clean(responsible_contact, 300)
    if pages is not None and (not isinstance(pages, int) or pages < 0):
        raise DomainError(_l("Pages must be a whole number."), field="pages")
    before = audit.snapshot(item, DECISION_FIELDS)
    item.outcome = oc.value
    item.withheld_outcome = withheld.value if withheld else None
    for k, v in values.items():
        setattr(item, k, v)
    item.pages = pages
    item.decided_by_id, item.decided_at = handler.id, utcnow()
    b, a = audit.diff(before, audit.snapshot(item, DECISION_FIELDS))
    _audit(
        app,
        "application.item_decided",
        handler,
        before={"item": item.position, **b},
        after={"item": item.position, **a},
    )
    app.office_approved = app.legal_approved = False
    db.session.flush()
    return item


def attach_information(
    app: Application,
    handler: User,
    *,
    upload: uploads.Upload,
    purpose: str,
    item: RequestedItem | None = None,
    title: str = "",
) -> Attachment:
    """Attach the information provided, or its redacted version (Arts. 36(2), 37); the title is how the reply
    letter lists it (附件)."""
    if purpose not in (
        AttachmentPurpose.PROVIDED,
        AttachmentPurpose.REDACTED,
        AttachmentPurpose.CONSULTATION,
        AttachmentPurpose.OTHER,
    ):
        raise DomainError(_l("Unknown attachment kind."), field="purpose")
    if app.state not in (States.IN_HANDLING, States.CONSULTING, States.FEE_NOTIFIED) or wf.HANDLER not in actors_for(
        app, handler
    ):
        raise DomainError(_l("Only the assigned handler can attach files while the case is in handling."))
    stored = uploads.store_checked(upload, agency_id=app.agency_id, user_id=handler.id)
    db.session.flush()
    att = Attachment(
        application_id=app.id,
        item_id=item.id if item else None,
        file_id=stored.id,
        purpose=purpose,
        uploaded_by_id=handler.id,
        visible_to_applicant=purpose in (AttachmentPurpose.PROVIDED, AttachmentPurpose.REDACTED),
        title=_clean(title, 200),
    )
    app.attachments.append(att)
    _audit(
        app,
        "application.file_attached",
        handler,
        after={"file": stored.original_name, "purpose": purpose, "title": att.title},
    )
    db.session.flush()
    return att


def remove_attachment(app: Application, handler: User, attachment_id: int) -> None:
    """The handler takes back a file attached while handling (a wrong file, a redaction the reviewers returned):
    it never reaches the applicant or the reply letter. The stored file stays for the audit trail."""
    att = next((a for a in app.attachments if a.id == attachment_id), None)
    removable = (
        AttachmentPurpose.PROVIDED,
        AttachmentPurpose.REDACTED,
        AttachmentPurpose.CONSULTATION,
        AttachmentPurpose.OTHER,
    )
    if att is None or att.purpose not in removable:
        raise DomainError(_l("This file cannot be removed."), field="attachment_id")
    if app.state not in (States.IN_HANDLING, States.CONSULTING, States.FEE_NOTIFIED) or wf.HANDLER not in actors_for(
        app, handler
    ):
        raise DomainError(_l("Only the assigned handler can remove files while the case is in handling."))
    _audit(
        app,
        "application.file_removed",
        handler,
        before={"file": att.file.original_name, "purpose": att.purpose, "title": att.title},
    )
    app.attachments.remove(att)
    db.session.delete(att)
    app.office_approved = app.legal_approved = False
    db.session.flush()


def _derive_outcome(app: Application) -> str:
    from disclosure.correspondence.outcomes import derive_case_outcome

    return derive_case_outcome([i.outcome for i in app.items]).value


def _check_information_provided(app: Application) -> None:
    """Art. 36(2) and Art. 37: a disclosed item comes with the information (a file), a partly disclosed one with
    its redacted version; when the applicant asked to inspect on site, the place and time stand in for the file."""
    from disclosure.correspondence.outcomes import Outcome

    files = {a.purpose for a in app.attachments}
    for item in app.items:
        if item.outcome not in (Outcome.GRANTED, Outcome.PARTIAL):
            continue
        if app.provision_form == ProvisionForm.INSPECTION:
            if not item.public_location:
                raise DomainError(
                    _l("Item %(n)s: say where and when the applicant can inspect the information.", n=item.position),
                    field="public_location",
                )
        elif item.outcome == Outcome.PARTIAL and AttachmentPurpose.REDACTED not in files:
            raise DomainError(
                _l("Item %(n)s is partly disclosed: attach the redacted version first (Art. 37).", n=item.position),
                field="file",
            )
        elif not files & {AttachmentPurpose.PROVIDED, AttachmentPurpose.REDACTED}:
            raise DomainError(
                _l("Item %(n)s is disclosed: attach the information provided first (Art. 36(2)).", n=item.position),
                field="file",
            )


def draft_reply(app: Application, handler: User, expected_version: int | None = None) -> None:
    check_version(app, expected_version)
    _check_information_provided(app)
    _transition(app, "draft_reply", handler)
    app.outcome = _derive_outcome(app)


def revise_draft(app: Application, handler: User, expected_version: int | None = None) -> None:
    check_version(app, expected_version)
    _transition(app, "revise_draft", handler)


def submit_for_review(app: Application, handler: User, expected_version: int | None = None) -> None:
    check_version(app, expected_version)
    _check_information_provided(app)
    _transition(app, "submit_for_review", handler)
    app.office_approved = app.legal_approved = False
    app.outcome = _derive_outcome(app)


def _draft_snapshot(app: Application) -> list[dict]:
    return [audit.snapshot(i, ("position", "description", *DECISION_FIELDS)) for i in app.items]


def review(
    app: Application, reviewer: User, *, stage: str, approve: bool, comment: str, expected_version: int | None = None
) -> Review:
    """Office review, then legal review, both mandatory before issue; a return needs written comments,
    which the handler sees. Every review is kept with the draft as it was."""
    check_version(app, expected_version)
    comment = _clean(comment, 8000)
    if stage not in ("office", "legal"):
        raise DomainError(_l("Unknown review stage."))
    if not approve and not comment:
        raise DomainError(_l("Write the comments the handler needs to revise the draft."), field="comment")
    trigger = f"{stage}_{'approve' if approve else 'return'}"
    row = Review(
        application_id=app.id,
        stage=stage,
        decision="approved" if approve else "returned",
        comment=comment,
        draft_snapshot=_draft_snapshot(app),
        reviewer_id=reviewer.id,
    )
    _transition(app, trigger, reviewer, reason=comment or None)
    if approve:
        setattr(app, f"{stage}_approved", True)
    else:
        app.office_approved = app.legal_approved = False
    db.session.add(row)
    db.session.flush()
    return row


# --- Issue, delivery, archive --------------------------------------------------------------------------------


def issue(app: Application, staff: User, expected_version: int | None = None):
    """Produce the reply letter through the letters service (numbered and frozen) and close the case's
    handling. The applicant sees the letter online and gets an email with the PDF."""
    from disclosure.applications import letters

    check_version(app, expected_version)
    _assert_allowed(app, "issue", staff)
    today = today_china()
    app.outcome = _derive_outcome(app)
    letter = letters.issue_reply(app, staff)
    app.reply_letter_id = letter.id
    app.issued_date = today
    app.closed_date = today
    _transition(app, "issue", staff, today=today, extra={"letter": letters.letter_number(letter)})
    notify_applicant(app, "issued", letter=letter, attachments=letters.email_attachments(letter))
    return letter


_LETTER_METHOD = {
    DeliveryChannel.EMAIL: "email",
    DeliveryChannel.POST: "post",
    DeliveryChannel.COLLECT: "collection",
}


def deliver(
    app: Application,
    staff: User,
    *,
    channel: str,
    tracking_number: str = "",
    receipt: uploads.Upload | None = None,
    expected_version: int | None = None,
) -> None:
    """Record delivery per channel: email (sent with the PDF at issue), post with the tracking number,
    collection with the signed receipt uploaded. The delivery is recorded once, on the reply letter; the case
    follows it (`on_letter_delivered`)."""
    from disclosure.correspondence import service as letters_service

    check_version(app, expected_version)
    if channel not in set(DeliveryChannel):
        raise DomainError(_l("Choose the delivery channel."), field="channel")
    _assert_allowed(app, "deliver", staff)
    letter = db.session.get(letters_service.Letter, app.reply_letter_id)
    kwargs: dict = {}
    if channel == DeliveryChannel.POST:
        tracking_number = _clean(tracking_number, 60)
        if not re.fullmatch(r"[A-Za-z0-9-]{6,60}", tracking_number):
            raise DomainError(_l("Enter the postal tracking number."), field="tracking_number")
        kwargs = {"tracking_number": tracking_number, "recipient": app.postal_address or app.applicant_name}
    elif channel == DeliveryChannel.COLLECT:
        if receipt is None:
            raise DomainError(_l("Upload the receipt signed by the applicant."), field="receipt")
        stored = uploads.store_checked(receipt, agency_id=app.agency_id, user_id=staff.id)
        db.session.flush()
        app.attachments.append(
            Attachment(
                file_id=stored.id,
                purpose=AttachmentPurpose.RECEIPT,
                uploaded_by_id=staff.id,
                visible_to_applicant=False,
            )
        )
        kwargs = {"recipient": app.applicant_name, "note": stored.original_name, "delivered_on": today_china()}
    else:
        if not app.email:
            raise DomainError(_l("The applicant gave no email address: choose post or collection."), field="channel")
        kwargs = {"recipient": app.email, "outbox_message_id": _issue_email_id(app, letter)}
    letters_service.record_delivery(letter, _LETTER_METHOD[DeliveryChannel(channel)], actor=staff, **kwargs)
    if app.state != States.DELIVERED:  # the signal did not reach the case: never leave the two apart
        raise DomainError(REFUSALS["state"])


def _issue_email_id(app: Application, letter) -> int | None:
    """The outbox message that carried the reply letter to the applicant when it was issued."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.attachments)
        .where(OutboxMessage.related_type == OBJECT_TYPE, OutboxMessage.related_id == str(app.id))
        .order_by(OutboxMessage.id.desc())
    ).all()
    return next((r.id for r in rows if any(a.get("file_id") == letter.file_id for a in r.attachments or [])), None)


def on_letter_delivered(letter, *, delivery, actor=None) -> None:
    """A reply letter was delivered (on the case page or the letter page): its case moves to "delivered" with
    the same facts, so the case and the letter never disagree."""
    if letter.related_type != OBJECT_TYPE or not str(letter.related_id).isdigit():
        return
    app = db.session.get(Application, int(letter.related_id))
    if app is None or app.reply_letter_id != letter.id or app.state != States.ISSUED:
        return
    detail = delivery.tracking_number or delivery.recipient or delivery.note
    app.delivered_at = utcnow()
    app.delivery_note = f"{delivery.method}: {detail}"[:300]
    _transition(
        app,
        "deliver",
        actor,
        extra={"channel": delivery.method, "note": detail, "letter_delivery": delivery.id},
    )


def archive(app: Application, staff: User, expected_version: int | None = None) -> None:
    check_version(app, expected_version)
    app.archived_at = utcnow()
    _transition(app, "archive", staff)


def withdraw(app: Application, user: User, *, reason: str = "", expected_version: int | None = None) -> None:
    """The applicant withdraws (online, or staff record a withdrawal received in writing)."""
    check_version(app, expected_version)
    trigger = "withdraw" if user.is_applicant else "record_withdrawal"
    _assert_allowed(app, trigger, user)
    reason = _clean(reason, 2000)
    if trigger == "record_withdrawal" and not reason:
        raise DomainError(_l("Record how the applicant withdrew (letter, email, …)."), field="reason")
    today = today_china()
    _transition(app, trigger, user, reason=reason or None, today=today)
    app.closed_date = today
    app.closing_reason = reason
    app.outcome = None
    recompute_deadline(app, today)
    notify_applicant(app, "withdrawn")


def rate(app: Application, applicant: User, *, satisfied: bool, comment: str = "") -> Rating:
    if app.applicant_id != applicant.id:
        raise NotAllowed(REFUSALS["is_own_case"])
    if app.state not in (States.ISSUED, States.DELIVERED, States.ARCHIVED):
        raise DomainError(_l("The reply can be rated once it has been issued."))
    existing = db.session.execute(select(Rating).where(Rating.application_id == app.id)).scalar_one_or_none()
    if existing is not None:
        raise DomainError(_l("You have already rated this reply."))
    row = Rating(application_id=app.id, satisfied=bool(satisfied), comment=_clean(comment, 2000))
    db.session.add(row)
    _audit(
        app,
        "application.rated",
        applicant,
        after={"satisfied": row.satisfied},
    )
    db.session.flush()
    return row


# --- Remedies and reopening ----------------------------------------------------------------------------------


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
    _audit(
        app,
        "application.remedy_recorded",
        staff,
        after=audit.snapshot(row, ("kind", "body", "filed_date", "result")),
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
    audit.record(
        "application.remedy_updated",
        object_type=OBJECT_TYPE,
        object_id=row.application_id,
        agency_id=row.agency_id,
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


# --- Correcting the applicant's details ------------------------------------------------------------------------

IDENTITY_FIELDS = (
    "applicant_category",
    "applicant_name",
    "doc_type",
    "doc_number",
    "org_credit_code",
    "legal_representative",
)
CONTACT_FIELDS = ("contact_person", "phone", "email", "postal_address", "postal_code", "delivery_channel")
# Who the applicant is can be corrected until the reply is drafted (reviewers approve a letter naming them);
# how to reach them, until the reply is delivered.
IDENTITY_STATES = wf.OPEN_STATES - {States.REPLY_DRAFTED, States.OFFICE_REVIEW, States.LEGAL_REVIEW, States.APPROVED}
CONTACT_STATES = wf.OPEN_STATES | {States.ISSUED}


def correct_applicant(
    app: Application, staff: User, *, changes: dict, reason: str, expected_version: int | None = None
) -> dict:
    """Staff correct the applicant's details recorded at registration (a typo in the name or ID number, a new
    address), with the same checks as filing (Art. 29) and the reason recorded. Returns the fields changed."""
    check_version(app, expected_version)
    if not (staff.is_sys_admin or staff.has_role(Role.REGISTRAR, Role.OFFICE_HEAD)):
        raise NotAllowed(REFUSALS["role"])
    state = States(app.state)
    if state not in CONTACT_STATES:
        raise DomainError(REFUSALS["state"])
    reason = _clean(reason, 2000)
    if not reason:
        raise DomainError(_l("Give the reason for the correction."), field="reason")
    allowed = CONTACT_FIELDS + (IDENTITY_FIELDS if state in IDENTITY_STATES else ())
    current = {f: getattr(app, f) for f in APPLICANT_FIELDS}
    wanted = {k: v for k, v in changes.items() if k in allowed and v is not None}
    if any(k in IDENTITY_FIELDS and v != current[k] for k, v in changes.items() if v is not None) and (
        state not in IDENTITY_STATES
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
    _audit(app, "application.applicant_corrected", staff, before=b, after=a, reason=reason)
    db.session.flush()
    return a


# --- Agency settings -------------------------------------------------------------------------------------------

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
    row = db.session.execute(
        select(AgencyApplicationSettings).where(AgencyApplicationSettings.agency_id == agency_id)
    ).scalar_one_or_none()
    if row is None:
        row = settings_for(agency_id)
        db.session.add(row)
    elif expected_version is not None and row.version != expected_version:
        raise Conflict(REFUSALS_CONFLICT)
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
    audit.record(
        "application_settings.saved",
        object_type="application_settings",
        object_id=agency_id,
        agency_id=agency_id,
        before=b,
        after=a,
        actor=staff,
    )
    return row


REFUSALS_CONFLICT = _l(
    "Someone else changed this case while you were working on it. Nothing was overwritten: "
    "review the current version and try again."
)


# --- Queries used by views, the API and the sweep ------------------------------------------------------------


def by_reference(reference: str) -> Application | None:
    return db.session.execute(select(Application).where(Application.reference == reference)).scalar_one_or_none()


def timeline(app: Application) -> list[audit.AuditEvent]:
    return audit.events_for(OBJECT_TYPE, app.id)


def reviews(app: Application) -> list[Review]:
    return list(db.session.execute(select(Review).where(Review.application_id == app.id).order_by(Review.id)).scalars())


def notes(app: Application) -> list[Note]:
    return list(db.session.execute(select(Note).where(Note.application_id == app.id).order_by(Note.id)).scalars())


def remedies(app: Application) -> list[Remedy]:
    return list(db.session.execute(select(Remedy).where(Remedy.application_id == app.id).order_by(Remedy.id)).scalars())


def items_outcomes(apps: Iterable[Application]) -> dict[int, list[str]]:
    return {a.id: [i.outcome for i in a.items] for a in apps}
