"""Exports in the national layout with the field codes (rules-china §5.2): for the credit platform (full values,
staff only) and for the public (published records only, masked as §5.5 says). "Changed since the last export"
starts exactly where the previous export of the same scope ended.
"""

from __future__ import annotations

import csv
import io

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from disclosure.core.spreadsheets import cell_text
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
# An anonymous download holds at most this many records of each type: the newest, with a line saying the file was
# cut and how to get the rest. Streamed, 5,000 rows take well under a second; the public site is not a bulk feed.
PUBLIC_MAX_ROWS = 5000
STREAM_CHUNK = 64 * 1024


def public_max_rows() -> int:
    return int(current_app.config.get("PUBLICITY_PUBLIC_EXPORT_MAX_ROWS", PUBLIC_MAX_ROWS))


def cut_notice(n: int) -> str:
    return _(
        "Only the newest %(n)d records are in this file: more match the search. Narrow the search (name, agency, "
        "decision dates) to download the others.",
        n=n,
    )


class Capped:
    """The first `cap` items of `items`; `cut` tells afterwards whether there were more. A result left unread
    is closed (on PostgreSQL it holds a server-side cursor)."""

    def __init__(self, items, cap: int):
        self.items, self.cap, self.cut = items, cap, False

    def __iter__(self):
        try:
            for n, item in enumerate(self.items):
                if n >= self.cap:
                    self.cut = True
                    return
                yield item
        finally:
            close = getattr(self.items, "close", None)
            if close is not None:
                close()


def _streamed(stmt, session=None):
    """Records of a statement fetched 1,000 at a time (a server-side cursor on PostgreSQL)."""
    return (session or db.session).execute(stmt.execution_options(yield_per=1000)).scalars()


def stream_public_csv(stmt, kind: Kind, cap: int):
    """The public CSV of a statement's records, written and sent in pieces of about 64 KB (UTF-8 with BOM, as
    Excel on Chinese Windows expects), with a last line saying when `cap` cut it.

    The body is sent after the request has ended (its transaction committed, its context gone), so the generator
    needs no Flask context: it reads through a database session of its own on the application's engine, closed
    when the last piece is sent or the client goes away; the notice is translated up front, in the request's
    language."""

    notice = cut_notice(cap)
    engine = db.engine

    def generate():
        with Session(engine) as session:
            buf = io.StringIO()
            writer = csv.writer(buf)
            yield "\ufeff".encode()
            records = Capped(_streamed(stmt, session), cap)
            for row in rows_for(records, kind, public=True):
                writer.writerow(row)
                if buf.tell() >= STREAM_CHUNK:
                    yield buf.getvalue().encode()
                    buf.seek(0)
                    buf.truncate()
            if records.cut:
                writer.writerow([notice])
            yield buf.getvalue().encode()

    return generate()


def public_workbook(sheets: list[tuple[str, Kind, object]], cap: int) -> bytes:
    """The public XLSX: one sheet per (name, kind, statement), written row by row (openpyxl write-only), each
    ending with a line saying when `cap` cut it."""

    wb = Workbook(write_only=True)
    for name, kind, stmt in sheets:
        ws = wb.create_sheet(name)
        records = Capped(_streamed(stmt), cap)
        for row in rows_for(records, kind, public=True):
            ws.append(row)
        if records.cut:
            ws.append([])
            ws.append([cut_notice(cap)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


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
            row.append(cell_text(value))
        row += [
            STATUS_LABELS.get(r.status, r.status),
            cell_text(r.end_reason if r.status in (RecordStatus.WITHDRAWN, RecordStatus.REPAIRED) else ""),
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
        run.log(
            "publicity.export",
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
