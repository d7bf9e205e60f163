"""Agencies (机关), their departments, staff, citizens and organisations, roles and login."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.accounts import admin_views, cli, views
from disclosure.accounts.models import User
from disclosure.accounts.roles import Role, role_label
from disclosure.extensions import db, login_manager
from disclosure.web import nav


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def _load_user(token: str):
        # The token is the session generation (User.end_sessions): a session or remember-me cookie from before
        # a logout, a password change or a deactivation finds nobody.
        return db.session.execute(
            db.select(User).where(User.session_token == token, User.active.is_(True))
        ).scalar_one_or_none()

    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    cli.init_app(app)
    app.jinja_env.globals["role_label"] = role_label  # the words for roles on staff pages
    nav.register(app, "applicant", _l("My profile"), "accounts.profile", order=90)
    nav.register(app, "admin", _l("Agencies"), "accounts_admin.agencies", roles=[Role.SYS_ADMIN], order=10)
    # The administration pages an agency administrator sees as well as the system administrator.
    for label, endpoint, order in (
        (_l("Staff users"), "accounts_admin.users", 20),
        (_l("Audit log"), "accounts_admin.audit", 80),
        (_l("Outbox"), "accounts_admin.outbox", 85),
    ):
        nav.register(app, "admin", label, endpoint, roles=admin_views.ADMINS, order=order)
