"""The import's report and the error file: the refused rows in the file's own columns, with their reasons, ready to
fix and import again."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from disclosure.core.spreadsheets import safe_cell
from disclosure.core.storage import store
from disclosure.extensions import db
from disclosure.publicity.fields import Kind
from disclosure.publicity.importer.reading import ERROR_COLUMN, IGNORED_HEADERS, ROW_COLUMN, HeaderMap
from disclosure.publicity.models import ImportJob
from disclosure.publicity.validation import (
    field_label,
)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, field code, reason)
    invalid_rows: list[tuple[int, list, str]] = field(default_factory=list)  # for the error file
    processed: int = 0


def write_error_file(job: ImportJob, kind: Kind, header: HeaderMap, report: ImportReport):
    """An XLSX the clerk can fix and import again: sheet 1 holds the refused rows in the file's own columns with
    their reasons (the extra columns are ignored on import), sheet 2 lists every error as (row, field, reason)."""

    wb = Workbook(write_only=True)
    rows_sheet = wb.create_sheet("待修正数据")
    # The file's own header row, in its own language (Chinese names or field codes), without the row-number and
    # reason columns of an earlier error file: they are written anew at the end.
    keep = [i for i, text in enumerate(header.texts) if text not in IGNORED_HEADERS]
    rows_sheet.append([safe_cell(header.texts[i]) for i in keep] + [ROW_COLUMN, ERROR_COLUMN])
    for row_no, row, reasons in report.invalid_rows:
        width = len(row)
        rows_sheet.append([*(safe_cell(row[i]) if i < width else None for i in keep), row_no, safe_cell(reasons)])
    list_sheet = wb.create_sheet("错误清单")
    list_sheet.append(["行号", "字段代码", "字段名称", "错误原因"])
    for row_no, code, message in report.errors:
        list_sheet.append([row_no, code, field_label(kind, code) if code else "", safe_cell(message)])
    buf = io.BytesIO()
    wb.save(buf)
    stored = store(
        buf.getvalue(),
        original_name=f"import-{job.id}-errors.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        agency_id=job.agency_id,
        uploaded_by_id=job.created_by_id,
    )
    db.session.flush()
    return stored
