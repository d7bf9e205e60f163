"""Account operations: registration, confirmation, login with lockout, password reset, profiles, staff, agencies.

Each function is one change: it validates, changes the models, appends an audit event and queues any email,
and leaves the commit to the caller (the request boundary or a CLI command).
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from werkzeug.security import check_password_hash, generate_password_hash

from disclosure.accounts import tokens
from disclosure.accounts.models import Agency, ApplicantProfile, Department, User, UserRole
from disclosure.accounts.roles import ROLE_LABELS, ApplicantCategory, ApplicantType, Role, UserKind
from disclosure.core import audit, signals, validators
from disclosure.core.errors import DomainError, NotAllowed
from disclosure.core.outbox import enqueue_email
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

PROFILE_FIELDS = (
    "applicant_type",
    "category",
    "doc_type",
    "doc_number",
    "org_name",
    "org_credit_code",
    "phone",
    "postal_address",
    "postal_code",
)
AGENCY_FIELDS = (
    "slug",
    "full_name",
    "short_name",
    "credit_code",
    "division_code",
    "parent_id",
    "address",
    "postal_code",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "reconsideration_body",
    "litigation_court",
    "doc_number_prefixes",
    "auto_confirm_online",
    "active",
)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(db.select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


def _send_template(user: User, template: str, subject, **ctx) -> None:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        enqueue_email(
            to=user.email,
            subject=str(subject),
            body_text=render_template(f"emails/{template}.txt", user=user, **ctx),
            related=("user", user.id),
            agency_id=user.agency_id,
        )


def register_applicant(*, email: str, password: str, name: str, profile: dict, locale: str | None) -> User | None:
    """A citizen or organisation registers; a confirmation email is queued.

    An address that already has an account gets the same outcome on the page (no account enumeration): nothing
    is created, the password is hashed all the same (so the time taken does not tell either), and the owner of
    the address is told by email that someone tried to register with it. Returns None in that case."""
    email = normalise_email(email)
    existing = find_user_by_email(email)
    if existing is not None:
        generate_password_hash(password)  # the same work as a new registration
        _notify_repeated_registration(existing)
        return None
    user = User(email=email, name=name.strip(), kind=UserKind.APPLICANT, locale=locale)
    user.set_password(password)
    user.profile = ApplicantProfile(**_clean_profile(profile))
    db.session.add(user)
    db.session.flush()
    user.log(
        "user.registered",
        after={"email": email, **audit.snapshot(user.profile, PROFILE_FIELDS)},
        actor=user,
    )
    send_confirmation(user)
    return user


def _notify_repeated_registration(user: User) -> None:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    _send_template(
        user,
        "accounts/already_registered",
        _("Someone tried to register with your email address"),
        login_link=base + url_for("accounts.login"),
        reset_link=base + url_for("accounts.forgot"),
    )
    user.log("user.registration_repeated", reason="a registration was attempted with this address")


def _clean_profile(profile: dict) -> dict:
    data = {k: profile.get(k) for k in PROFILE_FIELDS}
    if data["applicant_type"] == ApplicantType.ORGANISATION:
        data["doc_type"] = data["doc_number"] = None
    else:
        data["applicant_type"] = ApplicantType.PERSON
        data["category"] = ApplicantCategory.NATURAL_PERSON
        data["org_name"] = data["org_credit_code"] = None
    for k in ("phone", "postal_address", "postal_code"):
        data[k] = (data[k] or "").strip()
    return data


def send_confirmation(user: User) -> None:
    token = tokens.make_token(user, "confirm")
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("accounts.confirm", token=token)
    _send_template(user, "accounts/confirm", _("Confirm your email address"), link=link)


def confirm_email(token: str) -> User:
    """Confirm the address a link was sent to. A link works until the address is confirmed; an expired, used
    or broken one raises `tokens.InvalidLink`."""
    user, problem = tokens.read_token(token, "confirm", current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    if problem == "expired":
        raise tokens.InvalidLink(_l("The confirmation link has expired. Log in to get a new one."), reason=problem)
    if user is None:
        raise tokens.InvalidLink(
            _l(
                "The confirmation link is not valid or has already been used. "
                "If your address is confirmed, log in; otherwise logging in sends you a new link."
            ),
            reason="invalid",
        )
    user.email_confirmed_at = utcnow()
    user.log("user.email_confirmed", actor=user)
    return user


@functools.cache
def _dummy_password_hash() -> str:
    """A hash made like every real one (same method and cost), checked when the address has no account."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User:
    """Check a password with lockout: after LOGIN_MAX_FAILURES wrong passwords the account is locked for
    LOGIN_LOCK_MINUTES and its owner is told by email. The page says the same for a wrong password, a locked
    account and an unknown address, so nobody can learn which addresses have accounts."""
    cfg = current_app.config
    user = find_user_by_email(email)
    wrong = DomainError(_l("The email or the password is wrong."))
    # The password is hashed in every case, so the time taken does not tell an unknown address or a locked
    # account from a wrong password.
    password_ok = check_password_hash(user.password_hash if user else _dummy_password_hash(), password)
    if user is None or user.is_locked():
        raise wrong
    if not password_ok:
        user.failed_logins += 1
        if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
            user.locked_until = utcnow() + dt.timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
            user.log("user.locked", actor=user, reason="too many failed logins")
            _send_template(
                user,
                "accounts/locked",
                _("Your account has been locked for a while"),
                minutes=cfg["LOGIN_LOCK_MINUTES"],
            )
        raise wrong
    if not user.active:
        raise DomainError(_l("This account is disabled. Contact the administrator."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    user.log("user.logged_in", actor=user)
    return user


def log_out(user: User) -> None:
    """End every session of the user, server-side: the session cookie (even a copy taken before) and the
    remember-me cookie stop working on every browser."""
    user.end_sessions()
    user.log("user.logged_out", actor=user)


def request_password_reset(email: str) -> None:
    """Queue a reset link if the account exists; say nothing either way (no account enumeration)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = tokens.make_token(user, "reset")
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("accounts.reset", token=token)
    _send_template(user, "accounts/reset", _("Reset your password"), link=link)
    user.log("user.reset_requested", actor=user)


def check_reset_token(token: str) -> User:
    """The user a reset link is for. A link works once, and not after the password changed in any way or the
    account was disabled; otherwise `tokens.InvalidLink` is raised."""
    user, problem = tokens.read_token(token, "reset", current_app.config["PASSWORD_RESET_MAX_AGE"])
    if problem == "expired":
        raise tokens.InvalidLink(_l("The reset link has expired. Ask for a new one."), reason=problem)
    if user is None or not user.active:
        raise tokens.InvalidLink(_l("The reset link is not valid or has already been used."), reason="invalid")
    return user


def reset_password(token: str, password: str) -> User:
    user = check_reset_token(token)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()  # the link proves the address
    user.log("user.password_reset", actor=user)
    return user


def update_profile(user: User, *, name: str, profile: dict) -> None:
    before = {"name": user.name, **audit.snapshot(user.profile, PROFILE_FIELDS)}
    user.name = name.strip()
    for k, val in _clean_profile(profile).items():
        setattr(user.profile, k, val)
    after = {"name": user.name, **audit.snapshot(user.profile, PROFILE_FIELDS)}
    b, a = audit.diff(before, after)
    if a:
        user.log("user.profile_updated", before=b, after=a)


# --- staff and agencies -------------------------------------------------------------------------------


def grantable_roles(by: User | None) -> set[Role]:
    """The roles `by` may grant. `None` is the server operator (command line, demo data): every role.
    A system administrator grants every role, an agency administrator every role but system administrator,
    anyone else none."""
    if by is None or by.is_sys_admin:
        return set(Role)
    if by.is_staff and Role.AGENCY_ADMIN in by.roles:
        return set(Role) - {Role.SYS_ADMIN}
    return set()


def may_manage(by: User | None, user: User) -> bool:
    """Whether `by` may change `user` (roles, department, name, active, password): only a staff user of an
    agency `by` sees, whose roles are ALL within what `by` may grant. So an agency administrator cannot
    demote, disable or otherwise touch a system administrator of their agency."""
    if by is None:
        return True
    grant = grantable_roles(by)
    return bool(grant) and user.is_staff and by.can_see_agency(user.agency_id) and user.roles <= grant


def _check_may_manage(by: User | None, user: User) -> None:
    if not may_manage(by, user):
        raise NotAllowed(_l("You may only change users whose roles are all roles you can grant."))


def _check_may_grant(by: User | None, roles) -> None:
    beyond = set(roles) - grantable_roles(by)
    if beyond:
        raise NotAllowed(
            _l(
                "You cannot grant these roles: %(roles)s.",
                roles="、".join(str(ROLE_LABELS[r]) for r in sorted(beyond)),
            ),
            field="roles",
        )


def create_staff(
    *,
    agency: Agency,
    email: str,
    name: str,
    password: str,
    roles: list[Role],
    department: Department | None = None,
    by: User | None = None,
) -> User:
    """Create a staff user. `by` is the administrator doing it (None: the server operator), who may create
    users only in an agency they see and grant only roles within their own grant."""
    if agency is None:
        raise DomainError(_l("Every staff user belongs to an agency."))
    if by is not None and not (grantable_roles(by) and by.can_see_agency(agency.id)):
        raise NotAllowed(_l("You may only create users in your own agency."))
    _check_may_grant(by, roles)
    email = normalise_email(email)
    if find_user_by_email(email):
        raise DomainError(_l("An account with this email already exists."), field="email")
    user = User(
        email=email,
        name=name.strip(),
        kind=UserKind.STAFF,
        agency_id=agency.id,
        department_id=department.id if department else None,
        email_confirmed_at=utcnow(),
    )
    user.set_password(password)
    user.role_rows = [UserRole(role=r.value) for r in sorted(set(roles))]
    db.session.add(user)
    db.session.flush()
    user.log(
        "user.created",
        after={
            "email": email,
            "name": user.name,
            "roles": sorted(r.value for r in roles),
            "department_id": user.department_id,
        },
    )
    return user


ADMIN_ROLES = (Role.SYS_ADMIN, Role.AGENCY_ADMIN)
SYS_ADMIN_LOCK = 0x5A5AD  # the advisory lock serialising changes that take a system administrator away


def _check_keeps_administration(user: User, *, roles: set[Role], active: bool, by: User | None) -> None:
    """Refuse a change that would lock administration out: an administrator disabling their own account or
    removing their own administrator role (they could not undo it; another administrator must), and any change
    that would leave the deployment without an active system administrator. On PostgreSQL such a change first
    takes a transaction-level advisory lock and then counts the others afresh (a statement's snapshot under READ
    COMMITTED), so two administrators demoting each other at once cannot both succeed; SQLite serialises writers."""
    if by is not None and user.id == by.id:
        if not active:
            raise DomainError(_l("You cannot disable your own account."), field="active")
        lost = [r for r in ADMIN_ROLES if r in user.roles and r not in roles]
        if lost:
            raise DomainError(
                _l(
                    "You cannot remove your own role %(roles)s: ask another administrator to do it.",
                    roles="、".join(str(ROLE_LABELS[r]) for r in lost),
                ),
                field="roles",
            )
    if user.is_sys_admin and user.active and not (active and Role.SYS_ADMIN in roles):
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYS_ADMIN_LOCK})
        others = db.session.execute(
            db.select(User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.SYS_ADMIN.value, User.active.is_(True), User.kind == UserKind.STAFF.value)
            .where(User.id != user.id)
        ).first()
        if others is None:
            raise DomainError(
                _l("This is the only active system administrator: appoint another one first."),
                field="active" if not active else "roles",
            )


def update_staff(
    user: User, *, name: str, roles: list[Role], department_id: int | None, active: bool, by: User | None
) -> None:
    """Change a staff user. `by` may change only users whose roles all lie within their grant, and may grant
    only roles within it (see `may_manage`). Disabling a user ends their sessions at once."""
    _check_may_manage(by, user)
    _check_may_grant(by, roles)
    _check_keeps_administration(user, roles=set(roles), active=active, by=by)
    before = {
        "name": user.name,
        "roles": sorted(r.value for r in user.roles),
        "department_id": user.department_id,
        "active": user.active,
    }
    user.name = name.strip()
    current = {r.role for r in user.role_rows}
    wanted = {r.value for r in roles}
    user.role_rows = [r for r in user.role_rows if r.role in wanted] + [
        UserRole(role=r) for r in sorted(wanted - current)
    ]
    user.department_id = department_id
    if user.active and not active:
        user.end_sessions()
    user.active = active
    after = {"name": user.name, "roles": sorted(wanted), "department_id": department_id, "active": active}
    b, a = audit.diff(before, after)
    if a:
        user.log("user.updated", before=b, after=a)


def save_agency(agency: Agency | None, data: dict) -> Agency:
    """Create or update an agency. The credit code is validated (GB 32100) and must be unique."""
    data = dict(data)
    data["credit_code"] = validators.validate_uscc(data["credit_code"]) if data.get("credit_code") else None
    if not data["credit_code"]:
        raise DomainError(_l("Enter the agency's unified social credit code."), field="credit_code")
    clash = db.session.execute(
        db.select(Agency).where(
            (Agency.credit_code == data["credit_code"]) | (Agency.slug == data["slug"]),
            Agency.id != (agency.id if agency else -1),
        )
    ).scalar_one_or_none()
    if clash:
        raise DomainError(_l("Another agency already uses this credit code or short identifier."))
    creating = agency is None
    before = {} if creating else audit.snapshot(agency, AGENCY_FIELDS)
    if creating:
        agency = Agency()
        db.session.add(agency)
    for k in AGENCY_FIELDS:
        if k in data:
            setattr(agency, k, data[k])
    db.session.flush()
    after = audit.snapshot(agency, AGENCY_FIELDS)
    b, a = audit.diff(before, after)
    agency.log("agency.created" if creating else "agency.updated", before=b or None, after=a)
    signals.agency_changed.send(agency)
    return agency


def add_department(agency: Agency, name: str, *, is_legal: bool = False) -> Department:
    name = name.strip()
    if not name:
        raise DomainError(_l("Enter the department's name."), field="name")
    if any(d.name == name for d in agency.departments):
        raise DomainError(_l("This agency already has a department with this name."), field="name")
    dep = Department(agency=agency, name=name, is_legal=is_legal)
    db.session.add(dep)
    db.session.flush()
    dep.log("department.created", after={"name": name, "is_legal": is_legal})
    return dep
