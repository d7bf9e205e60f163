"""Reading a ledger file and writing its rows as cases, in bulk (issue 13 §2).

The whole file is read and checked first (every problem of every row, duplicates of a 申请编号 across the file),
then the valid rows are written chunk by chunk as a few multi-row statements (Core executemany, no ORM object
graph per row): the case, its requested item, its remedies, the ledger row and its audit event. A row is written
whole or not at all; a chunk is one transaction in the worker (the progress is committed with it).

- A concluded row (with its 答复日期) becomes an archived case with its outcome, concluded on the reply date, and
  its remedies: counted by the annual report like any case.
- An open row becomes a registered case on its original received date, in the registrar's queue, its deadline
  computed from that date by `deadlines.compute` and its status by the deadline sweep (`recompute_open`).
- The same 申请编号 again updates its case (unless it has been handled in the system since), an identical row is
  left as it is.

The case's reference is the office's 申请编号 (unique per agency, like every reference); its serial is taken from
the agency's own ledger series and stored negative, outside the gapless series of cases filed here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select, update

from disclosure.accounts.models import Agency, User
from disclosure.accounts.roles import ApplicantCategory, ApplicantType
from disclosure.applications import deadlines, sweep
from disclosure.applications.ledger.columns import COLUMNS, HEADER_ROWS, HEADERS, IGNORED, LedgerEntry, RowChecker
from disclosure.applications.ledger.models import LedgerImport, LedgerRow
from disclosure.applications.models import (
    Application,
    Channel,
    DeadlineStatus,
    Remedy,
    RemedyResult,
    RequestedItem,
    search_text_of,
)
from disclosure.applications.operations.case import fingerprint
from disclosure.core import numbering, spreadsheets
from disclosure.core.audit import AuditEvent
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from workflows.application import States

CHUNK = 5000
PREVIEW_ERRORS = 200
SERIES = "application_ledger"  # the agency's ledger cases' serials (stored negative)
LEDGER_NOTE = "依申请公开台账导入"  # the note of a remedy the ledger brought (replaced when the row is imported again)
UPDATABLE = (States.REGISTERED.value, States.ARCHIVED.value)  # as the ledger left them

APPS = Application.__table__
ITEMS = RequestedItem.__table__
REMEDIES = Remedy.__table__
LEDGER_ROWS = LedgerRow.__table__
AUDIT = AuditEvent.__table__


def _defaults(table) -> dict:
    """Every column a new row names: the model's scalar defaults (the row overwrites them)."""
    return {
        c.key: c.default.arg if c.default is not None and c.default.is_scalar else None
        for c in table.columns
        if c.key != "id"
    }


APP_DEFAULTS = _defaults(APPS)
ITEM_DEFAULTS = _defaults(ITEMS)


def sheet_limits() -> dict:
    return spreadsheets.limits("LEDGER_IMPORT")


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    opened: int = 0  # live cases written
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason)
    invalid_rows: dict[int, tuple[list, list[str]]] = field(default_factory=dict)  # row -> (cells, reasons)

    def refuse(self, row_no: int, raw: list, column: str, message: str) -> None:
        self.errors.append((row_no, column, message))
        _cells, reasons = self.invalid_rows.setdefault(row_no, (raw, []))
        reasons.append(f"{column}：{message}")


# --- Reading -----------------------------------------------------------------------------------------------------


def _header(rows: Iterator[list]) -> tuple[list[str], dict[str, int], int]:
    """The header row among the first rows: its texts, the column of each key, its row number."""
    seen = []
    for n, row in enumerate(rows, start=1):
        texts = [str(v).strip().rstrip("*＊").strip() if v is not None else "" for v in row]
        seen.append(texts)
        if HEADERS["ref"] in texts:
            index = {key: texts.index(header) for header, key, _r in COLUMNS if header in texts}
            missing = [header for header, key, _r in COLUMNS if key not in index]
            if missing:
                raise DomainError(
                    _("The ledger lacks the columns %(names)s. Download the template.", names="、".join(missing))
                )
            return texts, index, n
        if n >= HEADER_ROWS:
            break
    raise DomainError(
        _("No header row with 申请编号 among the first %(n)d rows. Download the template.", n=HEADER_ROWS)
    )


