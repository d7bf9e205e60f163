"""The ZIP of attachments that goes with an import file: each row's 附件 names files inside it.

The archive itself is only a carrier: it is opened without unpacking anything, its directory checked (entries,
declared sizes, compression ratios, encryption), and a member is read only when a row names it, then judged by its
content (`core.documents.inspect_document`) like any uploaded attachment. Names written by Chinese Windows
(GBK without the UTF-8 flag) are read as such."""

from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l

from disclosure.catalog.models import AttachmentRole, CatalogImport, EntryAttachment, EntryVersion
from disclosure.core.documents import MAX_COMPRESSION_RATIO, MAX_ZIP_ENTRIES, DocumentKind, inspect_document
from disclosure.core.errors import DomainError
from disclosure.core.storage import store
from disclosure.core.textextract import READABLE
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

_UTF8_FLAG = 0x800


def max_attachment_bytes() -> int:
    return int(current_app.config.get("CATALOG_MAX_ATTACHMENT_BYTES", 30 * 1024 * 1024))


def max_archive_bytes() -> int:
    return int(current_app.config.get("CATALOG_IMPORT_MAX_ZIP_BYTES", 500 * 1024 * 1024))


def _name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = None
        if raw is not None:
            for encoding in ("utf-8", "gb18030"):
                try:
                    name = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    return unicodedata.normalize("NFC", name.replace("\\", "/"))


class AttachmentArchive:
    """The members of the ZIP by name (the full path inside the archive, and the bare file name when it is
    unique), read on demand."""

    def __init__(self, data: bytes):
        if len(data) > max_archive_bytes():
            raise DomainError(
                _l("The ZIP of attachments is larger than %(mb)d MB.", mb=max_archive_bytes() // (1024 * 1024)),
                field="files",
            )
        if data[:4] != b"PK\x03\x04":
            raise DomainError(_l("The attachments must be one ZIP archive."), field="files")
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = [i for i in self.archive.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError):
            raise DomainError(_l("The ZIP of attachments is damaged or incomplete."), field="files") from None
        if len(infos) > MAX_ZIP_ENTRIES:
            raise DomainError(
                _l("The ZIP of attachments holds more than %(n)d files.", n=MAX_ZIP_ENTRIES), field="files"
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        bare: dict[str, list[zipfile.ZipInfo]] = {}
        for info in infos:
            name = _name(info)
            self.members[name] = info
            bare.setdefault(posixpath.basename(name), []).append(info)
        for name, found in bare.items():
            if len(found) == 1:
                self.members.setdefault(name, found[0])

    def read(self, name: str) -> tuple[bytes, DocumentKind]:
        """The named member's bytes and kind, or DomainError saying what is wrong with it."""
        info = self.members.get(unicodedata.normalize("NFC", name.replace("\\", "/")))
        if info is None:
            raise DomainError(_l("The file %(name)s is not in the ZIP of attachments.", name=name))
        limit = max_attachment_bytes()
        if info.file_size > limit:
            raise DomainError(_l("The file %(name)s is larger than %(mb)d MB.", name=name, mb=limit // (1024 * 1024)))
        if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise DomainError(_l("The file %(name)s is compressed suspiciously well and is refused.", name=name))
        if info.flag_bits & 0x1:
            raise DomainError(_l("The file %(name)s is protected by a password in the ZIP.", name=name))
        try:
            data = self.archive.read(info)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, RuntimeError, EOFError, NotImplementedError):
            raise DomainError(_l("The file %(name)s cannot be read from the ZIP (damaged).", name=name)) from None
        kind = inspect_document(data, posixpath.basename(name), limit, field=None)
        return data, kind


def add_attachments(files: Iterable[tuple[int, str, bytes, str]], job: CatalogImport, *, versions: dict) -> None:
    """Store the rows' files and attach them (in the order the row names them); the published version names
    them too. Their text is read later, in the worker (`extract_texts`)."""
    now = utcnow()
    pending = []
    for position, (entry_id, name, data, kind) in enumerate(files):
        stored = store(
            data,
            original_name=name,
            content_type="",
            agency_id=job.agency_id,
            uploaded_by_id=job.created_by_id,
        )
        pending.append((entry_id, kind, stored, position))
    db.session.flush()
    for entry_id, kind, stored, position in pending:
        attachment = EntryAttachment(
            entry_id=entry_id,
            file_id=stored.id,
            role=AttachmentRole.ATTACHMENT.value,
            title=stored.original_name.rsplit(".", 1)[0][:200],
            kind=kind,
            position=position,
            text_status="pending" if kind in READABLE else "none",
            created_at=now,
        )
        db.session.add(attachment)
        db.session.flush()
        version = db.session.get(EntryVersion, versions[entry_id]) if entry_id in versions else None
        if version is not None:
            version.attachment_ids = [*version.attachment_ids, attachment.id]
