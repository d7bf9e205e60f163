"""The shared case machinery of the operations: input cleaning, settings, workflow facts and actors, the
refusal messages, the version check, transitions with their audit event, the deadline, the applicant's emails.

Each operation validates, asks `workflows.application` whether the transition is allowed for this actor,
changes the rows, appends one audit event and queues the applicant's email through the outbox. Operations
only flush; the request boundary (or the CLI / task) commits once."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from babel import Locale
from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from disclosure.accounts.models import User
from disclosure.accounts.roles import ApplicantCategory, ApplicantType
from disclosure.applications import deadlines, uploads
from disclosure.applications.models import (
    AgencyApplicationSettings,
    Application,
    Attachment,
    AttachmentPurpose,
    CaseEvent,
    DeadlineStatus,
    DeliveryChannel,
    EventKind,
    ProvisionForm,
    Remedy,
    RemedyResult,
    RequestedItem,
)
from disclosure.applications.queries import settings_for
from disclosure.core import audit, validators
from disclosure.core.errors import Conflict, DomainError, ErrorCollector, NotAllowed, collect_errors
from disclosure.core.outbox import enqueue_email, pending_values
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from workflows import application as wf
from workflows.application import Facts, States, TransitionRefused

OBJECT_TYPE = Application.audit_type  # the audit events' and the outbox rows' type for a case
SNAPSHOT_FIELDS = ("state", "due_date", "due_provisional", "handler_id", "department_id", "outcome")
# The applicant's details (条例 Art. 29(1)): who they are, how to reach them, and the form of provision.
IDENTITY_FIELDS = (
    "applicant_category",
    "applicant_name",
    "doc_type",
    "doc_number",
    "org_credit_code",
    "legal_representative",
)
CONTACT_FIELDS = ("contact_person", "phone", "email", "postal_address", "postal_code", "delivery_channel")
APPLICANT_FIELDS = ("applicant_type", *IDENTITY_FIELDS, *CONTACT_FIELDS, "provision_form", "needs_assistance")
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
    checks only what is filled in. Checks every field and raises FieldErrors naming each field at fault."""
    out = ApplicationInput(**{k: getattr(data, k) for k in data.__dataclass_fields__})
    with collect_errors() as errors:
        if out.applicant_type not in set(ApplicantType):
            errors.add(_l("Choose whether the applicant is a person or an organisation."), field="applicant_type")
        elif out.applicant_type == ApplicantType.PERSON:
            out.applicant_category = ApplicantCategory.NATURAL_PERSON
            out.org_credit_code = out.legal_representative = None
        elif (
            out.applicant_category not in set(ApplicantCategory)
            or out.applicant_category == ApplicantCategory.NATURAL_PERSON
        ):
            errors.add(_l("Choose the organisation's category for the annual report."), field="applicant_category")
        out.applicant_name = _clean(out.applicant_name, 200)
        out.phone = _clean(out.phone, 40)
        out.email = _clean(out.email, 254).lower()
        out.postal_address = _clean(out.postal_address, 1000)
        out.postal_code = _clean(out.postal_code, 10)
        if out.postal_code and not re.fullmatch(r"\d{6}", out.postal_code):
            errors.add(_l("A postal code has 6 digits."), field="postal_code")
        if out.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", out.email):
            errors.add(_l("The email address is not valid."), field="email")
        try:
            if out.applicant_type == ApplicantType.PERSON and out.doc_number:
                out.doc_number = validators.validate_document(out.doc_type or "", out.doc_number)
            if out.applicant_type == ApplicantType.ORGANISATION and out.org_credit_code:
                out.org_credit_code = validators.validate_uscc(out.org_credit_code)
        except validators.ValidationError as exc:
            fld = "doc_number" if out.applicant_type == ApplicantType.PERSON else "org_credit_code"
            errors.add(exc.message, field=fld)
        if out.provision_form not in set(ProvisionForm):
            errors.add(_l("Choose how the information should be provided."), field="provision_form")
        if out.delivery_channel not in set(DeliveryChannel):
            errors.add(_l("Choose how the reply should be delivered."), field="delivery_channel")
        items = [ItemInput(_clean(i.description, 4000), _clean(i.document_ref, 300)) for i in out.items]
        if any(not i.description and i.document_ref for i in items):
            errors.add(_l("Each requested item needs a description."), field="items")
        out.items = [i for i in items if i.description]
        if len(out.items) > MAX_ITEMS:
            errors.add(_l("At most %(n)s items per application.", n=MAX_ITEMS), field="items")
        for purpose, up in out.files:
            if purpose not in set(AttachmentPurpose):
                errors.add(_l("Unknown attachment kind."), field="files")
                continue
            with errors.check(field="files"):
                uploads.check(up)
        if complete:
            _require_complete(out, errors)
    return out


