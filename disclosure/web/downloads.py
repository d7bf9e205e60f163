"""File downloads named in Chinese for people and in ASCII for old clients (RFC 6266 / RFC 8187)."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Response, send_file


def content_disposition(disposition: str, name: str, ascii_name: str) -> str:
    """`filename*` carries the Chinese name (UTF-8), `filename` an ASCII name that still means something to
    clients that ignore `filename*` (Werkzeug's own fallback strips the Chinese and leaves "-.xlsx")."""
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_download(
    data: bytes,
    *,
    mimetype: str,
    name: str,
    ascii_name: str,
    disposition: str = "attachment",
    etag: str | None = None,
) -> Response:
    """These bytes as a file named `name` (with `ascii_name` for old clients). With an `etag` (e.g. the file's
    SHA-256) a client that already holds these bytes gets a 304."""
    resp = send_file(io.BytesIO(data), mimetype=mimetype, max_age=0, etag=etag if etag is not None else True)
    resp.headers["Content-Disposition"] = content_disposition(disposition, name, ascii_name)
    return resp


def send_pdf(data: bytes, *, name: str, ascii_name: str, inline: bool = False, etag: str | None = None) -> Response:
    """PDF bytes (letters name people and addresses): never kept by the browser or a shared cache."""
    resp = send_download(
        data,
        mimetype="application/pdf",
        name=name,
        ascii_name=ascii_name,
        disposition="inline" if inline else "attachment",
        etag=etag,
    )
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
