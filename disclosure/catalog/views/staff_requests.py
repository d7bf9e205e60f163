"""The requests an entry was drafted from or answered (条例 Arts. 36(1), 44) on the entry's staff page: the
template global `entry_requests(entry)` read by `catalog/staff/_entry_requests.html`, and the words of the audit
actions that link them (`register`, called from the package's `init_app`)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.catalog.models import Entry
from disclosure.catalog.operations.requests import requests_of
from disclosure.catalog.views.common import staff_bp
from disclosure.web.templating import register_action_labels

ACTION_LABELS = {
    "catalog.requests_linked": _l("Linked to the requests that asked for it (Art. 44)"),
    "catalog.request_answered": _l("Cited in the reply to a request as already disclosed (Art. 36(1))"),
}


@staff_bp.app_template_global()
def entry_requests(entry: Entry) -> list:
    """The cases linked to the entry, as the applications' door describes them."""
    return requests_of(entry)


def register(app: Flask) -> None:
    register_action_labels(app, ACTION_LABELS)
