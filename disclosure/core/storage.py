"""Content-addressed file storage for uploads, letters and exports.

Files are stored under STORAGE_DIR by their SHA-256, never by a name a user typed, so no user text can choose
a path. The database row keeps the original name for download and the checked content type.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from disclosure.core.models import TimestampMixin
from disclosure.extensions import db


class StoredFile(TimestampMixin, db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    def read_bytes(self) -> bytes:
        return blob_path(self.sha256).read_bytes()

    @property
    def path(self) -> Path:
        return blob_path(self.sha256)


def storage_root() -> Path:
    root = Path(current_app.config["STORAGE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def blob_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 digest")
    return storage_root() / sha256[:2] / sha256


def write_blob(data: bytes) -> str:
    """Write bytes once (atomically) and return their SHA-256. Safe to call before the commit: an orphan blob
    is harmless, a row pointing at a missing blob is not."""
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return digest


def store(
    data: bytes,
    *,
    original_name: str,
    content_type: str,
    agency_id: int | None = None,
    uploaded_by_id: int | None = None,
) -> StoredFile:
    return _add_row(write_blob(data), len(data), original_name, content_type, agency_id, uploaded_by_id)


def store_path(
    path: Path,
    *,
    original_name: str,
    content_type: str,
    agency_id: int | None = None,
    uploaded_by_id: int | None = None,
) -> StoredFile:
    """`store` for a file already on disk (a large export built in the worker): hashed and copied in pieces,
    never held in memory whole. The caller's file is left in place."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    target = blob_path(digest.hexdigest())
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent)
        with os.fdopen(fd, "wb") as out, open(path, "rb") as fh:
            shutil.copyfileobj(fh, out, 1024 * 1024)
        os.replace(tmp, target)
    return _add_row(digest.hexdigest(), os.path.getsize(path), original_name, content_type, agency_id, uploaded_by_id)


def _add_row(digest, size, original_name, content_type, agency_id, uploaded_by_id) -> StoredFile:
    row = StoredFile(
        sha256=digest,
        size=size,
        content_type=content_type,
        original_name=safe_display_name(original_name),
        agency_id=agency_id,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(row)
    return row


def safe_display_name(name: str) -> str:
    """Keep a readable file name (Chinese included) but drop any path and control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*')
    return name.strip(" .")[:200] or "file"
