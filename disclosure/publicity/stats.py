"""Supervision figures: received, published on time / late / overdue, on-time rate, completeness of optional
fields, by agency, department, county and month; and the statistics tables the notices ask agencies to report,
as XLSX (rules-china §5.1)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlalchemy import case, func, select

from disclosure.accounts.models import Agency, Department
from disclosure.extensions import db
from disclosure.publicity.fields import BY_CODE, Kind
from disclosure.publicity.models import PublicityRecord, RecordStatus, Timeliness
from disclosure.publicity.rules import load_rules


@dataclass
class Row:
    key: str
    received: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    waiting: int = 0
    withheld: int = 0
    withdrawn: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """On time among those whose deadline has a result (published, or overdue)."""
        judged = self.on_time + self.late + self.overdue
        return None if judged == 0 else round(100.0 * self.on_time / judged, 1)


@dataclass
class Dashboard:
    total: Row
    by_group: list[Row] = field(default_factory=list)
    completeness: list[tuple[str, str, float | None]] = field(default_factory=list)


def _counts():
    t = PublicityRecord.timeliness
    return (
        func.count(PublicityRecord.id),
        func.sum(case((t == Timeliness.ON_TIME, 1), else_=0)),
        func.sum(case((t == Timeliness.LATE, 1), else_=0)),
        func.sum(case((t == Timeliness.OVERDUE, 1), else_=0)),
        func.sum(case((t == Timeliness.WAITING, 1), else_=0)),
        func.sum(case((PublicityRecord.status == RecordStatus.WITHHELD, 1), else_=0)),
        func.sum(case((PublicityRecord.status == RecordStatus.WITHDRAWN, 1), else_=0)),
    )


def _filters(agency_ids, kind, date_from, date_to):
    conds = []
    if agency_ids is not None:
        conds.append(PublicityRecord.agency_id.in_(agency_ids))
    if kind:
        conds.append(PublicityRecord.kind == kind)
    if date_from:
        conds.append(PublicityRecord.decision_date >= date_from)
    if date_to:
        conds.append(PublicityRecord.decision_date <= date_to)
    return conds


def group_expression(by: str):
    if by == "department":
        return func.coalesce(Department.name, "—"), [(Department, Department.id == PublicityRecord.department_id)]
    if by == "county":
        return Agency.division_code, [(Agency, Agency.id == PublicityRecord.agency_id)]
    if by == "agency":
        return Agency.short_name, [(Agency, Agency.id == PublicityRecord.agency_id)]
    # month of the decision: YYYY-MM on both engines
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(PublicityRecord.decision_date, "YYYY-MM"), []
    return func.strftime("%Y-%m", PublicityRecord.decision_date), []


def dashboard(
    *, agency_ids: list[int] | None, by: str = "month", kind: str | None = None, date_from=None, date_to=None
) -> Dashboard:
    conds = _filters(agency_ids, kind, date_from, date_to)
    total = Row("total", *[int(v or 0) for v in db.session.execute(select(*_counts()).where(*conds)).one()])
    key, joins = group_expression(by)
    stmt = select(key, *_counts()).select_from(PublicityRecord)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    rows = [
        Row(str(k), *[int(v or 0) for v in vals])
        for k, *vals in db.session.execute(stmt.where(*conds).group_by(key).order_by(key))
    ]
    return Dashboard(total, rows, completeness(conds, kind))


def completeness(conds, kind: str | None) -> list[tuple[str, str, float | None]]:
    """Share of records that fill each optional field the settings name (completeness of optional fields)."""
    rules = load_rules()
    out = []
    kinds = [Kind(kind)] if kind else list(Kind)
    for k in kinds:
        prefix = "XK" if k is Kind.LICENSING else "CF"
        fields = []
        for suffix in rules.setting("completeness_fields") or []:
            f = BY_CODE[k].get(f"{prefix}_{suffix}") or BY_CODE[k].get(suffix)
            if f is not None:
                fields.append(f)
        if not fields:
            continue
        col = [func.sum(case((getattr(PublicityRecord, f.attr).is_not(None), 1), else_=0)) for f in fields]
        n, *filled = db.session.execute(
            select(func.count(PublicityRecord.id), *col).where(*conds, PublicityRecord.kind == k.value)
        ).one()
        for f, c in zip(fields, filled, strict=True):
            out.append((f.code, str(f.name), None if not n else round(100.0 * int(c or 0) / n, 1)))
    return out


TABLE_HEADERS = ["分组", "收到", "按时公示", "超期公示", "逾期未公示", "待公示", "不公示", "已撤下", "按时率(%)"]


def statistics_workbook(*, agency_ids: list[int] | None, kind: str | None, date_from=None, date_to=None) -> bytes:
    """The reporting tables per county and per department (and per month), one sheet each."""

    wb = Workbook(write_only=True)
    for by, title in (("county", "按区县"), ("department", "按部门"), ("agency", "按机关"), ("month", "按月份")):
        board = dashboard(agency_ids=agency_ids, by=by, kind=kind, date_from=date_from, date_to=date_to)
        ws = wb.create_sheet(title)
        ws.append(TABLE_HEADERS)
        for r in [*board.by_group, board.total]:
            ws.append(
                [
                    r.key if r.key != "total" else "合计",
                    r.received,
                    r.on_time,
                    r.late,
                    r.overdue,
                    r.waiting,
                    r.withheld,
                    r.withdrawn,
                    r.on_time_rate,
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
