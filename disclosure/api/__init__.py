"""The JSON API: per-agency tokens for business systems and portals, and the OpenAPI document.

Domain packages define their endpoints on `apiflask.APIBlueprint`s under `/api/v1/…` and protect them with
`@bp.auth_required(token_auth)` plus `@require_scope(...)` from `disclosure.api.auth`. The app (an APIFlask)
serves the OpenAPI document of all API blueprints at `/api/openapi.json`. API blueprints are exempt from CSRF
(they carry a bearer token, not a cookie).
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from disclosure.accounts.roles import Role
    from disclosure.api import cli, views
    from disclosure.web import nav

    app.register_blueprint(views.bp)
    cli.init_app(app)
    nav.register(
        app, "admin", _l("API tokens"), "api_admin.tokens", roles=[Role.SYS_ADMIN, Role.AGENCY_ADMIN], order=70
    )
