"""A record's history as its page shows it: the audit events in the words staff know."""

from __future__ import annotations

from types import SimpleNamespace

from flask import get_template_attribute
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import Department
from disclosure.extensions import db
from disclosure.publicity.fields import BY_ATTR, Kind
from disclosure.publicity.models import PublicityMatter, PublicityRecord


def record_history(rec: PublicityRecord) -> list[dict]:
    """The record's audit events in words: actions and field names as staff know them, states translated."""

    actions = {
        "create": _l("Record entered"),
        "correct": _l("Record corrected"),
        "publicity.publish": _l("Published"),
        "publicity.withdraw": _l("Withdrawn from the public site"),
        "publicity.repair": _l("Removed after credit repair"),
        "publicity.expire": _l("Publicity period ended"),
        "publicity.overdue": _l("Publication overdue"),
        "publicity.licence.revoke": _l("Licence revoked"),
        "publicity.licence.expire": _l("Licence expired"),
        "publicity.due.recompute": _l("Due date recalculated"),
    }
    extra = {
        "status": _l("Status"),
        "channel": _l("Entered by"),
        "severity": _l("Severity"),
        "matter_id": _l("Matter"),
        "department_id": _l("Department"),
        "simplified_procedure": _l("Simplified procedure"),
        "min_until": _l("Credit repair possible from"),
        "max_until": _l("End of the publicity period (公示截止期)"),
        "timeliness": _l("Deadline"),
        "due": _l("Due date"),
        "due_date": _l("Due date"),
        "provisional": _l("provisional calendar"),
        "withdrawal_kind": _l("Withdrawal"),
        "withdraw_due": _l("withdrawal due"),
        "late": _l("Late"),
        "licence_state": _l("Licence state"),
    }
    macros = "publicity/_macros.html"
    words = {
        "status": get_template_attribute(macros, "status_label"),
        "channel": get_template_attribute(macros, "channel_label"),
        "severity": get_template_attribute(macros, "severity_label"),
        "timeliness": get_template_attribute(macros, "timeliness_label"),
        "withdrawal_kind": get_template_attribute(macros, "withdrawal_label"),
    }
    fields = {**BY_ATTR[Kind.LICENSING], **BY_ATTR[Kind.PENALTY], **BY_ATTR[Kind(rec.kind)]}

    def shown(key, value):
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if key in words:
            return words[key](value)
        if key == "licence_state":
            return {"1": _("Valid"), "2": _("Invalid (revoked or expired)")}.get(value, value)
        if key == "matter_id":
            matter = db.session.get(PublicityMatter, value)
            return matter.name if matter else value
        if key == "department_id":
            department = db.session.get(Department, value)
            return department.name if department else value
        return value

    out = []
    for ev in rec.audit_events():
        tail = ev.action.rsplit(".", 1)[-1]
        before = ev.before or {}

        def label(key):
            return fields[key].name if key in fields else extra.get(key, key)

        # The shape of an AuditEvent, for the shared timeline macro: keys and values in words.
        out.append(
            SimpleNamespace(
                occurred_at=ev.occurred_at,
                action=actions.get(ev.action) or actions.get(tail) or ev.action,
                actor_label=ev.actor_label,
                reason=ev.reason,
                before={label(k): shown(k, v) for k, v in before.items()},
                after={label(k): shown(k, v) for k, v in (ev.after or {}).items()},
            )
        )
    return out
