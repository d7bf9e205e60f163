"""Where a form may send the browser back to: same-site paths only, never an open redirect."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_local_target(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so `/\\t/evil.example` and
    `/\\evil.example` both become `//evil.example` (another host): any control character, white space or backslash
    refuses the target, and so does a scheme, a host or a leading `//`.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
