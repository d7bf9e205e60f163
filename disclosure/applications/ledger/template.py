"""The empty ledger workbook staff download and fill: the Chinese header row the importer looks for, a note on
each column, drop-down lists for the columns with fixed words (kept on a hidden sheet) and a sheet 填写说明."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from disclosure.applications.ledger.columns import COLUMNS, LISTS

LISTS_SHEET, NOTES_SHEET = "代码表", "填写说明"
MAX_ROWS = 200_000


def _notes() -> dict[str, str]:
    return {
        "ref": _("Required: the office's own number of the request, unique in your agency (at most 40 characters)."),
        "received": _("Required: the date the request was received (Art. 31), YYYY-MM-DD."),
        "category": _("Required: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构 or 其他."),
        "name": _("Required: the applicant's name (a person or an organisation)."),
        "content": _("Required: the information requested."),
        "replied": _(
            "The date of the reply, YYYY-MM-DD; empty while the request is still open (it is then handled here)."
        ),
        "outcome": _(
            "Required with a reply date: the row of table 3 of the annual report as it prints it after its number "
            "(予以公开, 部分公开, 属于国家秘密, 本机关不掌握相关政府信息, 重复申请, … 其他)."
        ),
        "recon_result": _("结果维持, 结果纠正, 其他结果 or 尚未审结; empty when no reconsideration was applied for."),
        "recon_date": _("Required with a reconsideration: the date it was applied for, YYYY-MM-DD."),
        "lit_kind": _("未经复议直接起诉 or 复议后起诉; empty when no lawsuit was filed."),
        "lit_result": _("Required with a lawsuit: 结果维持, 结果纠正, 其他结果 or 尚未审结."),
        "lit_date": _("Required with a lawsuit: the date it was filed, YYYY-MM-DD."),
    }


def template_workbook() -> bytes:
    notes_by_key = _notes()
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    values_sheet = wb.create_sheet(LISTS_SHEET)
    notes = wb.create_sheet(NOTES_SHEET)
    notes.append([_("Column"), _("How to fill it")])
    ws.append([header for header, _key, _required in COLUMNS])
    for i, (header, key, _required) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        note = notes_by_key[key]
        ws.cell(row=1, column=i).comment = Comment(f"{header}\n{note}", "disclosure", width=320, height=120)
        ws.column_dimensions[letter].width = 40 if key in ("content", "outcome") else 16
        notes.append([header, note])
        values = LISTS.get(key)
        if values:
            values_sheet.cell(row=1, column=i, value=header)
            for n, value in enumerate(values, start=2):
                values_sheet.cell(row=n, column=i, value=value)
            source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            # The outcome may also be typed as the row key or the full label: the list suggests without refusing.
            check = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=key != "outcome")
            check.error = _("Choose a value from the list.")
            check.prompt = note
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(check)
    ws.freeze_panes = "A2"
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 100
    values_sheet.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
