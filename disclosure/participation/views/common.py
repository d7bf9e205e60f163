"""What the participation pages share: their blueprints and who may do what.

- `participation` (/staff/participation): the agency's consultations, moderation, feedback, hearings, the list;
- `participation_public` (/participation): open and closed consultations, the consultation page and comment
  form, the commenter's status page, the list of major decisions, the Atom feed;
- `participation_admin` (/admin/participation): the agency's comment settings and the kinds with their periods.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.extensions import db
from disclosure.participation.models import Consultation
from disclosure.web.access import staff_object

staff_bp = Blueprint("participation", __name__, url_prefix="/staff/participation")
public_bp = Blueprint("participation_public", __name__, url_prefix="/participation")
admin_bp = Blueprint("participation_admin", __name__, url_prefix="/admin/participation")

EDITORS = (Role.CATALOG_EDITOR, Role.REGISTRAR, Role.OFFICE_HEAD)
READERS = (*EDITORS, Role.AGENCY_ADMIN)


def own_agency() -> Agency:
    if current_user.agency is None:
        abort(403)
    return current_user.agency


def staff_consultation(consultation_id: int) -> Consultation:
    if not 0 < consultation_id < 2**31:
        abort(404)
    return staff_object(db.session.get(Consultation, consultation_id))
