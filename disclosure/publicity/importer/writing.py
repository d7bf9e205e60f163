"""Validating and writing an import: rows are validated and written in chunks so that a 100,000-row file stays
within memory and shows progress; valid rows are kept, every invalid row is reported as (row, field, reason); the
same decision number of the same agency updates instead of duplicating."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from disclosure.accounts.models import Agency, User
from disclosure.core.errors import DomainError
from disclosure.core.statistics import GrowingTable
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.publicity.fields import Kind
from disclosure.publicity.importer.inspection import inspect_upload, limits
from disclosure.publicity.importer.reading import HeaderMap, find_header, read_rows
from disclosure.publicity.importer.report import ImportReport, write_error_file
from disclosure.publicity.models import ImportJob, JobStatus, PublicityRecord, RecordStatus, Scope
from disclosure.publicity.operations import DueDates, column_values, publicity_outcome, update_record
from disclosure.publicity.rules import load_rules
from disclosure.publicity.validation import (
    RecordValidator,
    described,
    matter_refs,
    organ_refs,
)

CHUNK = 1000
PREVIEW_ERRORS = 200


def import_file(job: ImportJob, data: bytes, *, progress: Callable[[ImportJob], None] | None = None) -> None:
    """Validate and store every row of the job's file (the caller commits; `progress` may commit chunks)."""

    fmt = inspect_upload(data)
    total, rows_iter = read_rows(data, fmt)
    lim = limits()
    head: list[list] = []
    for row in rows_iter:
        head.append(list(row))
        if len(head) == 5:
            break
    kind = Kind(job.kind)
    header = find_header(head, kind)
    data_rows = _chain(head[header.row_index + 1 :], rows_iter)
    job.total_rows = max(total - header.row_index - 1, 0)
    if job.total_rows > lim["max_rows"]:
        raise DomainError(_l("The file has more than %(n)d rows. Split it into several files.", n=lim["max_rows"]))
    agency = db.session.get(Agency, job.agency_id)
    rules = load_rules()
    validator = RecordValidator(
        kind,
        rules,
        matter_refs(agency.id, kind),
        organs=organ_refs(agency),
        today=today_china(),
        default_matter_id=job.default_matter_id,
    )
    writer = _ChunkWriter(job, agency, kind, rules)
    report = ImportReport()
    for warning in header.unknown:
        report.errors.append((header.row_index + 1, "", _("Unknown column %(name)s was ignored.", name=warning)))
    chunk: list[tuple[int, list]] = []
    first_row_no = header.row_index + 2  # spreadsheet row numbers start at 1, after the header
    for offset, row in enumerate(data_rows):
        if not any(row) and not any(c is not None and c != "" for c in row):  # any(row): most rows, at C speed
            continue
        chunk.append((first_row_no + offset, row))
        if len(chunk) >= CHUNK:
            writer.write(chunk, header, validator, report)
            chunk = []
            _progress(job, report, progress)
    if chunk:
        writer.write(chunk, header, validator, report)
    _progress(job, report, None)
    job.total_rows = report.processed
    job.status = JobStatus.DONE
    job.finished_at = utcnow()
    if report.invalid_rows or report.errors:
        job.error_file_id = write_error_file(job, kind, header, report).id
    job.log(
        "publicity.import",
        actor=writer.actor,
        after={
            "kind": job.kind,
            "file": job.filename,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": job.error_count,
        },
    )
    db.session.flush()


def _chain(first: list, rest) -> Iterator[list]:
    yield from first
    for row in rest:
        yield row if row.__class__ is list else list(row)


def _progress(job: ImportJob, report: ImportReport, callback) -> None:
    job.processed_rows = report.processed
    job.created_count, job.updated_count, job.unchanged_count = report.created, report.updated, report.unchanged
    job.error_count = len(report.invalid_rows)
    job.errors_preview = [list(e) for e in report.errors[:PREVIEW_ERRORS]]
    if callback is not None:
        callback(job)


