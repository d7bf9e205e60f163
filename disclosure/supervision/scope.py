"""Who sees which agencies' supervision figures (条例 Art. 47): a supervisor (政务公开监督) of the competent
department sees their own agency and every agency below it in the tree; an agency's office head and
administrator see their own agency only; a system administrator sees every agency. Nobody sees an agency's
figures unless they work for it or supervise it."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from disclosure.accounts import tree
from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.core.idlists import in_ids
from disclosure.extensions import db

SUPERVISORS = (Role.SUPERVISOR,)
# Those who answer for their own agency: they see its dashboard and its notices.
AGENCY_VIEWERS = (Role.OFFICE_HEAD, Role.AGENCY_ADMIN)
DASHBOARD_ROLES = (*SUPERVISORS, *AGENCY_VIEWERS, Role.SYS_ADMIN)


def visible_agency_ids(user) -> list[int]:
    """The agencies whose figures this user may see, in id order ([] for none)."""
    if not getattr(user, "is_staff", False):
        return []
    if user.is_sys_admin:
        return list(db.session.execute(select(Agency.id).order_by(Agency.id)).scalars())
    if user.agency_id is None:
        return []
    if user.has_role(*SUPERVISORS):
        return tree.subtree_ids(user.agency_id)
    if user.has_role(*AGENCY_VIEWERS):
        return [user.agency_id]
    return []


def supervised_agency_ids(user) -> list[int]:
    """The agencies this user may supervise (issue notices to, assess, adjust scores of): a supervisor's agency's
    subtree, every agency for a system administrator."""
    if not getattr(user, "is_staff", False):
        return []
    if user.is_sys_admin:
        return list(db.session.execute(select(Agency.id).order_by(Agency.id)).scalars())
    if user.agency_id is None or not user.has_role(*SUPERVISORS):
        return []
    return tree.subtree_ids(user.agency_id)


def is_supervisor(user) -> bool:
    return bool(getattr(user, "is_staff", False)) and (user.is_sys_admin or user.has_role(*SUPERVISORS))


def agency_or_404(user, agency_id: int | None) -> Agency:
    """An agency the user may see; 404 for one that does not exist or that they may not see (no probing)."""
    if agency_id is None or agency_id not in visible_agency_ids(user):
        abort(404)
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        abort(404)
    return agency


def agencies(ids) -> list[Agency]:
    """These agencies, ordered as the tree reads: parent first, then by name."""
    rows = list(db.session.execute(select(Agency).where(in_ids(Agency.id, ids))).scalars())
    return sorted(rows, key=lambda a: (a.parent_id is not None, a.short_name))
