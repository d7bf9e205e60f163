"""Who may see and act on a supervision notice (条例 Art. 47; issue 14 §3).

- The issuing side: a supervisor of the agency that issued the notice, while the agency it went to is one they
  supervise (`scope.supervised_agency_ids`); a system administrator for every notice.
- The agency: its office heads and agency administrators see the notices sent to it, and answer them.
- Anyone else: nothing (404, never a hint that the notice exists).
"""

from __future__ import annotations

from sqlalchemy import false, true

from disclosure.accounts.roles import Role
from disclosure.supervision import scope
from disclosure.supervision.notices.models import Notice
from workflows.supervision_notice import AGENCY, SUPERVISOR

AGENCY_ROLES = (Role.OFFICE_HEAD, Role.AGENCY_ADMIN)


def is_issuing_side(user, notice: Notice) -> bool:
    if not scope.is_supervisor(user):
        return False
    if not user.is_sys_admin and user.agency_id != notice.issuer_agency_id:
        return False
    return notice.agency_id in scope.supervised_agency_ids(user)


def is_agency_side(user, notice: Notice) -> bool:
    return (
        bool(getattr(user, "is_staff", False))
        and user.agency_id is not None
        and user.agency_id == notice.agency_id
        and user.has_role(*AGENCY_ROLES)
    )


def actors_for(user, notice: Notice) -> set[str]:
    """The workflow roles this user holds on this notice (`workflows.supervision_notice`)."""
    actors = set()
    if is_issuing_side(user, notice):
        actors.add(SUPERVISOR)
    if is_agency_side(user, notice):
        actors.add(AGENCY)
    return actors


def can_see(user, notice: Notice | None) -> bool:
    return notice is not None and bool(actors_for(user, notice))


def issued_condition(user):
    """The SQL condition of the notices the supervisor's list shows: issued by the user's agency to an agency they
    supervise (every notice for a system administrator)."""
    if not scope.is_supervisor(user):
        return false()
    if user.is_sys_admin:
        return true()
    if user.agency_id is None:
        return false()
    return (Notice.issuer_agency_id == user.agency_id) & Notice.agency_id.in_(scope.supervised_agency_ids(user))


def received_condition(user):
    """The SQL condition of the notices the agency's list shows: those sent to the user's own agency."""
    if user.agency_id is None or not user.has_role(*AGENCY_ROLES):
        return false()
    return Notice.agency_id == user.agency_id
