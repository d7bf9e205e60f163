"""File downloads named in Chinese for people and in ASCII for old clients (RFC 6266 / RFC 8187)."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Response, send_file


def content_disposition(disposition: str, name: str, ascii_name: str) -> str:
    """`filename*` carries the Chinese name (UTF-8), `filename` an ASCII name that still means something to
    clients that ignore `filename*` (Werkzeug's own fallback strips the Chinese and leaves "-.xlsx")."""
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_download(data: bytes, *, mimetype: str, name: str, ascii_name: str) -> Response:
    resp = send_file(io.BytesIO(data), mimetype=mimetype, max_age=0)
    resp.headers["Content-Disposition"] = content_disposition("attachment", name, ascii_name)
    return resp