def _require_complete(out: ApplicationInput, errors: ErrorCollector) -> None:
    """条例 Art. 29: name, proof of identity, contact details, a description, the form of provision."""
    if not out.applicant_name:
        errors.add(_l("Enter the applicant's name."), field="applicant_name")
    if out.applicant_type == ApplicantType.PERSON and not out.doc_number:
        errors.add(_l("Enter the number of the identity document."), field="doc_number")
    if out.applicant_type == ApplicantType.ORGANISATION and not out.org_credit_code:
        errors.add(_l("Enter the organisation's unified social credit code."), field="org_credit_code")
    if not (out.phone or out.email or out.postal_address):
        errors.add(_l("Give at least one way to contact the applicant."), field="phone")
    if out.delivery_channel == DeliveryChannel.EMAIL and not out.email:
        errors.add(_l("Delivery by email needs an email address."), field="email")
    if out.delivery_channel == DeliveryChannel.POST and not out.postal_address:
        errors.add(_l("Delivery by post needs a postal address."), field="postal_address")
    if not out.items:
        errors.add(_l("Describe at least one piece of information you are asking for."), field="items")


def fingerprint(description: str, document_ref: str = "") -> str:
    """What identifies the information asked for (Art. 36(6) repeats, Art. 44 candidates): the document number
    when one is given (示政办〔2025〕12号 and 示政办[2025]12号 are the same document whatever the description
    says), otherwise the description; width, case, spaces and punctuation do not matter."""
    return fingerprint_text(document_ref if _normal(document_ref) else description)


def fingerprint_text(text: str) -> str:
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


# A case that is not yet registered has no remedy (remedies are recorded from registration on, and a case never
# returns to these states): its facts need no query of the remedies.
NOT_YET_REGISTERED = (States.DRAFT, States.SUBMITTED)


def _has_unapplied_correction(app: Application) -> bool:
    if app.id is None or app.state in NOT_YET_REGISTERED:
        return False
    corrected = db.session.execute(
        select(func.count())
        .select_from(Remedy)
        .where(Remedy.application_id == app.id, Remedy.result == RemedyResult.CORRECTED)
    ).scalar_one()
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


REFUSALS_CONFLICT = _l(
    "Someone else changed this case while you were working on it. Nothing was overwritten: "
    "review the current version and try again."
)


def check_version(obj: Application | AgencyApplicationSettings, expected: int | None) -> None:
    """A form carries the version it was loaded with: a second person acting on the same case (or the same
    settings) is stopped."""
    if expected is not None and int(expected) != obj.version:
        raise Conflict(REFUSALS_CONFLICT)


def _assert_allowed(app: Application, trigger: str, user: User | None, today: dt.date | None = None) -> None:
    """Refuse early (before any input is checked or stored) when the action is not allowed."""
    _next_state(app, trigger, user, today)


def _next_state(app: Application, trigger: str, user: User | None, today: dt.date | None) -> States:
    """The state the workflow moves the case to, or the refusal in the user's words."""
    try:
        return wf.fire(app.state, trigger, actors_for(app, user), facts_for(app, user, today))
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
    flush: bool = True,
) -> States:
    """`flush=False` leaves the change pending (filing flushes it after taking the reference, its last write)."""
    new, log = _fire(app, trigger, user, reason=reason, today=today, extra=extra)
    log()
    if flush:
        db.session.flush()
    return new


def _fire(
    app: Application,
    trigger: str,
    user: User | None,
    *,
    reason: str | None = None,
    today: dt.date | None = None,
    extra: dict | None = None,
) -> tuple[States, Callable[..., dict | None]]:
    """The transition's changes, left pending, and what appends its audit event (in the log of the case's agency as
    the new state places it): a new case (portal filing) is inserted with its state's dates and deadline, then
    logged once it has its id."""
    before = audit.snapshot(app, SNAPSHOT_FIELDS)
    # The CHECK constraints hold for the finished change only (state, dates, letter): no flush half-way.
    with db.session.no_autoflush:
        new = _next_state(app, trigger, user, today)
        app.state = new.value
        recompute_deadline(app, today)
    after = audit.snapshot(app, SNAPSHOT_FIELDS)
    if extra:
        after.update(audit.jsonable(extra))
    agency_id = app.audit_agency_id

    def log(*, write_now: bool = False, values: bool = False) -> dict | None:
        """Append the event (`write_now`: see `audit.record`); `values`: return its columns instead of writing it
        (`audit.event_values`), for a caller that inserts it with the case (its `object_id` is the case's id)."""
        event = {
            "object_type": app.audit_type,
            "object_id": app.audit_object_id,
            "agency_id": agency_id,
            "before": before,
            "after": after,
            "reason": reason,
            "actor": user,
        }
        if values:
            return audit.event_values(f"application.{trigger}", **event)
        audit.record(f"application.{trigger}", **event, write_now=write_now)
        return None

    return new, log


