"""Template globals and filters shared by every page."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import format_datetime

from disclosure.web.nav import items_for

WARNINGS_KEY = "staff_warnings"
ACTION_LABELS_KEY = "audit_action_labels"


def register_action_labels(app: Flask, labels: dict) -> None:
    """Words for audit actions ("application.assign" → 分配): each domain names its own; unknown ones show the code."""
    app.extensions.setdefault(ACTION_LABELS_KEY, {}).update(labels)


def audit_action(action: str) -> str:
    return current_app.extensions.get(ACTION_LABELS_KEY, {}).get(action, action)


def register_warning(app: Flask, fn) -> None:
    """`fn(user) -> list[str]`: banners shown to staff on every page (e.g. a provisional holiday calendar)."""
    app.extensions.setdefault(WARNINGS_KEY, []).append(fn)


def init_app(app: Flask) -> None:
    from flask_login import current_user

    def staff_warnings() -> list[str]:
        out: list[str] = []
        for fn in current_app.extensions.get(WARNINGS_KEY, []):
            out.extend(fn(current_user) or [])
        return out

    from flask_babel import lazy_gettext as _l

    from disclosure.accounts.roles import ROLE_LABELS, Role

    outbox_labels = {
        "pending": _l("Waiting to be sent"),
        "sending": _l("Sending"),
        "sent": _l("Delivered"),
        "failed": _l("Sending failed"),
    }
    app.jinja_env.globals.update(
        nav_items=lambda section: items_for(current_app, section),
        staff_warnings=staff_warnings,
        role_label=lambda r: ROLE_LABELS.get(Role(r), r),
        outbox_state_label=lambda s: outbox_labels.get(str(s), s),
    )
    app.jinja_env.filters["datetimefmt"] = lambda v: format_datetime(v, "yyyy-MM-dd HH:mm") if v else ""
    app.jinja_env.filters["audit_json"] = audit_json
    app.jinja_env.globals["audit_value"] = audit_value
    app.jinja_env.globals["audit_action"] = audit_action


SENSITIVE_KEYS = ("doc_number", "doc_no", "id_number", "zjhm")


def audit_value(key: str, value):
    """Identity numbers stay whole in the audit table but are shown masked (rules-china §5.5)."""
    from disclosure.core.validators import mask_resident_id

    if isinstance(value, str) and any(k in str(key).lower() for k in SENSITIVE_KEYS):
        return mask_resident_id(value)
    return value


def audit_json(data) -> str:
    """An event's values as readable JSON (Chinese kept as is), with identity numbers masked."""
    import json

    def walk(obj, key=""):
        if isinstance(obj, dict):
            return {k: walk(v, k) for k, v in obj.items()}
        if isinstance(obj, list):
            return [walk(v, key) for v in obj]
        return audit_value(key, obj)

    return json.dumps(walk(data), ensure_ascii=False, sort_keys=True)
