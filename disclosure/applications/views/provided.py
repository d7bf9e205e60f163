"""The information provided, opened from the link in the reply email (`operations.delivery`): a list page and
the file downloads, for whoever holds the link while it is valid.

The link, not a login, is the permission: a case registered from paper has no applicant account, so the
applicant's own page (/my/applications) reaches nobody there. A link that is expired, altered or not a link at all,
or whose reply letter was corrected or voided, opens a page that says so (never a 500, never the files).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from disclosure.applications.operations import delivery
from disclosure.applications.views.common import send_stored
from disclosure.extensions import limiter
from disclosure.web.access import public

files_bp = Blueprint("applications_files", __name__, url_prefix=delivery.LINK_PATH)

_REFUSED_STATUS = {"expired": 410, "withdrawn": 410, "invalid": 404}


def _open(token: str):
    link = delivery.read_files_token(token)
    if link.refused:
        page = render_template("applications/provided_refused.html", reason=link.refused)
        return None, (page, _REFUSED_STATUS[link.refused])
    return link, None


@files_bp.route("/<token>")
@public
@limiter.limit("60/minute")
def files(token: str):
    link, refused = _open(token)
    if refused:
        return refused
    return render_template(
        "applications/provided.html",
        app=link.app,
        letter=link.letter,
        files=delivery.provided_files(link.app),
        token=token,
    )


@files_bp.route("/<token>/<int:attachment_id>")
@public
@limiter.limit("60/minute")
def file(token: str, attachment_id: int):
    link, refused = _open(token)
    if refused:
        return refused
    found = next(((a, name) for a, name in delivery.provided_files(link.app) if a.id == attachment_id), None)
    if found is None:
        abort(404)
    resp = send_stored(found[0].file, found[1])
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