@dataclass
class Checked:
    header: list[str]
    entries: list[tuple[LedgerEntry, list]]  # with the row's cells (for the error file)
    report: Report
    total: int


def read_file(data: bytes, today: dt.date | None = None) -> Checked:
    """Read and check every row of the file; nothing is written."""
    lim = sheet_limits()
    fmt = spreadsheets.inspect_upload(data, lim)
    _estimate, rows = spreadsheets.read_rows(data, fmt, lim)
    rows = iter(rows)
    header, index, _at = _header(rows)
    checker = RowChecker(today or today_china())
    report = Report()
    entries: list[tuple[LedgerEntry, list]] = []
    row_no = _at
    total = 0
    for raw in rows:
        row_no += 1
        raw = list(raw)
        if not any(v not in (None, "") and str(v).strip() for v in raw):
            continue
        total += 1
        cells = {key: raw[i] if i < len(raw) else None for key, i in index.items()}
        entry, problems = checker.check(row_no, cells)
        for column, message in problems:
            report.refuse(row_no, raw, column, message)
        if entry is not None:
            entries.append((entry, raw))
    # A 申请编号 twice in the file: neither row is taken (which one is right is for the office to say).
    counts = Tally(e.ref for e, _raw in entries)
    rows_of: dict[str, list[int]] = {}
    for e, _raw in entries:
        if counts[e.ref] > 1:
            rows_of.setdefault(e.ref, []).append(e.row_no)
    kept = []
    for e, raw in entries:
        if e.ref in rows_of:
            report.refuse(
                e.row_no,
                raw,
                HEADERS["ref"],
                _(
                    "The 申请编号 %(ref)s is on several rows (%(rows)s).",
                    ref=e.ref,
                    rows=", ".join(str(n) for n in rows_of[e.ref]),
                ),
            )
        else:
            kept.append((e, raw))
    return Checked([h for h in header if h not in IGNORED], kept, report, total)


# --- Writing -----------------------------------------------------------------------------------------------------


def _take_serials(agency_id: int, n: int) -> int:
    """Take n serials of the agency's ledger series at once; returns the first."""
    first = numbering.next_value(SERIES, agency_id, 0)
    if n > 1:
        last = db.session.execute(
            update(numbering.Counter)
            .where(
                numbering.Counter.scope == SERIES,
                numbering.Counter.owner_id == agency_id,
                numbering.Counter.year == 0,
            )
            .values(value=numbering.Counter.value + (n - 1))
            .returning(numbering.Counter.value)
        ).scalar_one()
        assert last == first + n - 1
    return first


