"""The annual report as HTML, PDF and XLSX, in the official layout (国办公开办函〔2021〕30号): the six sections in
their order, tables 2–4 with the format's merged cells. One template (`letters/annual_report/body.html`, rendered
by the letters' autoescaping environment) serves the staff page (every figure of a draft links to what it counts),
the public page and the PDF (the letters' renderer: fonts embedded, no file or network access for user text).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from disclosure.core.spreadsheets import safe_cell
from disclosure.correspondence import letter_jinja_env, render_document_pdf
from disclosure.reports.grid import (
    COLUMN_LABELS,
    COLUMNS,
    REMEDY_BLOCKS,
    REMEDY_RESULT_LABELS,
    REMEDY_RESULTS,
    ROW_KEYS,
    ROW_LABELS,
    SECTION_TITLES,
    TABLE2_BLOCKS,
)

Link = Callable[..., str | None]

# The label cells of each row of table 3 as the format merges them: (text, rowspan, colspan).
_GROUPS = {
    "deny_secret": ("（三）不予公开", 8),
    "na_not_held": ("（四）无法提供", 3),
    "np_petition": ("（五）不予处理", 5),
    "oth_no_supplement": ("（六）其他处理", 3),
}


def table3_label_cells(key: str) -> list[tuple[str, int, int]]:
    if key in ("new", "carried_in", "carried_out"):
        return [(ROW_LABELS[key], 1, 3)]
    cells = []
    if key == "granted":
        cells.append(("三、本年度办理结果", 22, 1))
    if key in _GROUPS:
        cells.append((_GROUPS[key][0], _GROUPS[key][1], 1))
    if key in ("granted", "partial", "total"):
        cells.append((ROW_LABELS[key], 1, 2))
    else:
        cells.append((ROW_LABELS[key], 1, 1))
    return cells


def _no_link(*_args) -> None:
    return None


def body_html(content: dict, *, link: Link | None = None, heading_level: int = 2) -> Markup:
    """The report's six sections as an HTML fragment (autoescaped; user text as paragraphs)."""
    template = letter_jinja_env().get_template("annual_report/body.html")
    return Markup(  # noqa: S704 - the template autoescapes every value
        template.render(
            c=content,
            link=link or _no_link,
            sections=SECTION_TITLES,
            table2_blocks=TABLE2_BLOCKS,
            rows=[(k, table3_label_cells(k)) for k in ROW_KEYS],
            columns=COLUMNS,
            column_labels=COLUMN_LABELS,
            remedy_blocks=REMEDY_BLOCKS,
            remedy_results=(*REMEDY_RESULTS, "total"),
            remedy_labels=REMEDY_RESULT_LABELS,
            h=heading_level,
        )
    )


def title(content: dict) -> str:
    return f"{content.get('agency_name', '')}{content['year']}年政府信息公开工作年度报告"


def report_pdf(content: dict, *, link: Link | None = None) -> bytes:
    """The report in the official layout. A draft's PDF for staff passes `link`: each figure then links to the
    cases or records it counts, as on the page; the published PDF links nowhere."""
    html = (
        letter_jinja_env()
        .get_template("annual_report/report.html")
        .render(c=content, title=title(content), body=body_html(content, link=link))
    )
    return render_document_pdf(html, "annual_report")


# --- XLSX --------------------------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class _Sheet:
    def __init__(self, ws):
        self.ws = ws

    def put(self, row: int, col: int, value, rowspan: int = 1, colspan: int = 1, bold: bool = False) -> None:
        cell = self.ws.cell(row=row, column=col, value=safe_cell(value))
        cell.alignment = _CENTER
        if bold:
            cell.font = Font(bold=True)
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                self.ws.cell(row=r, column=c).border = _BORDER
        if rowspan > 1 or colspan > 1:
            self.ws.merge_cells(
                start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1
            )


def report_xlsx(content: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "表二"
    s = _Sheet(ws)
    s.put(1, 1, "二、主动公开政府信息情况", colspan=4, bold=True)
    r = 2
    for header, measures, rows in TABLE2_BLOCKS:
        s.put(r, 1, header, colspan=4, bold=True)
        s.put(r + 1, 1, "信息内容", bold=True)
        if len(measures) == 3:
            for i, m in enumerate(measures):
                s.put(r + 1, 2 + i, m, bold=True)
        else:
            s.put(r + 1, 2, measures[0], colspan=3, bold=True)
        r += 2
        for key, label in rows:
            s.put(r, 1, label)
            cells = content["table2"][key]
            if key in ("regulations", "normative_documents"):
                for i, m in enumerate(("made", "repealed", "valid")):
                    s.put(r, 2 + i, cells[m])
            elif key == "fees":
                s.put(r, 2, cells["amount_10k_yuan"], colspan=3)  # text: the exact decimal, never a float
            else:
                s.put(r, 2, cells["decisions"], colspan=3)
            r += 1
    ws.column_dimensions["A"].width = 24

    ws = wb.create_sheet("表三")
    s = _Sheet(ws)
    s.put(1, 1, "三、收到和处理政府信息公开申请情况", colspan=10, bold=True)
    s.put(2, 1, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3, bold=True)
    s.put(2, 4, "申请人情况", colspan=7, bold=True)
    s.put(3, 4, "自然人", rowspan=2, bold=True)
    s.put(3, 5, "法人或其他组织", colspan=5, bold=True)
    s.put(3, 10, "总计", rowspan=2, bold=True)
    for i, c in enumerate(COLUMNS[1:6]):
        s.put(4, 5 + i, COLUMN_LABELS[c], bold=True)
    r = 5
    for key in ROW_KEYS:
        col = 1
        for text, rowspan, colspan in table3_label_cells(key):
            while ws.cell(row=r, column=col).coordinate in ws.merged_cells:
                col += 1
            s.put(r, col, text, rowspan=rowspan, colspan=colspan)
            col += colspan
        for i, c in enumerate(COLUMNS):
            s.put(r, 4 + i, content["table3"][key][c])
        r += 1
    for letter, width in (("A", 8), ("B", 12), ("C", 40)):
        ws.column_dimensions[letter].width = width

    ws = wb.create_sheet("表四")
    s = _Sheet(ws)
    s.put(1, 1, "四、政府信息公开行政复议、行政诉讼情况", colspan=15, bold=True)
    s.put(2, 1, "行政复议", rowspan=2, colspan=5, bold=True)
    s.put(2, 6, "行政诉讼", colspan=10, bold=True)
    s.put(3, 6, "未经复议直接起诉", colspan=5, bold=True)
    s.put(3, 11, "复议后起诉", colspan=5, bold=True)
    for b, block in enumerate(REMEDY_BLOCKS):
        for i, result in enumerate((*REMEDY_RESULTS, "total")):
            s.put(4, 1 + b * 5 + i, REMEDY_RESULT_LABELS[result], bold=True)
            s.put(5, 1 + b * 5 + i, content["table4"][block][result])

    ws = wb.create_sheet("正文")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    sections = content.get("sections", {})
    for i, (key, heading) in enumerate(SECTION_TITLES, start=1):
        ws.cell(row=i, column=1, value=heading)
        if key in sections:
            ws.cell(row=i, column=2, value=safe_cell(sections[key])).alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
