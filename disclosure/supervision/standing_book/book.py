"""The standing book (政务公开台账, issue 14 §2; 浙江 2016 circular §4(1), proactive-china §1.7): for one agency and
period, an XLSX generated from the live records, never typed — one sheet per area, each with a title row naming the
agency and the period in Chinese, Chinese headers, dates as dates, column widths and a frozen header.

1. 依申请公开: every case of the period (received in it, or carried into it) with its due date, conclusion, whether
   it was answered on time, its outcome in the words the reply letters use, and its reconsiderations and lawsuits;
2. 主动公开: every entry first published (or recorded) in the period with its Art. 26 due date, whether it was
   published on time, its policy interpretation and that interpretation's lag in working days, and its validity;
3. 栏目更新: each catalogue column's update class, last update and status (when the column monitor is installed);
4. 意见征集: the consultations opened in the period with their comment period, comments and feedback;
5. 双公示: the 双公示 dashboard's timeliness figures by month and the records published late or overdue.

The rows come from each package's door (`standing_rows`), which reads its own tables with the conditions its
supervision figures count by, so a row count here equals the dashboard's figure for the same agency and period.
The workbook is written in openpyxl's write-only mode (rows streamed to disk as they come, never held together)
and every text cell goes through `core.spreadsheets.safe_cell`, so no formula reaches the file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from disclosure import applications, catalog, correspondence, participation, publicity
from disclosure.accounts.models import Agency
from disclosure.core.spreadsheets import safe_cell
from disclosure.supervision.periods import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 2000  # rows between two progress calls (the worker commits there)

YES, NO = "是", "否"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of a workbook's 1900 date system, as every date here is after 1900-03-01
ATTRIBUTES = {"proactive": "主动公开", "on_request": "依申请公开", "not_disclosed": "不予公开"}
VALIDITY = {"valid": "有效", "expired": "失效", "repealed": "废止"}
# Table 4's words for a remedy's result (国办公开办函〔2021〕30号), as the request ledger writes them.
REMEDY_RESULTS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}
# A column's status and the site's single-veto checks (国办秘函〔2019〕19号), as the monitor judges them.
COLUMN_STATUS = {
    "ok": "正常",
    "warning": "即将超期",
    "overdue": "超期未更新",
    "blank": "空白栏目",
    "not_applicable": "不适用",
}
COLUMN_FLAGS = {
    "overdue": "单项否决：超期未更新的栏目达到{overdue_columns}个",
    "long_stale": "单项否决：长期未更新的栏目达到{long_stale_columns}个",
    "blank": "单项否决：空白栏目达到{blank_columns}个",
    "quiet": "单项否决：超过{quiet_days}天未更新任何信息",
}
PUBLICITY_KINDS = {"licensing": "行政许可", "penalty": "行政处罚"}
PUBLICITY_TIMELINESS = {"late": "超期公示", "overdue": "逾期未公示"}


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in characters


REQUEST_COLUMNS = (
    Column("申请编号", 22),
    Column("收到日期", 12),
    Column("答复期限", 12),
    Column("答复日期", 12),
    Column("办结日期", 12),
    Column("是否按时", 12),
    Column("处理结果", 30),
    Column("复议/诉讼", 44),
)
ENTRY_COLUMNS = (
    Column("索引号", 26),
    Column("标题", 48),
    Column("栏目", 30),
    Column("公开属性", 11),
    Column("生成日期", 12),
    Column("公开期限", 12),
    Column("发布日期", 12),
    Column("最近发布日期", 12),
    Column("是否按时", 10),
    Column("政策解读", 28),
    Column("解读滞后(工作日)", 10),
    Column("解读是否按时", 12),
    Column("有效性", 8),
)
COLUMN_COLUMNS = (
    Column("栏目", 36),
    Column("更新频率", 10),
    Column("最后更新", 12),
    Column("未更新天数", 10),
    Column("状态", 12),
)
CONSULTATION_COLUMNS = (
    Column("标题", 48),
    Column("征集类型", 16),
    Column("开始日期", 12),
    Column("截止日期", 12),
    Column("意见总数", 9),
    Column("本期收到意见", 9),
    Column("反馈期限", 12),
    Column("反馈发布日期", 12),
    Column("是否按时", 12),
)
PUBLICITY_FIGURE_COLUMNS = (
    Column("决定月份", 14),
    Column("收到", 10),
    Column("按时公示", 10),
    Column("超期公示", 10),
    Column("逾期未公示", 10),
    Column("待公示", 10),
    Column("不公示", 10),
    Column("已撤下", 10),
    Column("按时率(%)", 10),
)
PUBLICITY_RECORD_HEADERS = (
    *("类别", "决定文书号", "行政相对人", "决定日期"),
    *("公示期限", "公示日期", "状态", "超期(工作日)"),
)

SHEETS = {
    "requests": "依申请公开",
    "proactive": "主动公开",
    "columns": "栏目更新",
    "consultations": "意见征集",
    "publicity": "双公示",
}

TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="center")


def sync_rows() -> int:
    """The largest book built during the request (`STANDING_BOOK_SYNC_ROWS`); a larger one goes to the worker."""
    return int(current_app.config.get("STANDING_BOOK_SYNC_ROWS", 20_000))


def max_rows() -> int:
    """The largest book at all (`STANDING_BOOK_MAX_ROWS`): a sheet holds at most 1,048,576 rows."""
    return int(current_app.config.get("STANDING_BOOK_MAX_ROWS", 1_000_000))


def book_name(agency: Agency, period: Period) -> tuple[str, str]:
    """(the download's name, its ASCII fallback): 台账-<agency short name>-<period>.xlsx."""
    ascii_name = f"standing-book-{agency.slug}-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    return f"台账-{agency.short_name}-{period.zh_label}.xlsx", ascii_name


def title(agency: Agency, period: Period, area: str) -> str:
    return f"{agency.full_name}政务公开台账（{period.zh_label}）——{SHEETS[area]}"


# --- The words a row is written in ------------------------------------------------------------------------------


class Words:
    """The Chinese words of the records' keys, looked up once per book (documents are in Chinese whatever the
    reader's language): outcomes as the reply letters name them, case states, remedy kinds, catalogue columns."""

    def __init__(self):
        with force_locale("zh_CN"):
            self.outcomes = {o.value: str(info.label) for o, info in correspondence.OUTCOMES.items()}
            self._states: dict[str, str] = {}
            self._remedies: dict[str, str] = {}
            self._categories: dict[str, str] = {}
            self._state_label = applications.state_label
            self._remedy_kind_label = applications.remedy_kind_label
            self._category_label = catalog.standing_rows.standing_category_label

    def _cached(self, table: dict, key: str, lookup) -> str:
        if key not in table:
            with force_locale("zh_CN"):
                table[key] = str(lookup(key))
        return table[key]

    def state(self, state: str) -> str:
        return self._cached(self._states, state, self._state_label)

    def remedy_kind(self, kind: str) -> str:
        return self._cached(self._remedies, kind, self._remedy_kind_label)

    def category(self, code: str) -> str:
        return self._cached(self._categories, code, self._category_label) if code else ""


# --- Sheets -------------------------------------------------------------------------------------------------------


class DateCell(Cell):
    """A cell handed to the write-only sheet ready made. openpyxl first tries to bind it as a value and words its
    refusal with the cell's repr before taking the cell as it is: a short repr keeps that cheap."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<DateCell>"


class Sheet:
    """A write-only sheet: the title row across the columns, the header row, the frozen panes below it."""

    def __init__(self, wb: Workbook, name: str, heading: str, columns: Iterable[Column]):
        columns = tuple(columns)
        self._dates: dict[int, DateCell] = {}
        self.ws = ws = wb.create_sheet(name)
        for i, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        ws.freeze_panes = "A3"
        ws.merged_cells.add(f"A1:{get_column_letter(len(columns))}1")
        self.plain_row([self.cell(heading, TITLE_FONT)])
        self.header([c.header for c in columns])

    def cell(self, value, font=None, fill=None, alignment=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=safe_cell(value))
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def header(self, texts: Iterable[str]) -> None:
        self.ws.append([self.cell(t, HEADER_FONT, HEADER_FILL, WRAP) for t in texts])

    def plain_row(self, values: list) -> None:
        self.ws.append(values)

    def row(self, values: Iterable) -> None:
        """A data row: text neutralised (no formula), dates as dates, numbers as numbers; an empty value writes no
        cell at all."""
        self.ws.append(
            [
                None
                if v is None or v == ""
                else safe_cell(v)
                if type(v) is str
                else self._date(i, v)
                if type(v) is dt.date
                else v
                for i, v in enumerate(values)
            ]
        )

    def _date(self, column: int, day: dt.date) -> DateCell:
        """A date cell as a workbook stores one — the day's serial number under a date format — from one cell per
        column styled once, reused row after row (the writer writes a row's cells when the row is appended, before
        the next row sets them again): openpyxl would otherwise build, style and convert a new cell for every
        date, the most costly cells of a 100,000-row book."""
        cell = self._dates.get(column)
        if cell is None:
            cell = self._dates[column] = DateCell(self.ws, value=day)  # binds the date format once
        cell._value, cell.data_type = (day - EXCEL_EPOCH).days, "n"
        return cell


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else (YES if flag else NO)


def _remedies(remedies, words: Words) -> str:
    return "；".join(
        f"{words.remedy_kind(r.kind)}（{r.filed_date.isoformat()}申请）：{REMEDY_RESULTS.get(r.result, r.result)}"
        for r in remedies
    )


def request_row(r, words: Words) -> list:
    if r.on_time is not None:
        timely = _yes_no(r.on_time)
    elif r.overdue_now:
        timely = "逾期未办结"
    else:
        timely = ""
    # An open case may carry the outcome its draft reply would have: only a concluded case has a result.
    result = words.outcomes.get(r.outcome) if r.outcome and r.concluded_on is not None else None
    return [
        r.reference or "",
        r.received_date,
        r.due_date,
        r.issued_date,
        r.concluded_on,
        timely,
        result or words.state(r.state),
        _remedies(r.remedies, words),
    ]


def entry_row(e, words: Words) -> list:
    column = "政策解读" if e.entry_type == "interpretation" else words.category(e.category)
    interpretation = "、".join(n for n in e.interpretations if n)
    if e.interpretations and not interpretation:
        interpretation = "已发布"
    if e.entry_type == "interpretation" and interpretation:
        interpretation = f"解读：{interpretation}"
    if e.interpretation_on_time is not None:
        interpretation_timely = _yes_no(e.interpretation_on_time)
    elif e.interpretation_missing:
        interpretation = interpretation_timely = "逾期未解读"
    else:
        interpretation_timely = ""
    return [
        e.index_number or "",
        e.title,
        column,
        ATTRIBUTES.get(e.attribute, e.attribute),
        e.made_on,
        e.due_on,
        e.first_published_on,
        e.published_on,
        _yes_no(e.on_time),
        interpretation,
        e.interpretation_lag,
        interpretation_timely,
        VALIDITY.get(e.validity, e.validity) if e.entry_type == "document" else "",
    ]


def consultation_row(c) -> list:
    if c.on_time is not None:
        timely = _yes_no(c.on_time)
    elif c.overdue_now:
        timely = "逾期未反馈"
    else:
        timely = ""
    return [
        c.title,
        c.kind_name,
        c.opened_on,
        c.closes_on,
        c.comments,
        c.comments_in_period,
        c.feedback_due,
        c.feedback_on,
        timely,
    ]


def publicity_row(p) -> list:
    return [
        PUBLICITY_KINDS.get(p.kind, p.kind),
        p.decision_no,
        p.counterpart_name,
        p.decision_date,
        p.due_date,
        p.published_on,
        PUBLICITY_TIMELINESS.get(p.timeliness, p.timeliness),
        p.working_days_late,
    ]


def figure_row(key: str, r) -> list:
    return [key, r.received, r.on_time, r.late, r.overdue, r.waiting, r.withheld, r.withdrawn, r.on_time_rate]


# --- The book --------------------------------------------------------------------------------------------------


def _column_monitor():
    """The column monitor (the `columns` part of this package), or None where it is not installed."""
    try:
        from disclosure.supervision.columns import monitor  # noqa: PLC0415 - a sibling part, optional
    except ImportError:  # pragma: no cover - the part is wired in every build
        return None
    return monitor if hasattr(monitor, "for_agency") else None


def column_day(period: Period, today: dt.date) -> dt.date:
    """The day the columns are judged on: the period's last day, or today while the period runs."""
    return min(period.end, today)


def column_rows(agency: Agency, day: dt.date) -> tuple[list[list], list[str]] | None:
    """The agency's columns on `day` as rows (those that apply to it), and the single-veto checks its site fails
    (国办秘函〔2019〕19号), in Chinese; None without the column monitor."""
    monitor = _column_monitor()
    if monitor is None:
        return None
    from disclosure.supervision.columns import rules  # noqa: PLC0415 - with the monitor

    state = monitor.for_agency(agency.id, day)
    if state is None:
        return [], []
    words = Words()
    rows = []
    for c in state.columns:
        if not c.applies:
            continue
        info = rules.UPDATE_CLASSES[c.rule.update_class]
        gap = c.rule.gap_days
        frequency = f"{info.zh}（{gap}天）" if gap is not None and gap != info.gap_days else info.zh
        status = COLUMN_STATUS.get(str(c.status), str(c.status))
        if c.long_stale:
            status += "（长期未更新）"
        rows.append([words.category(c.category), frequency, c.last_on, c.days_since, status])
    limits = state.limits
    flags = [COLUMN_FLAGS[str(f)].format(**{k.value: v for k, v in limits.items()}) for f in state.flags]
    return rows, flags


def count_rows(agency: Agency, period: Period, *, today: dt.date) -> int:
    """The data rows the book will hold (the progress bar's total, and what decides request or worker)."""
    a, start, end = agency.id, period.start, period.end
    columns = column_rows(agency, column_day(period, today))
    n = len(columns[0]) if columns is not None else 0
    n += (
        applications.standing_rows.standing_request_count(a, start, end)
        + catalog.standing_rows.standing_entry_count(a, start, end)
        + participation.standing_rows.standing_consultation_count(a, start, end)
        + publicity.standing_rows.standing_publicity_count(a, start, end)
    )
    return n


def write_book(
    agency: Agency,
    period: Period,
    target: BinaryIO,
    *,
    today: dt.date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the book to `target`; the number of data rows. `progress(n)` is called every PROGRESS_EVERY rows."""
    wb = Workbook(write_only=True)
    words = Words()
    a, start, end = agency.id, period.start, period.end
    written = 0

    def tick() -> None:
        nonlocal written
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)

    sheet = Sheet(wb, SHEETS["requests"], title(agency, period, "requests"), REQUEST_COLUMNS)
    for r in applications.standing_rows.standing_requests(a, start, end, today=today):
        sheet.row(request_row(r, words))
        tick()

    sheet = Sheet(wb, SHEETS["proactive"], title(agency, period, "proactive"), ENTRY_COLUMNS)
    for e in catalog.standing_rows.standing_entries(a, start, end, today=today):
        sheet.row(entry_row(e, words))
        tick()

    day = column_day(period, today)
    columns = column_rows(agency, day)
    if columns is not None:
        heading = f"{title(agency, period, 'columns')}（{day.year}年{day.month}月{day.day}日状态）"
        sheet = Sheet(wb, SHEETS["columns"], heading, COLUMN_COLUMNS)
        rows, flags = columns
        for values in rows:
            sheet.row(values)
            tick()
        if flags:
            sheet.plain_row([])
            for flag in flags:
                sheet.plain_row([sheet.cell(flag, HEADER_FONT)])

    sheet = Sheet(wb, SHEETS["consultations"], title(agency, period, "consultations"), CONSULTATION_COLUMNS)
    for c in participation.standing_rows.standing_consultations(a, start, end, today=today):
        sheet.row(consultation_row(c))
        tick()

    sheet = Sheet(wb, SHEETS["publicity"], title(agency, period, "publicity"), PUBLICITY_FIGURE_COLUMNS)
    months, total = publicity.standing_rows.standing_publicity_figures(a, start, end)
    for r in months:
        sheet.row(figure_row(r.key, r))
    sheet.row(figure_row("合计", total))
    sheet.plain_row([])
    sheet.plain_row([sheet.cell("超期公示及逾期未公示记录", HEADER_FONT)])
    sheet.header(PUBLICITY_RECORD_HEADERS)
    for p in publicity.standing_rows.standing_publicity_records(a, start, end, today=today):
        sheet.row(publicity_row(p))
        tick()

    wb.save(target)
    return written


def build_book(agency: Agency, period: Period, *, today: dt.date) -> bytes:
    """The book's bytes, for a book small enough for the request."""
    buf = io.BytesIO()
    write_book(agency, period, buf, today=today)
    return buf.getvalue()