class _ChunkWriter:
    """Validates a chunk, looks up the decision numbers it names in one query, inserts the new records in one
    statement (their full-text rows in one more), corrects the changed ones (each correction audited with its
    diff) and appends one audit event naming what the chunk created and updated."""

    def __init__(self, job: ImportJob, agency, kind: Kind, rules):
        self.job, self.agency, self.kind, self.rules = job, agency, kind, rules
        self.due_dates = DueDates(int(rules.setting("due_working_days")))
        self.seen: dict[str, int] = {}
        self.today = today_china()
        self.now = utcnow()
        self.columns = [c.key for c in PublicityRecord.__table__.columns if c.key != "id"]
        self.wsh = "XK_WSH" if kind is Kind.LICENSING else "CF_WSH"
        self.jdrq = "XK_JDRQ" if kind is Kind.LICENSING else "CF_JDRQ"
        self._outcomes: dict[tuple, tuple] = {}
        self.statistics = GrowingTable("publicity_records")  # the decision-number look-up's plan
        self._template = dict.fromkeys(self.columns)
        self._template.update(
            kind=kind.value,
            agency_id=agency.id,
            channel=job.channel,
            import_id=job.id,
            created_at=self.now,
            updated_at=self.now,
            version=1,
        )
        self.actor = None
        if job.created_by_id:
            self.actor = db.session.get(User, job.created_by_id)

    def write(self, chunk, header: HeaderMap, validator: RecordValidator, report: ImportReport) -> None:
        valid = []
        invalid_before = len(report.invalid_rows)
        columns = [(i, code) for i, code in enumerate(header.columns) if code is not None]
        for row_no, row in chunk:
            width = len(row)
            raw = {code: row[i] for i, code in columns if i < width}
            result = validator.validate(raw)
            report.processed += 1
            if result.values is not None:
                dno = result.values["decision_key"]  # the normalised number: [2026] repeats 〔2026〕
                first = self.seen.get(dno)
                if first is not None:
                    result.values = None
                    result.errors = [(self.wsh, _("The decision number is repeated from row %(row)d.", row=first))]
                else:
                    self.seen[dno] = row_no
            if result.values is None:
                self._refuse(report, row_no, row, result.errors)
            else:
                valid.append((row_no, row, result))
        created: list[str] = []
        updated: list[str] = []
        unchanged = 0
        if valid:
            numbers = [r.values["decision_key"] for _n, _row, r in valid]
            existing = {
                dno: (rid, digest)
                for rid, dno, digest in db.session.execute(
                    select(PublicityRecord.id, PublicityRecord.decision_key, PublicityRecord.content_hash).where(
                        PublicityRecord.agency_id == self.agency.id,
                        PublicityRecord.kind == self.kind.value,
                        _among(PublicityRecord.decision_key, numbers),
                    )
                )
            }
            new_rows, changed = [], []
            for row_no, row, result in valid:
                hit = existing.get(result.values["decision_key"])
                if hit is None:
                    try:
                        new_rows.append(self._new_row(result))
                    except DomainError as exc:  # e.g. a decision date outside the working-day calendar
                        self._refuse(report, row_no, row, [(self.jdrq, str(exc.message))])
                        continue
                    created.append(result.values["decision_no"])
                elif hit[1] == result.content_hash:
                    unchanged += 1
                else:
                    changed.append((hit[0], result))
            if new_rows:
                insert_records(new_rows)
                self.statistics.grew_to(report.created + len(new_rows))
            if changed:
                # One query loads every record to correct; each correction is audited with its diff.
                ids = [rid for rid, _r in changed]
                records = {
                    r.id: r
                    for r in db.session.execute(
                        select(PublicityRecord).where(_among(PublicityRecord.id, ids))
                    ).scalars()
                }
                for rid, result in changed:
                    update_record(
                        records[rid],
                        column_values(self.kind, result),
                        self.rules,
                        self.due_dates,
                        import_id=self.job.id,
                        flush=False,
                        actor=self.actor,
                    )
                    updated.append(result.values["decision_no"])
                db.session.flush()
        report.created += len(created)
        report.updated += len(updated)
        report.unchanged += unchanged
        if created or updated:
            # New records are written in bulk, so the chunk's event says which decisions it created (and which
            # it corrected, each of which also has its own event with the changed fields).
            self.job.log(
                "publicity.import.rows",
                actor=self.actor,
                after={
                    "kind": self.kind.value,
                    "rows": [chunk[0][0], chunk[-1][0]],
                    "created": created,
                    "updated": updated,
                    "unchanged": unchanged,
                    "invalid": len(report.invalid_rows) - invalid_before,
                },
            )

    def _refuse(self, report: ImportReport, row_no: int, row, errors) -> None:
        for code, message in errors:
            report.errors.append((row_no, code, message))
        reasons = "；".join(described(self.kind, c, m).rstrip("。.") for c, m in errors) + "。"
        report.invalid_rows.append((row_no, list(row), reasons))

    def _new_row(self, result) -> dict:
        values = column_values(self.kind, result)
        decided = values["decision_date"]
        scope = result.values.get("_scope", Scope.PUBLIC)
        key = (
            decided,
            values.get("severity"),
            scope,
            bool(values.get("simplified_procedure")),
            values.get("publicity_end"),
        )
        hit = self._outcomes.get(key)
        if hit is None:
            due, provisional = self.due_dates(decided)
            outcome = publicity_outcome(
                {**result.values, "kind": self.kind}, self.rules, publish=self.job.publish, due=due, today=self.today
            )
            published = outcome.status in (RecordStatus.PUBLISHED, RecordStatus.EXPIRED)
            hit = self._outcomes[key] = (
                due,
                provisional,
                outcome,
                self.now if published else None,
                self.today if published else None,
                self.now if outcome.status == RecordStatus.EXPIRED else None,
            )
        due, provisional, outcome, published_at, published_on, ended_at = hit
        row = self._template.copy()
        row.update(values)
        row["due_date"] = due
        row["due_provisional"] = provisional
        row["status"] = str(outcome.status)  # the plain value: the driver gets it as it is
        row["timeliness"] = str(outcome.timeliness)
        row["min_until"] = outcome.min_until
        row["max_until"] = outcome.max_until
        row["published_at"] = published_at
        row["published_on"] = published_on
        row["ended_at"] = ended_at
        row["simplified_procedure"] = bool(values.get("simplified_procedure"))
        return row


