"""What the publicity pages share: their three blueprints, who may do what, reading ids, dates and pages from a
request, and showing a refused operation's message beside its form field."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts import tree
from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.publicity.fields import Kind

staff_bp = Blueprint("publicity", __name__, url_prefix="/staff/publicity")
public_bp = Blueprint("publicity_public", __name__, url_prefix="/publicity")
admin_bp = Blueprint("publicity_admin", __name__, url_prefix="/admin/publicity")

CLERKS = (Role.PUBLICITY_CLERK, Role.AGENCY_ADMIN)
READERS = (Role.PUBLICITY_CLERK, Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN)
SUPERVISORS = (Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN)
# The matter catalogue is a catalogue like the disclosure catalogue: its editors (目录编辑) maintain it and submit it
# for the confidentiality review, beside the publicity clerks; they do not enter or see records.
MATTER_EDITORS = (*CLERKS, Role.CATALOG_EDITOR)
CATALOGUE_READERS = (*READERS, Role.SECRECY_REVIEWER, Role.CATALOG_EDITOR)
REVIEWERS = (Role.SECRECY_REVIEWER, Role.CREDIT_SUPERVISOR)
ORGAN_KEEPERS = (Role.AGENCY_ADMIN, Role.CREDIT_SUPERVISOR)  # who says whose decisions the agency may publish
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kind_or_404(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        abort(404)


def own_agency() -> Agency:
    """The agency a staff member works for; a system administrator without one cannot enter records."""
    if current_user.agency is None:
        abort(403)
    return current_user.agency


def visible_agency_ids() -> list[int] | None:
    """None = every agency (system administrator); otherwise the user's agency and the agencies below it."""
    return tree.visible_agency_ids(current_user)


MAX_ID = 2**31 - 1  # an id or page number beyond a database integer is no page at all, not a server error


def page_arg() -> int:
    return min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)


def small_int(text: str | None) -> int | None:
    """A chosen id from a select field: digits within a database integer, else None."""
    return int(text) if (text or "").isdigit() and 0 < int(text) <= MAX_ID else None


def id_arg(name: str, source=None) -> int | None:
    """A positive id from the query string (or a form), None when absent, malformed or out of range."""
    value = (source or request.args).get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def date_arg(name: str) -> dt.date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        flash(_("%(value)s is not a date (use YYYY-MM-DD); the filter was ignored.", value=raw), "error")
        return None


def on_form(form, operation, *, field: str | None = None, attach=None):
    """`operation()`'s result; or, when a business rule refuses it (DomainError), None after rolling back and
    putting the message beside the field it names (else beside `field`). `attach(field, message)` places it
    where the form's fields are not named as the error's (the record form: field codes). A refusal with no field
    to show it goes on to the request boundary."""
    try:
        return operation()
    except DomainError as exc:
        target = exc.field or field
        shown = getattr(form, target or "", None) or getattr(form, field or "", None)
        if (attach is None and shown is None) or target is None:
            raise
        db.session.rollback()
        if attach is not None:
            attach(target, exc.message)
        else:
            shown.errors = [*shown.errors, exc.message]
        return None
