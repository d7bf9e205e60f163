"""The staff workbench: the entry page whose navigation follows the user's roles."""

from __future__ import annotations

from flask import Flask

from disclosure.accounts.roles import ROLE_LABELS, Role
from disclosure.staff import views


def role_label(role: str):
    """The words for a staff role value ("handler" → 承办人)."""
    return ROLE_LABELS.get(Role(role), role)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    # The words for roles on staff pages (web/ holds no domain's enum). Moves to accounts.init_app, which owns
    # ROLE_LABELS, once the accounts refactor lands.
    app.jinja_env.globals["role_label"] = role_label
