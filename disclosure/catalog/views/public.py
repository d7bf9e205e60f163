"""The public entry pages (issue 11 §5): an entry by its index number (a stable URL), its attachments and a print
view. Every page renders the entry's published version, never the working copy a revision is changing.

- 主动公开, published: the metadata block (索引号, 主题分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期, 有效性), the
  body, the attachments the version published, validity, interpretations and related documents;
- withdrawn: the page says so, when and why, without the body;
- 依申请公开: the title and index number with a link to file a request, when the agency lists such entries;
- anything else (a draft, a 不予公开 entry, an unknown number): 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template

from disclosure.accounts.models import Agency
from disclosure.catalog import platform
from disclosure.catalog.classification import category_label
from disclosure.catalog.models import Entry, EntryAttachment, EntryVersion
from disclosure.catalog.operations.entries import settings_for
from disclosure.catalog.operations.guide import request_flow_svg
from disclosure.catalog.views.common import public_bp
from disclosure.core.timeutil import CHINA_TZ, as_utc
from disclosure.extensions import db
from disclosure.web.access import public
from disclosure.web.downloads import send_download
from workflows.catalog import Attribute


@dataclass(frozen=True)
class PublicView:
    entry: Entry
    version: EntryVersion
    mode: str  # "full", "withdrawn", "on_request"


def public_view(index_number: str) -> PublicView:
    """What the public may see of the entry with this index number, or 404."""
    entry = platform.entry_by_index_number(index_number)
    if entry is None or entry.published_version is None:
        abort(404)
    version = entry.published_version
    if version.attribute == Attribute.PROACTIVE.value:
        return PublicView(entry, version, "withdrawn" if entry.withdrawn_at is not None else "full")
    if (
        version.attribute == Attribute.ON_REQUEST.value
        and entry.withdrawn_at is None
        and settings_for(entry.agency_id).list_on_request_entries
    ):
        return PublicView(entry, version, "on_request")
    abort(404)


def _context(view: PublicView) -> dict:
    entry, version = view.entry, view.version
    meta = version.metadata_json or {}
    attachments = []
    if view.mode == "full" and version.attachment_ids:
        rows = db.session.execute(
            db.select(EntryAttachment).where(
                EntryAttachment.id.in_(version.attachment_ids), EntryAttachment.entry_id == entry.id
            )
        ).scalars()
        order = {a: i for i, a in enumerate(version.attachment_ids)}
        attachments = sorted(rows, key=lambda a: order.get(a.id, 0))
    return {
        "entry": entry,
        "version": version,
        "meta": meta,
        "mode": view.mode,
        "agency": db.session.get(Agency, entry.agency_id),
        "category": category_label(meta.get("category", "")) if meta.get("category") else "",
        "validity_label": platform.VALIDITY_LABELS.get(entry.validity, entry.validity),
        "attachments": attachments,
        "related": platform.related_entries(entry) if view.mode == "full" else [],
        "flowchart": request_flow_svg() if view.mode == "full" and entry.source == "guide" else "",
        "withdrawn_on": as_utc(entry.withdrawn_at).astimezone(CHINA_TZ).date().isoformat()
        if entry.withdrawn_at
        else "",
    }


@public_bp.route("/entries/<path:index_number>")
@public
def entry(index_number: str):
    view = public_view(index_number)
    return render_template("catalog/public/entry.html", **_context(view))


@public_bp.route("/print/<path:index_number>")
@public
def entry_print(index_number: str):
    """The same page laid out for paper: the metadata block and the body, no navigation."""
    view = public_view(index_number)
    return render_template("catalog/public/entry_print.html", **_context(view))


@public_bp.route("/entries/<path:index_number>/files/<int:attachment_id>")
@public
def attachment(index_number: str, attachment_id: int):
    """A file the entry's published version names, as a download (never rendered by the browser in our origin)."""
    view = public_view(index_number)
    if view.mode != "full" or attachment_id not in (view.version.attachment_ids or []):
        abort(404)
    att = db.session.get(EntryAttachment, attachment_id)
    if att is None or att.entry_id != view.entry.id:
        abort(404)
    stored = att.file
    try:
        data = stored.read_bytes()
    except FileNotFoundError:
        abort(404)
    ascii_name = f"attachment-{att.id}.{att.kind}" if att.kind.isalnum() else f"attachment-{att.id}"
    resp = send_download(
        data,
        mimetype=stored.content_type or "application/octet-stream",
        name=stored.original_name,
        ascii_name=ascii_name,
        etag=stored.sha256,
    )
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
