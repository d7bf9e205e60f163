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
