"""The empty workbook staff download to fill for an import: the header row the importer looks for, a note on every
header, drop-down lists on a hidden sheet for the columns that take a value from a list, and a sheet explaining how
to fill each column (as the national 双公示 template does). One builder for every import of the project."""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

LISTS_SHEET, NOTES_SHEET = "代码表", "填写说明"
MAX_ROWS = 200_000


def template_workbook(
    title: str,
    columns: Sequence[tuple[str, str]],
    notes: Mapping[str, str],
    lists: Mapping[str, Sequence[str]],
    *,
    wide: Collection[str] = (),
    suggest_only: Collection[str] = (),
    max_rows: int = MAX_ROWS,
) -> bytes:
    """`columns` are (header, key) pairs; `notes[key]` says how to fill a column; `lists[key]` are its allowed
    values (a drop-down that refuses anything else, or only suggests for keys in `suggest_only`); columns in `wide`
    get room for long text."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    values_sheet = wb.create_sheet(LISTS_SHEET)
    notes_sheet = wb.create_sheet(NOTES_SHEET)
    notes_sheet.append([_("Column"), _("How to fill it")])
    ws.append([header for header, _key in columns])
    for i, (header, key) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        note = notes[key]
        ws.cell(row=1, column=i).comment = Comment(f"{header}\n{note}", "disclosure", width=320, height=120)
        ws.column_dimensions[letter].width = 40 if key in wide else 16
        notes_sheet.append([header, note])
        values = lists.get(key)
        if values:
            values_sheet.cell(row=1, column=i, value=header)
            for n, value in enumerate(values, start=2):
                values_sheet.cell(row=n, column=i, value=value)
            source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            check = DataValidation(
                type="list", formula1=source, allow_blank=True, showErrorMessage=key not in suggest_only
            )
            check.error = _("Choose a value from the list.")
            check.prompt = note
            check.add(f"{letter}2:{letter}{max_rows + 1}")
            ws.add_data_validation(check)
    ws.freeze_panes = "A2"
    notes_sheet.column_dimensions["A"].width = 20
    notes_sheet.column_dimensions["B"].width = 100
    values_sheet.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
