"""Reading an inspected file: CSV text (UTF-8 or GB18030) or the first XLSX sheet as rows, and finding the header
row, which may use the standard's Chinese field names or its field codes (rules-china §5.2)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from python_calamine import CalamineWorkbook

from disclosure.core.errors import DomainError
from disclosure.publicity.fields import Kind, header_map
from disclosure.publicity.importer.inspection import CSV, limits
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


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, as spreadsheets saved on Chinese Windows are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_rows(data: bytes, fmt: str) -> tuple[int, Iterator[list]]:
    """(row count estimate, iterator of rows as lists of cell values) of the first sheet."""
    if fmt == CSV:
        try:
            text = decode_csv(data)
        except UnicodeDecodeError:
            raise DomainError(
                _l("The CSV file is neither UTF-8 nor GB18030 text. Save it again as CSV UTF-8.")
            ) from None
        count = text.count("\n") + 1
        return count, _narrow(csv.reader(io.StringIO(text)), limits()["max_columns"])

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return sheet.total_height, sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise DomainError(_l("The spreadsheet cannot be read: %(error)s", error=str(exc)[:200])) from None


def _narrow(rows, max_columns: int) -> Iterator[list]:
    """CSV rows, refusing a row wider than the widest file we read (the XLSX sheet is checked before reading),
    and a field longer than the csv module reads (`csv.field_size_limit()`, 131,072 characters: no field of the
    standard is a thirtieth of that) with the line it is on, instead of letting its csv.Error through."""
    try:
        for row in rows:
            if len(row) > max_columns and any(row[max_columns:]):
                raise DomainError(
                    _l("A row has more than %(max)d columns. Delete the columns you do not need.", max=max_columns)
                )
            yield row
    except csv.Error:
        raise DomainError(
            _l(
                "Line %(line)d of the CSV file cannot be read: a field is longer than %(max)d characters, or a "
                "quotation mark is not closed. Correct it and upload the file again.",
                line=rows.line_num,
                max=csv.field_size_limit(),
            )
        ) from None


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
