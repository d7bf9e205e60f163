"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

import datetime as dt
import functools

from apiflask import HTTPTokenAuth, abort
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from disclosure.api.models import ApiToken, hash_token
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

token_auth = HTTPTokenAuth(scheme="Bearer", description="An agency's API token (`dsc_…`).")


@token_auth.verify_token
def _verify(raw: str | None) -> ApiToken | None:
    if not raw:
        return None
    # The agency comes with the token (one query): every endpoint acts for it.
    token = db.session.execute(
        db.select(ApiToken).options(joinedload(ApiToken.agency)).where(ApiToken.token_hash == hash_token(raw))
    ).scalar_one_or_none()
    if token is None or not token.usable:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        token.last_used_at = now  # committed by the request boundary; at most once a minute
    return token


@token_auth.error_processor
def _error(error):
    return (
        {"error": _("A valid API token is required (Authorization: Bearer …).")},
        error.status_code,
        {"WWW-Authenticate": 'Bearer realm="disclosure"'},
    )


def require_scope(scope: str):
    """Refuse with 403 unless the request's token holds `scope`. Use below `@bp.auth_required(token_auth)`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            token = token_auth.current_user
            if token is None or not token.allows(scope):
                abort(403, _("This API token may not do this (it lacks the scope %(scope)s).", scope=scope))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def current_token() -> ApiToken:
    return token_auth.current_user