class Writer:
    """Writes checked entries of one agency in chunks."""

    def __init__(self, job: LedgerImport, agency: Agency, actor: User | None, report: Report):
        self.job, self.agency, self.actor, self.report = job, agency, actor, report
        self.today = today_china()
        self.now = utcnow()
        self._due: dict[dt.date, dt.date] = {}

    # The case's columns from a row.
    def _due_date(self, received: dt.date) -> dt.date:
        if received not in self._due:
            plan = deadlines.compute(received, (), fee_wait_pauses=True, today=self.today)
            self._due[received] = plan.due
        return self._due[received]

    def _case_values(self, e: LedgerEntry) -> dict:
        person = e.category == ApplicantCategory.NATURAL_PERSON
        values = {
            "received_date": e.received,
            "ref_year": e.received.year,
            "applicant_category": e.category,
            "applicant_type": ApplicantType.PERSON.value if person else ApplicantType.ORGANISATION.value,
            "applicant_name": e.name,
            "search_text": search_text_of(e.ref, e.name, None, None, [(e.content, "")]),
            "updated_at": self.now,
        }
        if e.concluded:
            values.update(
                state=States.ARCHIVED.value,
                outcome=e.outcome,
                issued_date=e.replied,
                closed_date=e.replied,
                archived_at=self.now,
                due_date=None,
                deadline_status=DeadlineStatus.NONE.value,
            )
        else:
            values.update(
                state=States.REGISTERED.value,
                outcome=None,
                issued_date=None,
                closed_date=None,
                archived_at=None,
                due_date=self._due_date(e.received),
                deadline_status=DeadlineStatus.OK.value,  # the sweep sets the real status below
            )
        return values

    def _remedies(self, case_id: int, e: LedgerEntry) -> list[dict]:
        return [
            {
                "application_id": case_id,
                "agency_id": self.agency.id,
                "kind": r.kind,
                "body": "",
                "filed_date": r.filed,
                # The ledger has no decision date: a decided remedy counts with its result in the year it was filed.
                "decided_date": None if r.result == RemedyResult.PENDING else r.filed,
                "result": r.result,
                "note": LEDGER_NOTE,
                "recorded_by_id": None,
                "created_at": self.now,
                "updated_at": self.now,
            }
            for r in e.remedies
        ]

    def _audit(self, case_id: int, action: str, e: LedgerEntry) -> dict:
        return {
            "occurred_at": self.now,
            "actor_id": getattr(self.actor, "id", None),
            "actor_label": getattr(self.actor, "display_name", None) or "system",
            "agency_id": self.agency.id,
            "object_type": "application",
            "object_id": str(case_id),
            "action": action,
            "before": None,
            "after": {
                "ledger_import": self.job.id,
                "row": e.row_no,
                "reference": e.ref,
                "received_date": e.received.isoformat(),
                "replied": e.replied.isoformat() if e.replied else None,
                "outcome": e.outcome,
                "remedies": [[r.kind, r.result, r.filed.isoformat()] for r in e.remedies],
            },
            "reason": None,
            "ip_address": None,
        }

    def _item(self, case_id: int, e: LedgerEntry) -> dict:
        return {
            **ITEM_DEFAULTS,
            "application_id": case_id,
            "position": 1,
            "description": e.content,
            "fingerprint": fingerprint(e.content),
            "outcome": e.outcome,
        }

    def write(self, chunk: list[tuple[LedgerEntry, list]]) -> None:
        session = db.session
        refs = [e.ref for e, _raw in chunk]
        known = {
            r.ledger_ref: r
            for r in session.execute(
                select(LedgerRow.ledger_ref, LedgerRow.application_id, LedgerRow.digest, Application.state)
                .join(Application, Application.id == LedgerRow.application_id)
                .where(LedgerRow.agency_id == self.agency.id, LedgerRow.ledger_ref.in_(refs))
            )
        }
        taken = set(
            session.execute(
                select(Application.reference).where(
                    Application.agency_id == self.agency.id,
                    Application.reference.in_([r for r in refs if r not in known]),
                )
            ).scalars()
        )
        new, changed = [], []
        for e, raw in chunk:
            old = known.get(e.ref)
            if old is None:
                if e.ref in taken:
                    self.report.refuse(
                        e.row_no,
                        raw,
                        HEADERS["ref"],
                        _(
                            "The 申请编号 %(ref)s is already the reference of a case registered in the system.",
                            ref=e.ref,
                        ),
                    )
                else:
                    new.append(e)
            elif old.digest == e.digest():
                self.report.unchanged += 1
            elif old.state not in UPDATABLE:
                self.report.refuse(
                    e.row_no,
                    raw,
                    HEADERS["ref"],
                    _(
                        "The request %(ref)s has been handled in the system since it was imported: change it there.",
                        ref=e.ref,
                    ),
                )
            else:
                changed.append((old.application_id, e))
        if new:
            self._insert(new)
        if changed:
            self._update(changed)

    def _insert(self, entries: list[LedgerEntry]) -> None:
        session = db.session
        first = _take_serials(self.agency.id, len(entries))
        rows = []
        for n, e in enumerate(entries):
            rows.append(
                {
                    **APP_DEFAULTS,
                    **self._case_values(e),
                    "agency_id": self.agency.id,
                    "reference": e.ref,
                    "ref_serial": -(first + n),
                    "channel": Channel.LEDGER.value,
                    "received_evidence": LEDGER_NOTE,
                    "registered_by_id": getattr(self.actor, "id", None),
                    "created_at": self.now,
                }
            )
        session.execute(APPS.insert(), rows)
        ids = dict(
            session.execute(
                select(Application.reference, Application.id).where(
                    Application.agency_id == self.agency.id, Application.reference.in_([e.ref for e in entries])
                )
            ).all()
        )
        session.execute(ITEMS.insert(), [self._item(ids[e.ref], e) for e in entries])
        remedies = [r for e in entries for r in self._remedies(ids[e.ref], e)]
        if remedies:
            session.execute(REMEDIES.insert(), remedies)
        session.execute(
            LEDGER_ROWS.insert(),
            [
                {
                    "agency_id": self.agency.id,
                    "ledger_ref": e.ref,
                    "application_id": ids[e.ref],
                    "digest": e.digest(),
                    "import_id": self.job.id,
                }
                for e in entries
            ],
        )
        session.execute(AUDIT.insert(), [self._audit(ids[e.ref], "application.ledger_imported", e) for e in entries])
        self.report.created += len(entries)
        self.report.opened += sum(1 for e in entries if not e.concluded)

    def _update(self, changed: list[tuple[int, LedgerEntry]]) -> None:
        session = db.session
        values = [{**self._case_values(e), "b_id": case_id} for case_id, e in changed]
        keys = [k for k in values[0] if k != "b_id"]
        session.execute(
            update(APPS)
            .where(APPS.c.id == bindparam("b_id"))
            .values({k: bindparam(k) for k in keys} | {"version": APPS.c.version + 1}),
            values,
        )
        session.execute(
            update(ITEMS)
            .where(ITEMS.c.application_id == bindparam("b_id"), ITEMS.c.position == 1)
            .values(description=bindparam("d"), fingerprint=bindparam("f"), outcome=bindparam("o")),
            [{"b_id": case_id, "d": e.content, "f": fingerprint(e.content), "o": e.outcome} for case_id, e in changed],
        )
        ids = [case_id for case_id, _e in changed]
        session.execute(
            delete(REMEDIES).where(
                REMEDIES.c.application_id.in_(ids), REMEDIES.c.note == LEDGER_NOTE, REMEDIES.c.recorded_by_id.is_(None)
            )
        )
        remedies = [r for case_id, e in changed for r in self._remedies(case_id, e)]
        if remedies:
            session.execute(REMEDIES.insert(), remedies)
        session.execute(
            update(LEDGER_ROWS)
            .where(LEDGER_ROWS.c.application_id == bindparam("b_id"))
            .values(digest=bindparam("g"), import_id=self.job.id),
            [{"b_id": case_id, "g": e.digest()} for case_id, e in changed],
        )
        session.execute(
            AUDIT.insert(), [self._audit(case_id, "application.ledger_updated", e) for case_id, e in changed]
        )
        self.report.updated += len(changed)
        self.report.opened += sum(1 for _id, e in changed if not e.concluded)


def run(
    job: LedgerImport,
    agency: Agency,
    data: bytes,
    actor: User | None,
    *,
    progress: Callable[[LedgerImport], None] | None = None,
) -> tuple[list[str], Report]:
    """Check the whole file, then write its valid rows chunk by chunk (`progress` after each: the worker commits
    there). The caller records the outcome on the job."""
    checked = read_file(data)
    report = checked.report
    job.total_rows = checked.total
    job.processed_rows = len(report.invalid_rows)
    if progress:
        progress(job)
    writer = Writer(job, agency, actor, report)
    entries = checked.entries
    for start in range(0, len(entries), CHUNK):
        chunk = entries[start : start + CHUNK]
        writer.write(chunk)
        job.processed_rows += len(chunk)
        if progress:
            progress(job)
    if report.opened:
        # The live cases' deadline status (due soon, overdue) as the daily sweep computes it.
        sweep.recompute_open(writer.today, agency_id=agency.id)
    return checked.header, report