def _among(column, values: list):
    """`column IN (values)` for a chunk's worth of values. On PostgreSQL one array parameter (`= ANY(:values)`,
    still on the column's index): a statement with 1,000 placeholders costs more to render, convert and parse
    than to run (100,000 rows: 2.1 s of lookups)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return column.in_(values)

    return column == any_(bindparam(None, values, type_=ARRAY(column.type)))


def insert_records(rows: list[dict]) -> None:
    """Insert new records (dicts with the same keys: every column but the id) in one statement.

    The rows go straight to the driver: SQLite gets one executemany with the column types' own bind conversions
    (remembered per value: a chunk has few distinct dates), PostgreSQL one COPY. On SQLite the full-text index
    (FTS5 table `publicity_fts`) is then filled in one more statement instead of by the per-row trigger, which
    costs as much as the insert itself: the trigger is paused by a row in `publicity_fts_pause` that lives only
    inside this transaction (SQLite has one writer at a time, so no other connection ever sees it). PostgreSQL's
    GIN index batches its own updates (fastupdate)."""
    if not rows:
        return
    conn = db.session.connection()
    plan = _insert_plan(conn.dialect, tuple(rows[0]))
    cursor = conn.connection.driver_connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(plan.sql) as copy:
                for row in rows:
                    copy.write_row(plan.values(row))
            return
        cursor.execute("INSERT OR IGNORE INTO publicity_fts_pause (id) VALUES (1)")
        try:
            before = cursor.execute("SELECT coalesce(max(id), 0) FROM publicity_records").fetchone()[0]
            cursor.executemany(plan.sql, [plan.values(row) for row in rows])
            last = cursor.execute("SELECT max(id) FROM publicity_records").fetchone()[0]
            if last - before == len(rows):
                # We hold the write lock: the new ids are exactly before+1 … last, in insertion order.
                cursor.executemany(
                    "INSERT INTO publicity_fts (rowid, search_text) VALUES (?, ?)",
                    [(before + i, r["search_text"]) for i, r in enumerate(rows, start=1)],
                )
            else:  # pragma: no cover - rowids are allocated as max+1 while one writer holds the lock
                cursor.execute(
                    "INSERT INTO publicity_fts (rowid, search_text) SELECT id, search_text FROM publicity_records "
                    "WHERE id > ?",
                    (before,),
                )
        finally:
            cursor.execute("DELETE FROM publicity_fts_pause")
    finally:
        cursor.close()


@dataclass
class _InsertPlan:
    sql: str
    plain: Callable[[dict], tuple]  # the columns the driver takes as they are
    converted: list[tuple[str, Callable, dict]]  # (column, bind conversion, memo)

    def values(self, row: dict) -> tuple:
        out = self.plain(row)
        for key, convert, memo in self.converted:
            value = row[key]
            if value is not None:
                hit = memo.get(value)
                if hit is None:
                    hit = convert(value)
                    if len(memo) < 4096:
                        memo[value] = hit
                value = hit
            out += (value,)
        return out


_PLANS: dict[tuple, _InsertPlan] = {}


def _insert_plan(dialect, keys: tuple[str, ...]) -> _InsertPlan:
    plan = _PLANS.get((dialect.name, keys))
    if plan is not None:
        for _key, _convert, memo in plan.converted:
            memo.clear()  # values are remembered for one chunk only
        return plan
    columns = PublicityRecord.__table__.columns
    plain, converted = [], []
    for key in keys:
        convert = (
            None if dialect.name == "postgresql" else columns[key].type.dialect_impl(dialect).bind_processor(dialect)
        )
        if convert is None:
            plain.append(key)
        else:
            converted.append((key, convert, {}))
    order = plain + [key for key, _c, _m in converted]
    names = ", ".join(dialect.identifier_preparer.quote(k) for k in order)
    if dialect.name == "postgresql":
        sql = f"COPY publicity_records ({names}) FROM STDIN"
    else:
        marks = ", ".join("?" * len(order))
        sql = f"INSERT INTO publicity_records ({names}) VALUES ({marks})"  # noqa: S608 - names from the table
    getter = operator.itemgetter(*plain) if len(plain) > 1 else (lambda row: tuple(row[k] for k in plain))
    plan = _PLANS[(dialect.name, keys)] = _InsertPlan(sql, getter, converted)
    return plan
