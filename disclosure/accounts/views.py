"""Login, registration, email confirmation, password reset and the applicant's profile."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from disclosure.accounts import operations as ops
from disclosure.accounts.forms import ForgotForm, LoginForm, ProfileForm, RegisterForm, ResetForm
from disclosure.accounts.tokens import InvalidLink
from disclosure.core.errors import DomainError
from disclosure.extensions import db, limiter
from disclosure.web.access import applicant_required, authenticated, public
from disclosure.web.forms import show_errors

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _home_for(user) -> str:
    return url_for("staff.home") if user.is_staff else url_for("public.my_home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = ops.authenticate(form.email.data, form.password.data)
        except DomainError as exc:
            db.session.commit()  # keep the failure count even though the login failed
            form.password.errors.append(exc.message)
            return render_template("accounts/login.html", form=form), 200
        if user.is_applicant and user.email_confirmed_at is None:
            db.session.commit()
            flash(_("Please confirm your email address first. We have sent you a new link."), "warning")
            ops.send_confirmation(user)
            return redirect(url_for("accounts.login"))
        session.clear()  # no session fixation
        login_user(user, remember=form.remember.data)
        return redirect(_safe_next(request.args.get("next")) or _home_for(user))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    ops.log_out(current_user._get_current_object())
    # Clear first: logout_user() leaves the note that makes Flask-Login delete the remember-me cookie.
    session.clear()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            ops.register_applicant(
                email=form.email.data,
                password=form.password.data,
                name=form.name.data,
                profile={k: getattr(form, k).data for k in ops.PROFILE_FIELDS if hasattr(form, k)},
                locale=session.get("lang"),
            )
        except DomainError as exc:
            db.session.rollback()
            show_errors(form, exc, default="email")
            return render_template("accounts/register.html", form=form)
        # The same words whether the address was new or already had an account (its owner is told by email).
        flash(
            _(
                "Thank you. A confirmation link has been sent to the email address you gave: "
                "open it to confirm the address and finish the registration."
            ),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


def _invalid_link(exc: InvalidLink, *, again_endpoint: str, again_label: str):
    """An expired, used or broken link says so on a page of its own, with the way to a new one (a redirect
    back to the link itself would loop)."""
    return render_template(
        "accounts/link_invalid.html",
        message=exc.message,
        again_url=url_for(again_endpoint),
        again_label=again_label,
    ), 400


@bp.route("/confirm/<token>")
@public
def confirm(token: str):
    try:
        ops.confirm_email(token)
    except InvalidLink as exc:
        return _invalid_link(exc, again_endpoint="accounts.login", again_label=_("Log in"))
    flash(_("Your email address is confirmed. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"])
@public
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        ops.request_password_reset(form.email.data)
        flash(_("If an account exists for this address, a reset link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset(token: str):
    try:
        ops.check_reset_token(token)  # a used or expired link says so at once, not after typing a password
    except InvalidLink as exc:
        return _invalid_link(exc, again_endpoint="accounts.forgot", again_label=_("Ask for a new link"))
    form = ResetForm()
    if form.validate_on_submit():
        ops.reset_password(token, form.password.data)
        flash(_("Your password has been changed. Log in with the new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@applicant_required
def profile():
    p = current_user.profile
    form = ProfileForm(obj=p)
    if request.method == "GET":
        form.name.data = current_user.name
    if form.validate_on_submit():
        ops.update_profile(
            current_user,
            name=form.name.data,
            profile={k: getattr(form, k).data for k in ops.PROFILE_FIELDS if hasattr(form, k)},
        )
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)
