"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

import datetime as dt
import functools

from apiflask import HTTPTokenAuth, abort
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from disclosure.accounts.models import Agency
from disclosure.api.models import ApiToken, hash_token
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

token_auth = HTTPTokenAuth(scheme="Bearer", description="An agency's API token (`dsc_…`).")


# The token with its agency (every endpoint acts for it) in one query by the token's unique hash, built once: the
# agency is loaded as an entity of its own and set as the token's, which costs less than a joined eager load.
# Nothing is kept between requests: a revoked token is refused at once.
_TOKEN_WITH_AGENCY = (
    select(ApiToken, Agency)
    .join(Agency, Agency.id == ApiToken.agency_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


@token_auth.verify_token
def _verify(raw: str | None) -> ApiToken | None:
    if not raw:
        return None
    row = db.session.execute(_TOKEN_WITH_AGENCY, {"token_hash": hash_token(raw)}).one_or_none()
    if row is None:
        return None
    token, agency = row
    set_committed_value(token, "agency", agency)  # loaded with it (the session holds its objects only weakly)
    if not token.usable:
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