# --- Deadline ------------------------------------------------------------------------------------------------


def plan_for(app: Application, today: dt.date | None = None) -> deadlines.DeadlinePlan:
    today = today or today_china()
    facts = [deadlines.EventFact(e.kind, e.start_date, e.end_date, e.days) for e in app.events]
    # The agency's setting matters only for a fee notice of a received case (no query otherwise).
    fee_wait_pauses = (
        settings_for(app.agency_id).fee_wait_pauses_clock
        if app.received_date is not None and any(f.kind == EventKind.FEE_NOTICE for f in facts)
        else True
    )
    return deadlines.compute(
        app.received_date,
        facts,
        fee_wait_pauses=fee_wait_pauses,
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


def applicant_language(app: Application) -> contextlib.AbstractContextManager:
    """The applicant's language for their emails. `force_locale` reloads the catalogues each time; when the
    request already speaks that language (an applicant filing in their own language, the API in the default one)
    the emails are rendered as they are."""
    locale = (app.applicant.locale if app.applicant else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    current = get_locale()
    if current is not None and current == _parsed_locale(locale):
        return contextlib.nullcontext()
    return force_locale(locale)


@functools.lru_cache(maxsize=16)
def _parsed_locale(identifier: str) -> Locale:
    return Locale.parse(identifier)  # "zh_CN" is zh_Hans_CN: compared as locales, not as strings


# Stands for the reference in an email rendered before the case has its number (filing renders the applicant's
# email first and takes the number last, so that the counter row is held for as little as possible).
REFERENCE_SLOT = "\ue000reference\ue000"


class _AwaitingNumber:
    """The case as its email shows it once it is numbered: the reference is a slot, filled in when it is queued."""

    reference = REFERENCE_SLOT

    def __init__(self, app: Application):
        self._app = app

    def __getattr__(self, name: str):
        return getattr(self._app, name)


@dataclass
class ApplicantEmail:
    """An applicant's email, rendered and not yet queued."""

    app: Application
    to: str
    subject: str
    body: str
    attachments: list | None

    def queue(self) -> None:
        reference = self.app.reference or ""
        enqueue_email(
            to=self.to,
            subject=self.subject.replace(REFERENCE_SLOT, reference),
            body_text=self.body.replace(REFERENCE_SLOT, reference),
            agency_id=self.app.agency_id,
            attachments=self.attachments,
            related=(OBJECT_TYPE, self.app.id),
        )

    def pending_values(self, related_id) -> dict:
        """The outbox row's columns with the reference still as `REFERENCE_SLOT`, for a statement that inserts the
        email and writes the reference into it (`related_id`: the case's id, or a stand-in the statement replaces)."""
        return pending_values(
            to=self.to,
            subject=self.subject,
            body_text=self.body,
            agency_id=self.app.agency_id,
            related=(OBJECT_TYPE, related_id),
            attachments=self.attachments,
        )


def applicant_email(app: Application, template: str, **ctx) -> ApplicantEmail | None:
    """Render the applicant's email for this step (templates/emails/applications/<template>.txt); None when
    the applicant gave no address. A case without its number yet is rendered with a slot for it."""
    to = app.email or (app.applicant.email if app.applicant else "")
    if not to:
        return None
    shown = app if app.reference else _AwaitingNumber(app)
    with applicant_language(app):
        base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
        subject = render_template(f"emails/applications/{template}.subject.txt", app=shown, **ctx).strip()
        body = render_template(f"emails/applications/{template}.txt", app=shown, base_url=base, **ctx)
    return ApplicantEmail(app, to, subject, body, ctx.get("attachments"))


def notify_applicant(app: Application, template: str, **ctx) -> None:
    """Queue the applicant's email for this step (templates/emails/applications/<template>.txt)."""
    email = applicant_email(app, template, **ctx)
    if email is not None:
        email.queue()
