"""Bulk import of national-template XLSX and CSV files (rules-china §5.2) and the error report.

By step: `inspection` (is the upload a spreadsheet we may read: size, kind, zip bombs, sheet extent), `reading`
(rows and the header row), `writing` (validating and writing in chunks), `report` (the report and the error file),
`template` (the empty template) and `starting` (the operation that stores an upload and starts its job). The
names below are the package's door.
"""

from disclosure.core.spreadsheets import (
    CSV,
    HEADER_ROWS,
    MAX_CELLS,
    MAX_COLUMNS,
    XLSX,
    SheetExtent,
    column_letters,
    column_number,
    decode_csv,
)
from disclosure.publicity.importer.inspection import inspect_upload, limits
from disclosure.publicity.importer.reading import (
    ERROR_COLUMN,
    IGNORED_HEADERS,
    MATTER_HEADERS,
    ROW_COLUMN,
    HeaderMap,
    find_header,
    read_rows,
)
from disclosure.publicity.importer.report import ImportReport, write_error_file
from disclosure.publicity.importer.template import template_workbook
from disclosure.publicity.importer.writing import CHUNK, PREVIEW_ERRORS, import_file, insert_records

__all__ = [
    "CHUNK",
    "CSV",
    "ERROR_COLUMN",
    "HEADER_ROWS",
    "IGNORED_HEADERS",
    "MATTER_HEADERS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "PREVIEW_ERRORS",
    "ROW_COLUMN",
    "XLSX",
    "HeaderMap",
    "ImportReport",
    "SheetExtent",
    "column_letters",
    "column_number",
    "decode_csv",
    "find_header",
    "import_file",
    "insert_records",
    "inspect_upload",
    "limits",
    "read_rows",
    "template_workbook",
    "write_error_file",
]
