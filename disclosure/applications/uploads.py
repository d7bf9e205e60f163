"""Upload checks: files are judged by their content, not their name (a disguised file is refused).

Only document and image types an office can open safely are accepted; the detected type must agree with the
name's extension, and the stored content type is the detected one, never the browser's claim. The checks are
`disclosure.core.documents.inspect_document` (shared with the catalogue's attachments: polyglots, archive bombs,
encrypted and macro-enabled files are refused too); plain UTF-8 text is the one kind judged here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from disclosure.core import storage
from disclosure.core.documents import DocumentKind, extension_of, inspect_document
from disclosure.core.errors import DomainError

ACCEPTED = frozenset(DocumentKind(k) for k in ("pdf", "jpeg", "png", "tiff", "docx", "xlsx", "odt"))
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def check(upload: Upload) -> str:
    """Return the content type to store, or raise DomainError naming the file and the problem."""
    name = storage.safe_display_name(upload.filename)
    limit = current_app.config.get("APPLICATION_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    if extension_of(name) != "txt":
        return inspect_document(upload.data, name, limit, accepted=ACCEPTED, field="files").content_type
    if not upload.data:
        raise DomainError(_l("The file %(name)s is empty.", name=name), field="files")
    if len(upload.data) > limit:
        raise DomainError(
            _l("The file %(name)s is larger than %(mb)s MB.", name=name, mb=limit // (1024 * 1024)), field="files"
        )
    try:
        upload.data.decode("utf-8")
    except UnicodeDecodeError:
        raise DomainError(_l("The file %(name)s is not plain UTF-8 text.", name=name), field="files") from None
    if b"\x00" in upload.data:
        raise DomainError(_l("The file %(name)s is not plain text.", name=name), field="files")
    return "text/plain; charset=utf-8"


def store_checked(upload: Upload, *, agency_id: int, user_id: int | None):
    ctype = check(upload)
    return storage.store(
        upload.data, original_name=upload.filename, content_type=ctype, agency_id=agency_id, uploaded_by_id=user_id
    )
