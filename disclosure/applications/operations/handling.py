"""Handling: supplementation (Art. 30), assignment, consultation (Arts. 32, 34), the fee (国办函〔2020〕109号),
the extension (Art. 33) and the Art. 35 longer period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import Department, User
from disclosure.accounts.roles import Role
from disclosure.applications import deadlines, fees, letters, uploads
from disclosure.applications.models import (
    Application,
    Assignment,
    Attachment,
    AttachmentPurpose,
    CaseEvent,
    ConsultationKind,
    EventKind,
    Note,
    ProvisionForm,
)
from disclosure.applications.operations.case import (
    REFUSALS,
    _assert_allowed,
    _check_past,
    _clean,
    _events,
    _open_event,
    _transition,
    check_version,
    fingerprint,
    notify_applicant,
    recompute_deadline,
)
from disclosure.applications.queries import applicant_items_this_month, settings_for
from disclosure.applications.terms import fee_schedule
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.correspondence import Outcome
from disclosure.extensions import db
from workflows.application import States

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


def _clarify_items(app: Application, user: User, clarified: Mapping[int | str, str] | None) -> list[int]:
    """Art. 30: the supplement makes the request clear, so the clarified text becomes the item's description —
    on the case page, the applicant's page and the reply letter (关于"…"). What was first asked for stays in
    the item's event (`application.item_clarified`, before/after: the case history's 原申请内容). Returns the
    positions that changed."""
    given = {str(k): v for k, v in (clarified or {}).items()}
    changed = []
    for item in app.items:
        text = _clean(given.get(str(item.position)), 4000)
        if not text or text == item.description:
            continue
        before = item.description
        item.description = text
        item.fingerprint = fingerprint(text, item.document_ref)
        app.log(
            "application.item_clarified",
            before={"item": item.position, "description": before},
            after={"item": item.position, "description": text},
            actor=user,
        )
        changed.append(item.position)
    return changed


def answer_supplement(
    app: Application,
    applicant: User,
    *,
    text: str,
    files: Sequence[uploads.Upload] = (),
    items: Mapping[int | str, str] | None = None,
    expected_version: int | None = None,
) -> CaseEvent:
    """The applicant answers the supplementation notice online; the clock restarts today (Art. 30). `items`
    (position → text) are the requested items as the applicant now words them: they replace the descriptions."""
    check_version(app, expected_version)
    text = _clean(text, 8000)
    if not text and not files and not _changes_items(app, items):
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
    _transition(app, "answer_supplement", applicant, reason=text[:500] or None, today=today)
    _clarify_items(app, applicant, items)
    notify_applicant(app, "supplement_received")
    return ev


def _changes_items(app: Application, items: Mapping[int | str, str] | None) -> bool:
    given = {str(k): _clean(v, 4000) for k, v in (items or {}).items()}
    return any(given.get(str(i.position)) not in (None, "", i.description) for i in app.items)


def receive_supplement(
    app: Application,
    staff: User,
    *,
    received_on: dt.date,
    note: str = "",
    items: Mapping[int | str, str] | None = None,
    expected_version: int | None = None,
) -> CaseEvent:
    """Staff record a supplement received by post, in person or by phone; the clock restarts that day. `items`
    (position → text): the requested items as the supplement words them (they replace the descriptions)."""
    check_version(app, expected_version)
    _assert_allowed(app, "receive_supplement", staff)
    ev = _close_supplement(app, received_on, _clean(note, 4000), staff)
    _transition(app, "receive_supplement", staff, reason=note or None)
    _clarify_items(app, staff, items)
    notify_applicant(app, "supplement_received")
    return ev


def _close(app: Application, outcome: str, reason: str, today: dt.date) -> None:
    app.outcome = outcome
    app.closed_date = today
    app.closing_reason = reason


def abandon_unsupplemented(
    app: Application,
    user: User | None = None,
    today: dt.date | None = None,
    *,
    expected_version: int | None = None,
) -> None:
    """Art. 30: not supplemented by the deadline without good reason → treated as abandoned
    (annual-report row 其他处理 1)."""
    check_version(app, expected_version)
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
    app.log("application.note_added", after={"note": body[:500]}, actor=staff)
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


# Far above any real reply, far below what the amount column (and a sane notice) can hold.
MAX_FEE_PAGES = 1_000_000


def calculate_fee(app: Application, method: str, pages: int | None = None) -> tuple[int, list, dict]:
    """The fee for this case by one method (never both). Returns (yuan, band lines, basis)."""
    schedule = fee_schedule()  # the same bands the disclosure guide states
    if method == fees.FeeMethod.PER_ITEM:
        earlier = applicant_items_this_month(app, app.received_date or today_china())
        total, lines = fees.fee_per_item(earlier, len(app.items), schedule)
        return total, lines, {"method": method, "earlier_items_this_month": earlier, "items": len(app.items)}
    if method == fees.FeeMethod.PER_PAGE:
        if not pages or pages < 1:
            raise DomainError(_l("Enter the number of pages."), field="pages")
        if pages > MAX_FEE_PAGES:
            raise DomainError(_l("Count the pages again: more than 1,000,000 is not a number of pages."), field="pages")
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


def abandon_unpaid(
    app: Application,
    user: User | None = None,
    today: dt.date | None = None,
    *,
    expected_version: int | None = None,
) -> None:
    """109号: unpaid 20 working days after the notice → treated as abandoned (row 其他处理 2)."""
    check_version(app, expected_version)
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
