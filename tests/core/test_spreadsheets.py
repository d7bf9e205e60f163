"""core.spreadsheets: the one reader of uploaded spreadsheets (each import with its own limits) and the one cell
writer that never lets a formula through (issue 10, issue 11)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from disclosure.core import spreadsheets
from disclosure.core.errors import DomainError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 123", "'+86 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r\n -1", "'\r\n -1"),
        ("-", "-"),  # a lone sign is no formula
        ("普通文本", "普通文本"),
        ("a\x00b\x07c", "abc"),  # control characters a worksheet cannot hold
    ],
)
def test_neutralise(value, expected):
    assert spreadsheets.neutralise(value) == expected


def test_safe_cell_keeps_dates_and_numbers():
    day = dt.date(2026, 3, 1)
    assert spreadsheets.safe_cell(day) is day
    assert spreadsheets.safe_cell(12) == 12
    assert spreadsheets.safe_cell(dt.time(9, 30)) == "09:30:00"
    assert spreadsheets.safe_cell("=A1") == "'=A1"


def test_cell_text():
    assert spreadsheets.cell_text(None) == ""
    assert spreadsheets.cell_text(dt.date(2026, 3, 1)) == "2026-03-01"
    assert spreadsheets.cell_text(Decimal("10.500")) == "10.5"
    assert spreadsheets.cell_text("=1+1") == "'=1+1"


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_each_import_has_its_own_limits(app_ctx, app):
    data = _xlsx([["a", "b"], [1, 2]])
    app.config["CATALOG_IMPORT_MAX_BYTES"] = 100
    try:
        with pytest.raises(DomainError):
            spreadsheets.inspect_upload(data, spreadsheets.limits("CATALOG_IMPORT"))
        # another import's limits are not touched
        assert spreadsheets.inspect_upload(data, spreadsheets.limits("PUBLICITY_IMPORT")) == spreadsheets.XLSX
    finally:
        del app.config["CATALOG_IMPORT_MAX_BYTES"]
    assert spreadsheets.limits("CATALOG_IMPORT") == spreadsheets.DEFAULT_LIMITS


def test_reads_xlsx_and_csv(app_ctx):
    lim = spreadsheets.limits("TEST_IMPORT")
    total, rows = spreadsheets.read_rows(_xlsx([["标题", "日期"], ["通知", "2026-01-02"]]), spreadsheets.XLSX, lim)
    assert total >= 1 and [list(r) for r in rows] == [["标题", "日期"], ["通知", "2026-01-02"]]
    csv_data = "标题,日期\n通知,2026-01-02\n".encode("gb18030")
    assert spreadsheets.inspect_upload(csv_data, lim) == spreadsheets.CSV
    _n, rows = spreadsheets.read_rows(csv_data, spreadsheets.CSV, lim)
    assert list(rows) == [["标题", "日期"], ["通知", "2026-01-02"]]


def test_a_sheet_beyond_the_cell_limit_is_refused_unread(app_ctx, app):
    app.config["TEST_IMPORT_MAX_CELLS"] = 10
    try:
        with pytest.raises(DomainError):
            spreadsheets.inspect_upload(_xlsx([[1, 2, 3, 4]] * 5), spreadsheets.limits("TEST_IMPORT"))
    finally:
        del app.config["TEST_IMPORT_MAX_CELLS"]
