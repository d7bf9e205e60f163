"""The empty national-template workbook clerks download, fill and import."""

from __future__ import annotations

import io

from openpyxl import Workbook

from disclosure.publicity.fields import EXTRA_COLUMNS, FIELDS, Kind


def template_workbook(kind: Kind, *, codes: bool = False) -> bytes:
    """An empty national-template workbook (header row of Chinese names, or of field codes)."""

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("行政许可" if kind is Kind.LICENSING else "行政处罚")
    headers = [f.code if codes else f.label for f in FIELDS[kind]]
    headers.append("MATTER" if codes else "事项名称")
    for code, label, _attr in EXTRA_COLUMNS.get(kind.value, ()):
        headers.append(code if codes else label)
    ws.append(headers)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
