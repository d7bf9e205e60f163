"""The empty national-template workbook clerks download, fill and import (rules-china §5.2, §5.3).

As the national template does, it says how to fill each column: the header row (Chinese names or field codes, the
row the importer looks for) carries a note on each cell — the field's name, whether it is required, its format or
code list — and every column with a code list offers its values in a drop-down list (from the administrators'
code lists, kept on a hidden sheet, 代码表). A sheet 填写说明 lists the same notes. The first sheet stays the one
the importer reads, with nothing but the header row above the data.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from disclosure.publicity.fields import EXTRA_COLUMNS, FIELDS, NAMES, Field, FieldType, Kind
from disclosure.publicity.importer.inspection import limits
from disclosure.publicity.rules import Rules, load_rules

CODES_SHEET, NOTES_SHEET = "代码表", "填写说明"
# The system's own columns: their code list (or fixed answers) and whether they may hold several values.
EXTRA_LISTS = {"SEVERITY": "severity", "SIMPLIFIED": None}
YES_NO = ["是", "否"]


def template_workbook(kind: Kind, *, codes: bool = False, rules: Rules | None = None, matters=()) -> bytes:
    """An empty template: the header row of Chinese names (or of field codes), a note per column and drop-down
    lists for the code-list columns (and for the matter, from `matters`, the names of the agency's catalogue)."""
    rules = rules or load_rules()
    required = rules.required(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = "行政许可" if kind is Kind.LICENSING else "行政处罚"
    lists = wb.create_sheet(CODES_SHEET)
    notes = wb.create_sheet(NOTES_SHEET)
    notes.append([_("Column"), _("Field"), _("How to fill it")])
    last_row = limits()["max_rows"] + 1
    columns: list[tuple[str, str, str, list[str] | None, bool]] = []  # (code, label, rule, drop-down values, several)
    for f in FIELDS[kind]:
        values = _code_values(rules, f.code_list) if f.type is FieldType.CODE else None
        several = f.attr == "penalty_categories"
        columns.append((f.code, f.label, _rule(f, f.code in required, several), values, several))
    columns.append(("MATTER", "事项名称", _("Required: the name or code of a matter of your catalogue."), None, False))
    if matters:
        code, label, rule, _v, several = columns[-1]
        columns[-1] = (code, label, rule, list(matters), several)
    for code, label, _attr in EXTRA_COLUMNS.get(kind.value, ()):
        if code == "SIMPLIFIED":
            columns.append(
                (code, label, _("Decided by the simplified procedure: 是 or 否 (empty: 否)."), YES_NO, False)
            )
        else:
            values = _code_values(rules, EXTRA_LISTS[code])
            columns.append((code, label, _("Optional: 轻微, 一般 or 严重 (empty: from the penalty)."), values, False))
    ws.append([code if codes else label for code, label, _r, _v, _s in columns])
    for i, (code, label, rule, values, several) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        name = str(NAMES.get(label, label))
        header = ws.cell(row=1, column=i)
        header.comment = Comment(f"{name} ({code})\n{rule}", "disclosure", width=320, height=120)
        ws.column_dimensions[letter].width = max(12, min(40, len(header.value) * 2 + 2))
        notes.append([header.value, name, rule])
        if values:
            lists.cell(row=1, column=i, value=code)
            for n, value in enumerate(values, start=2):
                lists.cell(row=n, column=i, value=value)
            source = f"{quote_sheetname(CODES_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            # Several values (处罚类别 "警告;罚款") are typed with ';': the list then suggests without refusing.
            check = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=not several)
            check.error = _("Choose a value from the list.")
            check.prompt = rule
            check.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(check)
    ws.freeze_panes = "A2"
    notes.column_dimensions["A"].width = notes.column_dimensions["B"].width = 36
    notes.column_dimensions["C"].width = 80
    lists.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _code_values(rules: Rules, list_name: str | None) -> list[str] | None:
    """The labels of an active code list, as people type them (the importer takes a value or its label)."""
    codes = rules.codes.get(list_name or "")
    return list(dict.fromkeys(codes.labels.values())) if codes else None


def _rule(f: Field, required: bool, several: bool) -> str:
    parts = [_("Required.") if required else _("Optional.")]
    if f.type is FieldType.DATE:
        parts.append(_("A date: YYYY-MM-DD (2099-12-31 for long-term)."))
    elif f.type is FieldType.AMOUNT:
        parts.append(_("An amount in 万元 (10,000 yuan), at most six decimals: a fine of 2,000 yuan is 0.2."))
    elif f.type is FieldType.CODE:
        parts.append(
            _("Several values from the list, separated by ;.") if several else _("A value from the drop-down list.")
        )
    else:
        parts.append(_("Text of at most %(n)d characters.", n=f.max_length))
    return " ".join(parts)
