"""What the catalogue pages share: their blueprints and who may do what.

- `catalog` (/staff/catalog): the agency's catalogue, entry forms and reviews, normative documents, cleanups,
  interpretations, the import, the workbench queues;
- `catalog_public` (/catalog): the public disclosure platform (guide, rules, statutory content, library,
  interpretations, search, entries by index number, feeds);
- `catalog_admin` (/admin/catalog): settings, themes and genres, the agency's statutory content.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role

staff_bp = Blueprint("catalog", __name__, url_prefix="/staff/catalog")
public_bp = Blueprint("catalog_public", __name__, url_prefix="/catalog")
admin_bp = Blueprint("catalog_admin", __name__, url_prefix="/admin/catalog")

EDITORS = (Role.CATALOG_EDITOR, Role.OFFICE_HEAD)
# Everyone who takes part in an entry's path sees the agency's catalogue.
READERS = (
    Role.CATALOG_EDITOR,
    Role.REGISTRAR,
    Role.OFFICE_HEAD,
    Role.SECRECY_REVIEWER,
    Role.LEGAL_REVIEWER,
    Role.AGENCY_ADMIN,
)
ADMINS = (Role.AGENCY_ADMIN,)


def own_agency() -> Agency:
    """The agency a staff member works for (a system administrator without one has no catalogue)."""
    if current_user.agency is None:
        abort(403)
    return current_user.agency
