"""Inspecting an upload before it is read (issue 10): publicity's limits (settings `PUBLICITY_IMPORT_*`) applied
by the one spreadsheet reader every import uses, `disclosure.core.spreadsheets` (size, kind by content, zip bombs,
the first sheet's extent)."""

from __future__ import annotations

from disclosure.core import spreadsheets

PREFIX = "PUBLICITY_IMPORT"


def limits() -> dict:
    return spreadsheets.limits(PREFIX)


def inspect_upload(data: bytes) -> str:
    """The file's kind (xlsx or csv) from its content, or a DomainError saying why it is refused."""
    return spreadsheets.inspect_upload(data, limits())
