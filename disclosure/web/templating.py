"""Template globals and filters shared by every page."""

from __future__ import annotations

import json

from flask import Flask, current_app
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from disclosure.core import signals
from disclosure.core.validators import mask_resident_id
from disclosure.web.nav import items_for

ACTION_LABELS_KEY = "audit_action_labels"


def register_action_labels(app: Flask, labels: dict) -> None:
    """Words for audit actions ("application.assign" → 分配): each domain names its own; unknown ones show the code."""
    app.extensions.setdefault(ACTION_LABELS_KEY, {}).update(labels)


def audit_action(action: str) -> str:
    return current_app.extensions.get(ACTION_LABELS_KEY, {}).get(action, action)


def init_app(app: Flask) -> None:
    def staff_warnings() -> list[str]:
        """Banners shown to staff on every page (`signals.staff_warnings`, e.g. a provisional holiday calendar)."""
        user = current_user._get_current_object()
        return [text for texts in signals.values_from(signals.staff_warnings.send(user)) for text in texts]

    outbox_labels = {
        "pending": _l("Waiting to be sent"),
        "sending": _l("Sending"),
        "sent": _l("Delivered"),
        "failed": _l("Sending failed"),
    }
    app.jinja_env.globals.update(
        nav_items=lambda section: items_for(current_app, section),
        staff_warnings=staff_warnings,
        outbox_state_label=lambda s: outbox_labels.get(str(s), s),
    )
    app.jinja_env.filters["datetimefmt"] = lambda v: format_datetime(v, "yyyy-MM-dd HH:mm") if v else ""
    app.jinja_env.filters["audit_json"] = audit_json
    app.jinja_env.globals["audit_value"] = audit_value
    app.jinja_env.globals["audit_action"] = audit_action


SENSITIVE_KEYS = ("doc_number", "doc_no", "id_number", "zjhm")


def audit_value(key: str, value):
    """Identity numbers stay whole in the audit table but are shown masked (rules-china §5.5)."""
    if isinstance(value, str) and any(k in str(key).lower() for k in SENSITIVE_KEYS):
        return mask_resident_id(value)
    return value


def audit_json(data) -> str:
    """An event's values as readable JSON (Chinese kept as is), with identity numbers masked."""

    def walk(obj, key=""):
        if isinstance(obj, dict):
            return {k: walk(v, k) for k, v in obj.items()}
        if isinstance(obj, list):
            return [walk(v, key) for v in obj]
        return audit_value(key, obj)

    return json.dumps(walk(data), ensure_ascii=False, sort_keys=True)
