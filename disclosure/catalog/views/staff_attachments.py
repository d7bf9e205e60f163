"""Staff pages of an entry's files: upload on a draft, change role, title and place, remove (never deleted), and
download any of them, removed ones included (a published version may still name them)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.catalog.forms import AttachmentEditForm, AttachmentUploadForm, ConfirmForm
from disclosure.catalog.models import EntryAttachment
from disclosure.catalog.operations import attachments as ops
from disclosure.catalog.views.common import EDITORS, READERS, staff_bp
from disclosure.catalog.views.staff import load_entry, refused_page
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.web.downloads import send_download
from disclosure.web.params import parse_int


def _load_attachment(entry_id: int, attachment_id: int):
    entry = load_entry(entry_id)
    att = db.session.get(EntryAttachment, attachment_id)
    if att is None or att.entry_id != entry.id:
        abort(404)
    return entry, att


def _back(entry_id: int):
    return redirect(url_for(".entry", entry_id=entry_id, _anchor="attachments"))


@staff_bp.route("/entries/<int:entry_id>/attachments", methods=["POST"])
@staff_required(*EDITORS)
def upload_attachments(entry_id: int):
    entry = load_entry(entry_id)
    form = AttachmentUploadForm()
    uploads = [
        ops.Upload(data=f.read(), filename=f.filename or "", content_type=f.mimetype or "")
        for f in request.files.getlist(form.files.name)
        if f and (f.filename or "").strip()
    ]
    added = []

    def upload():
        added.extend(
            ops.add_attachments(
                entry,
                uploads,
                {"role": form.role.data, "title": form.title.data, "position": form.position.data},
                actor=current_user,
                expected_version=parse_int(form.version.data, min=0),
            )
        )

    refused = refused_page(entry_id, upload, form, "upload", default="files")
    if refused is not None:
        return refused
    flash(_("%(n)d file(s) added.", n=len(added)), "success")
    return _back(entry.id)


@staff_bp.route("/entries/<int:entry_id>/attachments/<int:attachment_id>", methods=["POST"])
@staff_required(*EDITORS)
def update_attachment(entry_id: int, attachment_id: int):
    entry, att = _load_attachment(entry_id, attachment_id)
    form = AttachmentEditForm(prefix=f"att{att.id}")
    refused = refused_page(
        entry_id,
        lambda: ops.update_attachment(
            entry,
            att.id,
            {"role": form.role.data, "title": form.title.data, "position": form.position.data},
            actor=current_user,
        ),
        form,
        f"attachment-{attachment_id}",
    )
    if refused is not None:
        return refused
    flash(_("The file was changed."), "success")
    return _back(entry.id)


@staff_bp.route("/entries/<int:entry_id>/attachments/<int:attachment_id>/remove", methods=["POST"])
@staff_required(*EDITORS)
def remove_attachment(entry_id: int, attachment_id: int):
    entry, att = _load_attachment(entry_id, attachment_id)
    form = ConfirmForm()  # the CSRF token is checked by the extension; nothing else is posted
    refused = refused_page(entry_id, lambda: ops.remove_attachment(entry, att.id, actor=current_user), form, "remove")
    if refused is not None:
        return refused
    flash(_("The file was removed from the draft."), "success")
    return _back(entry.id)


@staff_bp.route("/entries/<int:entry_id>/attachments/<int:attachment_id>/download")
@staff_required(*READERS)
def download_attachment(entry_id: int, attachment_id: int):
    _entry, att = _load_attachment(entry_id, attachment_id)
    stored = att.file
    name = stored.original_name
    ext = name.rsplit(".", 1)[-1] if "." in name else att.kind
    return send_download(
        stored.read_bytes(),
        mimetype=stored.content_type or "application/octet-stream",
        name=name,
        ascii_name=f"attachment-{att.id}.{ext if ext.isascii() and ext.isalnum() else att.kind}",
        etag=stored.sha256,
    )
