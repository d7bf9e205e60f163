"""The import's error file: the refused rows in the file's own columns with their reasons (fix them there and
import the sheet again: the two extra columns are ignored), and the list of every error by row and column."""

from __future__ import annotations

import io

from openpyxl import Workbook

from disclosure.catalog.importer.columns import ERROR_COLUMN, IGNORED, ROW_COLUMN
from disclosure.catalog.models import CatalogImport
from disclosure.core.spreadsheets import safe_cell
from disclosure.core.storage import StoredFile, store
from disclosure.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_error_file(job: CatalogImport, header: list[str], report) -> StoredFile:
    wb = Workbook(write_only=True)
    rows = wb.create_sheet("待修正数据")
    keep = [i for i, text in enumerate(header) if text not in IGNORED]
    rows.append([safe_cell(header[i]) for i in keep] + [ROW_COLUMN, ERROR_COLUMN])
    for row_no, raw, reasons in report.invalid_rows:
        width = len(raw)
        rows.append([*(safe_cell(raw[i]) if i < width else None for i in keep), row_no, safe_cell(reasons)])
    listing = wb.create_sheet("错误清单")
    listing.append(["行号", "列", "错误原因"])
    for row_no, column, message in report.errors:
        listing.append([row_no, column, safe_cell(message)])
    buf = io.BytesIO()
    wb.save(buf)
    stored = store(
        buf.getvalue(),
        original_name=f"catalog-import-{job.id}-errors.xlsx",
        content_type=XLSX,
        agency_id=job.agency_id,
        uploaded_by_id=job.created_by_id,
    )
    db.session.flush()
    return stored
