"""A case's history as its page shows it: the audit events in the words staff know (issue 10: not
"state reply_drafted → office_review" or "satisfied False")."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask_babel import format_date
from flask_babel import gettext as _

from disclosure.accounts.models import Department, User
from disclosure.accounts.roles import APPLICANT_CATEGORY_LABELS
from disclosure.applications import labels, operations
from disclosure.applications.models import CHANNEL_LABELS, DELIVERY_LABELS, PROVISION_LABELS, Application
from disclosure.core.validators import DOCUMENT_TYPE_LABELS, mask_resident_id
from disclosure.correspondence import OUTCOMES, Outcome
from disclosure.extensions import db
from disclosure.web.templating import audit_action
from workflows.application import States

_DATES = {"due_date", "answer_due", "pay_by", "paid_on", "received_date", "filed_date", "decided_date"}


def _state(value):
    try:
        return labels.STAFF_STATE_LABELS[States(value)]
    except ValueError:
        return value


def _outcome(value):
    try:
        return OUTCOMES[Outcome(value)].label
    except ValueError:
        return value


def _name(model):
    def look(value):
        row = db.session.get(model, value) if isinstance(value, int) else None
        return row.name if row is not None else value

    return look


def _date(value):
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]), "long")
    except ValueError:
        return value


_WORDS = {
    "state": _state,
    "outcome": _outcome,
    "withheld_outcome": _outcome,
    "handler_id": _name(User),
    "department_id": _name(Department),
    "satisfied": lambda v: labels.RATING_LABELS[bool(v)],
    "channel": lambda v: CHANNEL_LABELS.get(v) or labels.DELIVERY_METHOD_LABELS.get(v, v),
    "purpose": lambda v: labels.ATTACHMENT_LABELS.get(v, v),
    "kind": lambda v: labels.REMEDY_KIND_LABELS.get(v, v),
    "result": lambda v: labels.REMEDY_RESULT_LABELS.get(v, v),
    "applicant_category": lambda v: APPLICANT_CATEGORY_LABELS.get(v, v),
    "provision_form": lambda v: PROVISION_LABELS.get(v, v),
    "delivery_channel": lambda v: DELIVERY_LABELS.get(v, v),
    "doc_type": lambda v: DOCUMENT_TYPE_LABELS.get(v, v),
    "doc_number": mask_resident_id,  # shown masked, stored whole (rules-china §5.5)
    "earlier": lambda v: ", ".join(v) if isinstance(v, list) else v,
    **dict.fromkeys(_DATES, _date),
}


def shown(key: str, value):
    """One recorded value in words."""
    if value is None or value == "":
        return "—"
    if key in _WORDS:
        return _WORDS[key](value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _label(action: str, key: str, side: str):
    if action == "application.item_clarified" and key == "description":
        return labels.CLARIFIED_BEFORE if side == "before" else labels.CLARIFIED_AFTER
    return labels.HISTORY_FIELD_LABELS.get(key, key)


def case_history(app: Application) -> list[SimpleNamespace]:
    """The case's audit events, oldest first, in the shape the shared timeline macro reads, keys and values in
    words. A clarified request (Art. 30) keeps the original as "原申请内容" beside what it now reads."""
    out = []
    for ev in operations.timeline(app):
        before, after = ev.before or {}, ev.after or {}
        rows_before = {_label(ev.action, k, "before"): shown(k, v) for k, v in before.items()}
        rows_after = {_label(ev.action, k, "after"): shown(k, v) for k, v in after.items()}
        if ev.action == "application.item_clarified":  # rows of their own: the item, the original, the new text
            rows_after = {**rows_before, **rows_after}
            rows_before = {}
        out.append(
            SimpleNamespace(
                occurred_at=ev.occurred_at,
                action=audit_action(ev.action),
                actor_label=ev.actor_label,
                reason=ev.reason,
                before=rows_before,
                after=rows_after,
            )
        )
    return out
