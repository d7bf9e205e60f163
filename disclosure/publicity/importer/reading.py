"""Reading an inspected file: CSV text (UTF-8 or GB18030) or the first XLSX sheet as rows, and finding the header
row, which may use the standard's Chinese field names or its field codes (rules-china §5.2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from disclosure.core import spreadsheets
from disclosure.core.errors import DomainError
from disclosure.publicity.fields import Kind, header_map
from disclosure.publicity.importer.inspection import limits
from disclosure.publicity.validation import (
    EXTRA_MATTER,
)

ERROR_COLUMN, ROW_COLUMN = "错误原因", "原行号"
MATTER_HEADERS = {
    "MATTER": EXTRA_MATTER,
    "matter": EXTRA_MATTER,
    "事项名称": EXTRA_MATTER,
    "事项编码": EXTRA_MATTER,
    "事项": EXTRA_MATTER,
}
IGNORED_HEADERS = {ERROR_COLUMN, ROW_COLUMN}


def read_rows(data: bytes, fmt: str) -> tuple[int, Iterator[list]]:
    """(row count estimate, iterator of rows as lists of cell values) of the first sheet."""
    return spreadsheets.read_rows(data, fmt, limits())


@dataclass
class HeaderMap:
    row_index: int  # 0-based index of the header row
    columns: list[str | None]  # per column: field code, MATTER, SEVERITY/SIMPLIFIED or None
    unknown: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # per column: the header as the file writes it


def find_header(rows: list[list], kind: Kind) -> HeaderMap:
    """The header row is the first row (of the first five) naming at least three fields of this kind."""
    names = header_map(kind)
    other = header_map(Kind.PENALTY if kind is Kind.LICENSING else Kind.LICENSING)
    for idx, row in enumerate(rows[:5]):
        cells = ["" if c is None else str(c).strip() for c in row]
        cols: list[str | None] = []
        unknown: list[str] = []
        for cell in cells:
            code = names.get(cell) or MATTER_HEADERS.get(cell)
            cols.append(code)
            if cell and code is None and cell not in IGNORED_HEADERS:
                unknown.append(cell)
        if sum(1 for c in cols if c) >= 3:
            return HeaderMap(idx, cols, unknown, cells)
        if sum(1 for c in cells if c in other and c not in names) >= 3:
            raise DomainError(_l("The header row belongs to the other record type: choose the right type."))
    raise DomainError(
        _l(
            "No header row found: the first row must hold the national template's field names "
            "(Chinese names or field codes)."
        )
    )
