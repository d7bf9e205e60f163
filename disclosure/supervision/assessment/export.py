"""The results of an assessment as XLSX, in Chinese (a generated document, whatever the interface language): the
results table (rank, agency, total, each indicator's points, adjustments), the indicators, and each score with the
figure it came from. Every text cell goes through `core.spreadsheets.safe_cell`, so no formula reaches the file."""

from __future__ import annotations

import io
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from disclosure.core.spreadsheets import safe_cell
from disclosure.supervision.assessment import indicators as indicator_rules
from disclosure.supervision.assessment.models import Assessment
from disclosure.supervision.assessment.operations import ranked
from disclosure.supervision.assessment.scoring import DEDUCT, FLAG, RATE, Indicator

STATE_ZH = {"draft": "草稿", "finalised": "已定稿", "published": "已公布", "withdrawn": "已撤回", "discarded": "已作废"}
NO_DATA_ZH = {"full": "计满分", "exclude": "不计入，权重分配给其他指标"}


def points(value: Decimal | None) -> float | None:
    """Points as a number the spreadsheet can sum (two decimals at most, exact in a double)."""
    return None if value is None else float(value)


def rule_zh(ind: Indicator) -> str:
    """The scoring rule in the words of a Chinese scoring scheme."""
    if ind.rule == RATE:
        target, floor = format(ind.target.normalize(), "f"), format(ind.floor.normalize(), "f")
        if ind.lower_is_better:
            return f"比率不高于{target}%得满分，不低于{floor}%不得分，其间按比例计分"
        return f"比率不低于{target}%得满分，不高于{floor}%不得分，其间按比例计分"
    if ind.rule == DEDUCT:
        return f"每项扣{format(ind.per_item.normalize(), 'f')}分，扣完为止"
    if ind.rule == FLAG:
        return "单项否决：出现即不得分"
    return ind.rule


def figure_zh(score, ind: Indicator) -> str:
    if score.count is not None:
        return str(score.count)
    if not score.denominator:
        return f"{score.numerator or 0}/0（无数据）"
    return f"{score.numerator}/{score.denominator}（{score.percent}%）"


def _put(ws, row: int, values: list, bold: bool = False) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=safe_cell(value))
        if bold:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def results_xlsx(assessment: Assessment) -> bytes:
    inds = [Indicator.from_json(i) for i in assessment.indicators]
    wb = Workbook()
    ws = wb.active
    ws.title = "考核结果"
    width = 4 + len(inds)
    ws.cell(row=1, column=1, value=safe_cell(assessment.title)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _put(
        ws,
        2,
        [
            f"考核单位：{assessment.agency.full_name}；考核期间：{assessment.period.zh_label}；"
            f"状态：{STATE_ZH.get(assessment.state, assessment.state)}"
            + (f"；数据截至{assessment.computed_on:%Y年%m月%d日}" if assessment.computed_on else "")
        ],
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    headers = [
        "名次",
        "单位",
        "总分",
        *(f"{i.name}（{format(i.weight.normalize(), 'f')}分）" for i in inds),
        "调整说明",
    ]
    _put(ws, 3, headers, bold=True)
    r = 4
    for entry in ranked(assessment):
        by_position = {s.position: s for s in entry.scores}
        cells = [entry.rank, entry.agency_name, points(entry.total)]
        notes = []
        for position, ind in enumerate(inds):
            s = by_position.get(position)
            if s is None or s.excluded:
                cells.append("不计入")
                continue
            cells.append(points(s.final_points))
            if s.adjusted:
                notes.append(f"{ind.name}：由{s.points}分调整为{s.adjusted_points}分，理由：{s.adjust_reason}")
        cells.append("；".join(notes))
        _put(ws, r, cells)
        r += 1
    ws.freeze_panes = "C4"
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 10

    ws = wb.create_sheet("考核指标")
    _put(ws, 1, ["序号", "指标", "分值", "数据项", "计分规则", "无数据时"], bold=True)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for n, ind in enumerate(inds, start=1):
            _put(
                ws,
                n + 1,
                [
                    n,
                    ind.name,
                    points(ind.weight),
                    indicator_rules.figure_label(ind.figure),
                    rule_zh(ind),
                    NO_DATA_ZH.get(ind.no_data, ind.no_data),
                ],
            )
    for letter, w in (("B", 30), ("D", 36), ("E", 48), ("F", 28)):
        ws.column_dimensions[letter].width = w

    ws = wb.create_sheet("得分明细")
    _put(ws, 1, ["单位", "指标", "数据", "满分", "计算得分", "调整后得分", "调整理由"], bold=True)
    r = 2
    for entry in ranked(assessment):
        for s in entry.scores:
            ind = inds[s.position]
            _put(
                ws,
                r,
                [
                    entry.agency_name,
                    ind.name,
                    figure_zh(s, ind),
                    points(s.max_points),
                    "不计入" if s.excluded else points(s.points),
                    points(s.adjusted_points),
                    s.adjust_reason,
                ],
            )
            r += 1
    for letter, w in (("A", 30), ("B", 30), ("C", 20), ("G", 40)):
        ws.column_dimensions[letter].width = w
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
