"""The downloadable template says how to fill each column and offers the code lists as drop-downs, as the
national template does, and a filled template imports (issue 10)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from disclosure.publicity import importer
from disclosure.publicity.fields import BY_CODE, Kind
from tests.factories import penalty_raw, run_import


def _validations(ws) -> dict[str, str]:
    """Column letter -> the list formula of its drop-down."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    return out


@pytest.mark.parametrize("codes", [False, True])
def test_code_list_columns_have_drop_downs_and_every_header_a_note(pub, en, codes):
    wb = load_workbook(io.BytesIO(importer.template_workbook(Kind.PENALTY, codes=codes, matters=["违法处罚"])))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    fields = BY_CODE[Kind.PENALTY]
    assert header[0] == ("CF_XDR_MC" if codes else "行政相对人名称")
    assert ws.max_row == 1  # nothing but the header row above the data
    drop_downs = _validations(ws)
    lists = wb["代码表"]
    assert lists.sheet_state == "hidden"
    for f in fields.values():
        column = ws.cell(row=1, column=header.index(f.code if codes else f.label) + 1).column_letter
        assert ws[f"{column}1"].comment is not None
        if f.code_list:
            values = [c.value for c in lists[column][1:] if c.value]
            assert drop_downs[column] == f"'代码表'!${column}$2:${column}${len(values) + 1}"
        else:
            assert column not in drop_downs
    lb = ws.cell(row=1, column=header.index("CF_XDR_LB" if codes else "行政相对人类别") + 1).column_letter
    assert [c.value for c in lists[lb][1:4]] == ["法人及非法人组织", "自然人", "个体工商户"]
    assert "Required." in ws[f"{lb}1"].comment.text
    matter = ws.cell(row=1, column=header.index("MATTER" if codes else "事项名称") + 1).column_letter
    assert lists[f"{matter}2"].value == "违法处罚"
    assert [r[0].value for r in wb["填写说明"].iter_rows(min_row=2)] == header


def test_a_filled_template_imports(pub, en):
    data = importer.template_workbook(Kind.PENALTY)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    by_label = {f.label: f.code for f in BY_CODE[Kind.PENALTY].values()}
    raw = penalty_raw(pub, SEVERITY="一般", SIMPLIFIED="否")
    ws.append(
        [
            raw.get(by_label.get(h, {"事项名称": "MATTER", "严重程度": "SEVERITY", "简易程序": "SIMPLIFIED"}.get(h)))
            for h in (c.value for c in ws[1])
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    job = run_import(pub, buf.getvalue())
    assert (job.created_count, job.error_count) == (1, 0), job.errors_preview
