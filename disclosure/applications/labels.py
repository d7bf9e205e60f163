"""Words shown to people: states in plain language, actions as buttons, deadline states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflows.application import States

STATE_LABELS = {
    States.DRAFT: _l("Draft (not sent)"),
    States.SUBMITTED: _l("Sent, waiting for the office to confirm receipt"),
    States.REGISTERED: _l("Received by the office"),
    States.SUPPLEMENTATION_REQUESTED: _l("Waiting for your supplement"),
    States.ASSIGNED: _l("Assigned to a department"),
    States.IN_HANDLING: _l("Being handled"),
    States.CONSULTING: _l("Being handled (consulting others; the time does not count)"),
    States.FEE_NOTIFIED: _l("Waiting for the fee to be paid"),
    States.REPLY_DRAFTED: _l("Reply being drafted"),
    States.OFFICE_REVIEW: _l("Reply under review by the office"),
    States.LEGAL_REVIEW: _l("Reply under legal review"),
    States.APPROVED: _l("Reply approved, about to be issued"),
    States.ISSUED: _l("Reply issued"),
    States.DELIVERED: _l("Reply delivered"),
    States.ARCHIVED: _l("Closed and archived"),
    States.ABANDONED: _l("Treated as abandoned"),
    States.WITHDRAWN: _l("Withdrawn by the applicant"),
}

# Staff see the same states worded from the office's side.
STAFF_STATE_LABELS = {
    **STATE_LABELS,
    States.SUBMITTED: _l("Submitted online, receipt to be confirmed"),
    States.SUPPLEMENTATION_REQUESTED: _l("Waiting for the applicant's supplement"),
    States.FEE_NOTIFIED: _l("Waiting for the applicant to pay the fee"),
}

ACTION_LABELS = {
    "confirm": _l("Confirm receipt"),
    "request_supplement": _l("Request supplementation"),
    "receive_supplement": _l("Record supplement received"),
    "abandon_unsupplemented": _l("Close: not supplemented in time"),
    "assign": _l("Assign"),
    "reassign": _l("Reassign"),
    "start_handling": _l("Start handling"),
    "start_consultation": _l("Consult a third party or agency"),
    "end_consultation": _l("Record the consultation answer"),
    "notify_fee": _l("Send a fee notice"),
    "record_payment": _l("Record payment"),
    "waive_fee": _l("Waive the fee"),
    "abandon_unpaid": _l("Close: fee not paid in time"),
    "extend_deadline": _l("Extend the deadline (once, ≤ 20 working days)"),
    "set_custom_deadline": _l("Set a longer deadline (Art. 35)"),
    "draft_reply": _l("Mark the reply drafted"),
    "revise_draft": _l("Revise the draft"),
    "submit_for_review": _l("Send to the office review"),
    "office_approve": _l("Office review"),
    "office_return": _l("Office review"),
    "legal_approve": _l("Legal review"),
    "legal_return": _l("Legal review"),
    "issue": _l("Issue the reply letter"),
    "deliver": _l("Record delivery"),
    "archive": _l("Archive"),
    "record_withdrawal": _l("Record withdrawal"),
    "reopen": _l("Reopen after a corrected remedy"),
}

ATTACHMENT_LABELS = {
    "identity": _l("Proof of identity"),
    "supporting": _l("Supporting papers"),
    "supplement": _l("Supplementation"),
    "provided": _l("Information provided"),
    "redacted": _l("Redacted version"),
    "consultation": _l("Consultation papers"),
    "receipt": _l("Signed delivery receipt"),
    "other": _l("Other"),
}

DEADLINE_LABELS = {
    "none": _l("No deadline running"),
    "ok": _l("Within the deadline"),
    "due_soon": _l("Due soon"),
    "overdue": _l("Reply overdue"),
    "paused": _l("Paused"),
}

STEP_LABELS = {
    "received": _l("Received on %(date)s"),
    "reopened": _l("Reopened: new period from %(date)s"),
    "restarted": _l("Supplement received on %(date)s: the period restarts (Art. 30)"),
    "base": _l("%(days)s working days (Art. 33)"),
    "extension": _l("Extension: + %(days)s working days (Art. 33)"),
    "custom": _l("Longer deadline: + %(days)s working days (Art. 35)"),
    "pause_consultation": _l("Consultation from %(start)s to %(end)s not counted (Arts. 32–34)"),
    "pause_fee_notice": _l("Waiting for the fee from %(start)s to %(end)s not counted"),
}


# The case's own audit events that are not transitions (transitions take their ACTION_LABELS).
EVENT_LABELS = {
    "submit": _l("Submitted online by the applicant"),
    "file_via_portal": _l("Filed through a portal (API)"),
    "register": _l("Registered by staff"),
    "answer_supplement": _l("Supplement sent online by the applicant"),
    "withdraw": _l("Withdrawn by the applicant"),
    "draft_saved": _l("Draft saved"),
    "draft_deleted": _l("Draft deleted"),
    "item_decided": _l("Item decided"),
    "item_clarified": _l("Request clarified by the supplement (Art. 30)"),
    "file_attached": _l("File attached"),
    "file_removed": _l("File removed"),
    "note_added": _l("Note added"),
    "repeat_detected": _l("Repeated application detected"),
    "rated": _l("Reply rated by the applicant"),
    "remedy_recorded": _l("Reconsideration or lawsuit recorded"),
    "remedy_updated": _l("Reconsideration or lawsuit updated"),
    "applicant_corrected": _l("Applicant's details corrected"),
}

REVIEW_STAGE_LABELS = {"office": _l("Office review"), "legal": _l("Legal review")}
REVIEW_DECISION_LABELS = {"approved": _l("approved"), "returned": _l("returned")}

REMEDY_KIND_LABELS = {
    "reconsideration": _l("Administrative reconsideration"),
    "litigation_direct": _l("Lawsuit without reconsideration"),
    "litigation_after_reconsideration": _l("Lawsuit after reconsideration"),
}
REMEDY_RESULT_LABELS = {
    "pending": _l("Pending"),
    "upheld": _l("Upheld"),
    "corrected": _l("Corrected"),
    "other": _l("Other result"),
}

RATING_LABELS = {True: _l("Satisfied"), False: _l("Not satisfied")}

# The words for what a case's history records (the audit events' keys), as staff know them.
HISTORY_FIELD_LABELS = {
    "state": _l("State"),
    "due_date": _l("Reply due"),
    "due_provisional": _l("Due date provisional (calendar not confirmed)"),
    "handler_id": _l("Handler"),
    "handler": _l("Handler"),
    "department_id": _l("Department"),
    "department": _l("Department"),
    "outcome": _l("Outcome"),
    "answer_due": _l("Answer due"),
    "amount": _l("Amount (yuan)"),
    "pay_by": _l("Pay by"),
    "paid_on": _l("Paid on"),
    "receipt": _l("Receipt"),
    "days": _l("Working days"),
    "party": _l("Party consulted"),
    "channel": _l("Channel"),
    "received_date": _l("Received on"),
    "portal": _l("Portal"),
    "letter": _l("Letter"),
    "letter_delivery": _l("Delivery record"),
    "note": _l("Note"),
    "item": _l("Item"),
    "description": _l("Requested information"),
    "reasons": _l("Reasons"),
    "withheld_parts": _l("Withheld parts"),
    "withheld_outcome": _l("Exemption for the withheld parts"),
    "responsible_agency": _l("Responsible agency"),
    "responsible_contact": _l("Its contact"),
    "public_location": _l("Where, how and when"),
    "redirect_channel": _l("Procedure or channel"),
    "pages": _l("Number of pages"),
    "file": _l("File"),
    "purpose": _l("Kind of file"),
    "title": _l("Title in the reply letter"),
    "satisfied": _l("Rating"),
    "earlier": _l("Earlier applications"),
    "kind": _l("Kind"),
    "body": _l("Reconsideration body or court"),
    "filed_date": _l("Filed on"),
    "result": _l("Result of the review or lawsuit"),
    "decided_date": _l("Decided on"),
    "number": _l("Letter number"),
    "addressee": _l("Addressee"),
    "corrects": _l("Corrects"),
    "sha256": _l("Checksum"),
    "applicant_type": _l("Applicant"),
    "applicant_category": _l("Category"),
    "applicant_name": _l("Applicant's name"),
    "doc_type": _l("Identity document"),
    "doc_number": _l("Identity document number"),
    "org_credit_code": _l("Unified social credit code"),
    "legal_representative": _l("Legal representative"),
    "contact_person": _l("Contact person"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "postal_address": _l("Postal address"),
    "postal_code": _l("Postal code"),
    "delivery_channel": _l("How to receive the reply"),
    "provision_form": _l("Form of provision"),
    "needs_assistance": _l("Needs assistance (Art. 43)"),
}
# A clarified request (Art. 30) shows what the applicant first asked for and what it now reads.
CLARIFIED_BEFORE = _l("Original request")
CLARIFIED_AFTER = _l("Request as clarified")

# How a letter was delivered (the letters service's methods), beside how an application arrived.
DELIVERY_METHOD_LABELS = {
    "email": _l("By email"),
    "post": _l("Post"),
    "collection": _l("Collection in person"),
    "in_person": _l("In person"),
}


def state_label(state: str, *, staff: bool = True):
    """A case's state in plain words (worded from the office's side unless `staff=False`); an unknown value as
    it is."""
    table = STAFF_STATE_LABELS if staff else STATE_LABELS
    try:
        return table[States(state)]
    except ValueError:
        return state


def remedy_kind_label(kind: str):
    """A remedy's kind (reconsideration, lawsuit) in plain words."""
    return REMEDY_KIND_LABELS.get(kind, kind)


def remedy_result_label(result: str):
    """A remedy's result (pending, upheld, corrected, other) in plain words."""
    return REMEDY_RESULT_LABELS.get(result, result)
