"""The reply: item decisions (Arts. 36–39), the information provided, the reviews, issue, delivery, archive, and
the applicant's withdrawal and rating."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import User
from disclosure.applications import letters, uploads
from disclosure.applications.models import (
    Application,
    Attachment,
    AttachmentPurpose,
    DeliveryChannel,
    ProvisionForm,
    Rating,
    RequestedItem,
    Review,
)
from disclosure.applications.operations import delivery
from disclosure.applications.operations.case import (
    OBJECT_TYPE,
    REFUSALS,
    _assert_allowed,
    _clean,
    _transition,
    actors_for,
    check_version,
    notify_applicant,
    recompute_deadline,
)
from disclosure.core import audit
from disclosure.core.errors import DomainError, NotAllowed
from disclosure.core.timeutil import today_china, utcnow
from disclosure.correspondence import (
    NEEDS_CHANNEL,
    NEEDS_LOCATION,
    NEEDS_REASONS,
    NEEDS_RESPONSIBLE_AGENCY,
    NEEDS_WITHHELD,
    OUTCOMES,
    Letter,
    Outcome,
    derive_case_outcome,
    record_delivery,
)
from disclosure.correspondence import outcome_info as info
from disclosure.extensions import db
from workflows import application as wf
from workflows.application import States

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


# The letter prints no reasons for these outcomes (letters/reply/items.html): the form does not ask for them.
LETTER_PRINTS_NO_REASONS = frozenset(
    {Outcome.ALREADY_PUBLIC, Outcome.PUBLICATION, Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID}
)
_NEEDED_FIELD = {
    NEEDS_REASONS: "reasons",
    NEEDS_WITHHELD: "withheld_parts",
    NEEDS_LOCATION: "public_location",
    NEEDS_CHANNEL: "redirect_channel",
    NEEDS_RESPONSIBLE_AGENCY: "responsible_agency",
}
_NEEDED_MESSAGE = {
    "reasons": _l("State the reasons for this outcome."),
    "withheld_parts": _l("Describe each withheld part and why it is withheld (Art. 37)."),
    "public_location": _l("Say where, how and when the information can be obtained or inspected."),
    "redirect_channel": _l("Name the procedure or channel the applicant should use."),
    "responsible_agency": _l("Name the agency responsible for disclosing the information (Art. 36(5))."),
}


def decision_fields(outcome: Outcome | str, provision_form: str = "") -> tuple[tuple[str, ...], frozenset[str]]:
    """The fields of an item decision that apply to this outcome (in form order) and those it requires: what the
    letter prints for it (outcomes.OUTCOMES[…].needs, the withheld parts and exemption of a partial disclosure,
    the responsible agency's contact, the pages provided, and the place and time when the applicant asked to
    inspect the information). The decision form shows these; `decide_item` requires and keeps only these."""
    oc = Outcome(outcome)
    required = {_NEEDED_FIELD[n] for n in info(oc).needs}
    shown = set(required)
    if oc not in LETTER_PRINTS_NO_REASONS:
        shown.add("reasons")
    if oc is Outcome.PARTIAL:
        shown |= {"withheld_parts", "withheld_outcome"}
        required.add("withheld_outcome")
    if oc is Outcome.NOT_OURS:
        shown.add("responsible_contact")
    if oc in (Outcome.GRANTED, Outcome.PARTIAL):
        shown.add("pages")
        if provision_form == ProvisionForm.INSPECTION:
            shown.add("public_location")
    return tuple(f for f in DECISION_FIELDS if f in shown), frozenset(required)


# The files a handler attaches while handling (and may take back before the reply).
HANDLING_FILES = (
    AttachmentPurpose.PROVIDED,
    AttachmentPurpose.REDACTED,
    AttachmentPurpose.CONSULTATION,
    AttachmentPurpose.OTHER,
)
HANDLING_STATES = (States.IN_HANDLING, States.CONSULTING, States.FEE_NOTIFIED)


def may_decide_items(app: Application, user: User | None) -> bool:
    """The assigned handler decides the items while the case is in handling (until the reply is drafted)."""
    return app.state == States.IN_HANDLING and wf.HANDLER in actors_for(app, user)


def undecided_items(app: Application) -> list[RequestedItem]:
    """The items that have no outcome yet: the reply cannot be drafted, previewed or printed before they have."""
    return [i for i in app.items if not i.outcome]


def _may_handle_files(app: Application, user: User) -> bool:
    return app.state in HANDLING_STATES and wf.HANDLER in actors_for(app, user)


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
    app = item.application
    check_version(app, expected_version)
    if not may_decide_items(app, handler):
        raise DomainError(_l("Only the assigned handler can decide items while the case is in handling."))
    try:
        oc = Outcome(outcome)
    except ValueError:
        raise DomainError(_l("Choose an outcome."), field="outcome") from None
    if oc in (Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID):
        raise DomainError(_l("This outcome is set by the deadline rules, not by hand."), field="outcome")
    shown, required = decision_fields(oc, app.provision_form)
    values = {
        "reasons": _clean(reasons, 8000),
        "withheld_parts": _clean(withheld_parts, 8000),
        "responsible_agency": _clean(responsible_agency, 300),
        "responsible_contact": _clean(responsible_contact, 300),
        "public_location": _clean(public_location, 4000),
        "redirect_channel": _clean(redirect_channel, 4000),
    }
    for fld in DECISION_FIELDS:  # required in form order, so the first missing field is named
        if fld in required and fld in values and not values[fld]:
            raise DomainError(_NEEDED_MESSAGE[fld], field=fld)
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
    if pages is not None and (not isinstance(pages, int) or pages < 0):
        raise DomainError(_l("Pages must be a whole number."), field="pages")
    # What another outcome needed (typed before the outcome changed, or without the form's script) is not kept.
    values = {k: (v if k in shown else "") for k, v in values.items()}
    pages = pages if "pages" in shown else None
    before = audit.snapshot(item, DECISION_FIELDS)
    item.outcome = oc.value
    item.withheld_outcome = withheld.value if withheld else None
    for k, v in values.items():
        setattr(item, k, v)
    item.pages = pages
    item.decided_by_id, item.decided_at = handler.id, utcnow()
    b, a = audit.diff(before, audit.snapshot(item, DECISION_FIELDS))
    app.log(
        "application.item_decided",
        before={"item": item.position, **b},
        after={"item": item.position, **a},
        actor=handler,
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
    if purpose not in HANDLING_FILES:
        raise DomainError(_l("Unknown attachment kind."), field="purpose")
    if not _may_handle_files(app, handler):
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
    app.log(
        "application.file_attached",
        after={"file": stored.original_name, "purpose": purpose, "title": att.title},
        actor=handler,
    )
    db.session.flush()
    return att


def remove_attachment(app: Application, handler: User, attachment_id: int) -> None:
    """The handler takes back a file attached while handling (a wrong file, a redaction the reviewers returned):
    it never reaches the applicant or the reply letter. The stored file stays for the audit trail."""
    att = next((a for a in app.attachments if a.id == attachment_id), None)
    if att is None or att.purpose not in HANDLING_FILES:
        raise DomainError(_l("This file cannot be removed."), field="attachment_id")
    if not _may_handle_files(app, handler):
        raise DomainError(_l("Only the assigned handler can remove files while the case is in handling."))
    app.log(
        "application.file_removed",
        before={"file": att.file.original_name, "purpose": att.purpose, "title": att.title},
        actor=handler,
    )
    app.attachments.remove(att)
    db.session.delete(att)
    app.office_approved = app.legal_approved = False
    db.session.flush()


def _derive_outcome(app: Application) -> str:
    return derive_case_outcome([i.outcome for i in app.items]).value


def _check_information_provided(app: Application) -> None:
    """Art. 36(2) and Art. 37: a disclosed item comes with the information (a file), a partly disclosed one with
    its redacted version; when the applicant asked to inspect on site, the place and time stand in for the file."""
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
    handling. The applicant sees the letter online and gets an email: with the information provided too
    (`delivery.send_reply_email`) when they chose delivery by email, with the letter's PDF otherwise."""
    check_version(app, expected_version)
    _assert_allowed(app, "issue", staff)
    today = today_china()
    app.outcome = _derive_outcome(app)
    letter = letters.issue_reply(app, staff)
    app.reply_letter_id = letter.id
    app.issued_date = today
    app.closed_date = today
    _transition(app, "issue", staff, today=today, extra={"letter": letters.letter_number(letter)})
    if app.delivery_channel == DeliveryChannel.EMAIL and app.email:
        delivery.send_reply_email(app, letter)
    else:
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
    """Record delivery per channel: email (the letter and the information provided, queued at issue when the
    applicant chose email, else now: `delivery.send_reply_email`), post with the tracking number, collection with
    the signed receipt uploaded. The delivery is recorded once, on the reply letter; the case
    follows it (`on_letter_delivered`)."""
    check_version(app, expected_version)
    if channel not in set(DeliveryChannel):
        raise DomainError(_l("Choose the delivery channel."), field="channel")
    _assert_allowed(app, "deliver", staff)
    letter = db.session.get(Letter, app.reply_letter_id)
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
        kwargs = {"recipient": app.email, "outbox_message_id": delivery.send_reply_email(app, letter).id}
    record_delivery(letter, _LETTER_METHOD[DeliveryChannel(channel)], actor=staff, **kwargs)
    if app.state != States.DELIVERED:  # the signal did not reach the case: never leave the two apart
        raise DomainError(REFUSALS["state"])


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
    app.log("application.rated", after={"satisfied": row.satisfied}, actor=applicant)
    db.session.flush()
    return row
