"""Exports in the national layout with the field codes (rules-china §5.2): for the credit platform (full values,
staff only) and for the public (published records only, masked as §5.5 says). "Changed since the last export"
starts exactly where the previous export of the same scope ended.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from sqlalchemy import select

from disclosure.core import audit
from disclosure.core.storage import store
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from disclosure.publicity.fields import FIELDS, Kind
from disclosure.publicity.masking import public_value
from disclosure.publicity.models import ExportRun, PublicityRecord, RecordStatus

STATUS_COLUMNS = ("GSZT", "CXYY")  # publicity state and withdrawal/repair reason, after the standard's columns
STATUS_LABELS = {
    RecordStatus.PENDING: "待公示",
    RecordStatus.PUBLISHED: "公示中",
    RecordStatus.WITHHELD: "不公示",
    RecordStatus.WITHDRAWN: "已撤下",
    RecordStatus.EXPIRED: "公示期满",
    RecordStatus.REPAIRED: "已信用修复",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rows_for(records, kind: Kind, *, public: bool):
    fields = [f for f in FIELDS[kind] if f.public or not public]
    yield [f.code for f in fields] + list(STATUS_COLUMNS)
    for r in records:
        row = []
        for f in fields:
            if f.attr == "publicity_end":
                value = r.publicity_ends_on  # the same date the pages show
            else:
                value = public_value(r, f) if public else getattr(r, f.attr)
            row.append(_cell(value))
        row += [
            STATUS_LABELS.get(r.status, r.status),
            _cell(r.end_reason if r.status in (RecordStatus.WITHDRAWN, RecordStatus.REPAIRED) else ""),
        ]
        yield row


def render(rows, fmt: str) -> bytes:
    return render_sheets([("data", rows)], fmt)


def render_sheets(sheets: list[tuple[str, object]], fmt: str) -> bytes:
    """XLSX with one named sheet per (name, rows); CSV holds one table only."""
    if fmt == "csv":
        if len(sheets) != 1:
            raise ValueError("a CSV file holds one table")
        buf = io.StringIO()
        csv.writer(buf).writerows(sheets[0][1])
        return buf.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_records(
    *, kind: Kind, fmt: str, agency_id: int | None, changed_only: bool, public: bool, user=None
) -> ExportRun:
    """Write an export file and remember where it ended, for the next "changed since" export."""
    until = utcnow()
    since = None
    if changed_only:
        since = db.session.execute(
            select(ExportRun.until)
            .where(
                ExportRun.kind == kind.value,
                ExportRun.agency_id.is_(agency_id) if agency_id is None else ExportRun.agency_id == agency_id,
            )
            .order_by(ExportRun.until.desc())
            .limit(1)
        ).scalar_one_or_none()
    stmt = select(PublicityRecord).where(PublicityRecord.kind == kind.value, PublicityRecord.updated_at <= until)
    if agency_id is not None:
        stmt = stmt.where(PublicityRecord.agency_id == agency_id)
    if since is not None:
        stmt = stmt.where(PublicityRecord.updated_at > since)
    if public:
        stmt = stmt.where(PublicityRecord.status == RecordStatus.PUBLISHED)
    records = db.session.execute(stmt.order_by(PublicityRecord.id).execution_options(yield_per=2000)).scalars()
    counter = _Counter(rows_for(records, kind, public=public))
    data = render(counter, fmt)
    stamp = until.strftime("%Y%m%d%H%M%S")
    name = f"{'XK' if kind is Kind.LICENSING else 'CF'}-{'public' if public else 'platform'}-{stamp}.{fmt}"
    stored = store(
        data,
        original_name=name,
        content_type=XLSX_TYPE if fmt == "xlsx" else "text/csv",
        agency_id=agency_id,
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.flush()
    run = ExportRun(
        agency_id=agency_id,
        kind=kind.value,
        fmt=fmt,
        changed_only=changed_only,
        since=since,
        until=until,
        row_count=counter.n - 1,
        file_id=stored.id,
        created_by_id=getattr(user, "id", None),
    )
    if not public:
        db.session.add(run)
        db.session.flush()
        audit.record(
            "publicity.export",
            object_type="publicity_export",
            object_id=run.id,
            agency_id=agency_id,
            after={"kind": kind.value, "fmt": fmt, "changed_only": changed_only, "rows": run.row_count},
        )
    return run


class _Counter:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row
