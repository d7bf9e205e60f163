"""The JSON API: per-agency tokens for business systems and portals, and the OpenAPI document.

Domain packages define their endpoints on `apiflask.APIBlueprint`s under `/api/v1/…` and protect them with
`@bp.auth_required(token_auth)` plus `@require_scope(...)` from `disclosure.api.auth`. The app (an APIFlask)
serves the OpenAPI document of all API blueprints at `/api/openapi.json`. API blueprints are exempt from CSRF
(they carry a bearer token, not a cookie).

This module is the package's door: domain packages import `token_auth`, `require_scope` and `current_token` (and
their tests `issue_token`) from `disclosure.api`, never from its modules.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from disclosure.accounts.roles import Role
from disclosure.api import cli, views
from disclosure.api.auth import current_token, require_scope, token_auth
from disclosure.api.operations import issue_token
from disclosure.web import jsonbody, nav

__all__ = ["current_token", "init_app", "issue_token", "require_scope", "token_auth"]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.before_request(_parse_api_body)
    app.spec_processor(_bodies_required)
    cli.init_app(app)
    nav.register(
        app, "admin", _l("API tokens"), "api_admin.tokens", roles=[Role.SYS_ADMIN, Role.AGENCY_ADMIN], order=70
    )


def _parse_api_body() -> None:
    """Every JSON body sent to `/api/` is parsed strictly before its endpoint runs (web/jsonbody.py): a body with
    NaN, Infinity, lone surrogates, NUL, bytes that are not UTF-8 or deep nesting is a 400
    `{"error", "field", "errors": [{"field", "message"}]}`, whatever the endpoint asks of `get_json` afterwards."""
    if request.path.startswith("/api/"):
        jsonbody.parse_json_body()


def _bodies_required(spec: dict) -> dict:
    """Every request body the API declares is required (apiflask's document leaves `required` out, which OpenAPI
    reads as optional): no endpoint takes a POST without one."""
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["requestBody"]["required"] = True
    return spec
