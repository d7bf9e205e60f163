"""Access policies, declared on every view.

Each view carries exactly one policy, set by one of the decorators below; `tests/test_access_matrix.py` walks
the URL map, fails on any view without a policy, and requests every route as every role. Object-level checks
(`staff_object`, `own_object`) are done in the view after loading the object.

Roles are the string values of a domain's role enum (`accounts.roles.Role` is a `StrEnum`): this plumbing only
asks the user object `is_staff`, `is_sys_admin` and `has_role(*roles)`, and imports no domain.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask import abort, redirect, request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class Policy:
    kind: str  # "public" | "authenticated" | "applicant" | "staff"
    roles: frozenset[str] = field(default_factory=frozenset)  # staff: any of these (empty: any staff)

    def allows(self, user) -> bool:
        if self.kind == "public":
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if self.kind == "authenticated":
            return True
        if self.kind == "applicant":
            return user.is_applicant
        if not user.is_staff:
            return False
        if not self.roles or user.is_sys_admin:
            return True
        return user.has_role(*self.roles)


def _guard(policy: Policy):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not policy.allows(current_user):
                if not current_user.is_authenticated:
                    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_policy = policy
        return wrapped

    return decorator


def public(view):
    """Anyone, logged in or not."""
    view.access_policy = Policy("public")
    return view


def authenticated(view):
    return _guard(Policy("authenticated"))(view)


def applicant_required(view):
    """A registered citizen or organisation."""
    return _guard(Policy("applicant"))(view)


def staff_required(*roles: str):
    """Staff holding any of `roles` (any staff if none given); a system administrator always passes."""
    return _guard(Policy("staff", frozenset(roles)))


def staff_object(obj, agency_id_attr: str = "agency_id"):
    """404 unless the current staff user may see this agency's object (404, not 403: do not reveal it exists)."""
    if obj is None or not current_user.can_see_agency(getattr(obj, agency_id_attr)):
        abort(404)
    return obj


def own_object(obj, user_id_attr: str = "applicant_id"):
    """404 unless the object belongs to the current applicant."""
    if obj is None or getattr(obj, user_id_attr) != current_user.id:
        abort(404)
    return obj
