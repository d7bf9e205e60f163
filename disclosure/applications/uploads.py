"""Upload checks: files are judged by their content, not their name (a disguised file is refused).

Only document and image types an office can open safely are accepted; the detected type must agree with the
name's extension, and the stored content type is the detected one, never the browser's claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

from disclosure.core import storage
from disclosure.core.errors import DomainError

# detected extension -> (content type, extensions a user may give it)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
    "tif": ("image/tiff", {"tif", "tiff"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check(upload: Upload) -> str:
    """Return the content type to store, or raise DomainError naming the file and the problem."""
    name = storage.safe_display_name(upload.filename)
    limit = current_app.config.get("APPLICATION_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not upload.data:
        raise DomainError(_l("The file %(name)s is empty.", name=name), field="files")
    if len(upload.data) > limit:
        raise DomainError(
            _l("The file %(name)s is larger than %(mb)s MB.", name=name, mb=limit // (1024 * 1024)), field="files"
        )
    ext = _extension(name)
    if ext == "txt":
        try:
            upload.data.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(_l("The file %(name)s is not plain UTF-8 text.", name=name), field="files") from None
        if b"\x00" in upload.data:
            raise DomainError(_l("The file %(name)s is not plain text.", name=name), field="files")
        return "text/plain; charset=utf-8"
    kind = filetype.guess(upload.data)
    detected = kind.extension if kind else None
    if detected not in ALLOWED:
        raise DomainError(
            _l("The file %(name)s is not an accepted type (PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT or text).", name=name),
            field="files",
        )
    ctype, names = ALLOWED[detected]
    if ext not in names:
        raise DomainError(
            _l(
                "The content of %(name)s does not match its name: it looks like a %(kind)s file.",
                name=name,
                kind=detected.upper(),
            ),
            field="files",
        )
    return ctype


def store_checked(upload: Upload, *, agency_id: int, user_id: int | None):
    ctype = check(upload)
    return storage.store(
        upload.data, original_name=upload.filename, content_type=ctype, agency_id=agency_id, uploaded_by_id=user_id
    )
