"""Bulk import of national-template XLSX and CSV files (rules-china §5.2) and the error report.

A file is inspected before it is read: its size, its kind (by content, not by name) and, for XLSX, the zip
directory (total uncompressed size and compression ratio) so that a zip bomb is refused unread, then the first
sheet's XML (its declared dimension and the position of every cell) so that the reader, which builds one dense grid
spanning every cell, is never asked for more than a bounded number of cells (issue 10: one cell at XFD1048576
asked it for 17 billion). The header row
may use the standard's Chinese field names or its field codes. Valid rows are kept, every invalid row is
reported as (row, field, reason); the same decision number of the same agency updates instead of duplicating.
Rows are validated and written in chunks so a 100,000-row file stays within memory and shows progress.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import operator
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

from disclosure.accounts.models import Agency, User
from disclosure.core.errors import DomainError
from disclosure.core.storage import store
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.publicity.fields import BY_CODE, EXTRA_COLUMNS, FIELDS, Kind, header_map
from disclosure.publicity.models import ImportJob, JobStatus, PublicityRecord, RecordStatus, Scope
from disclosure.publicity.operations import DueDates, _update, column_values, publicity_outcome
from disclosure.publicity.rules import load_rules
from disclosure.publicity.validation import (
    EXTRA_MATTER,
    RecordValidator,
    described,
    field_label,
    matter_refs,
    organ_refs,
)

CHUNK = 1000
PREVIEW_ERRORS = 200
ERROR_COLUMN, ROW_COLUMN = "错误原因", "原行号"
MATTER_HEADERS = {
    "MATTER": EXTRA_MATTER,
    "matter": EXTRA_MATTER,
    "事项名称": EXTRA_MATTER,
    "事项编码": EXTRA_MATTER,
    "事项": EXTRA_MATTER,
}
IGNORED_HEADERS = {ERROR_COLUMN, ROW_COLUMN}
XLSX, CSV = "xlsx", "csv"
HEADER_ROWS = 5  # find_header looks for the header row among the first five rows
# The widest file we read: the penalty template has 36 columns (the standard's 33 and 事项名称, 严重程度, 简易程序), the
# error file adds 原行号 and 错误原因; 64 leaves room for some columns of an agency's own (序号, 经办人, …).
MAX_COLUMNS = 64
# The reader (calamine) holds the sheet as one dense grid of about 32 bytes a cell, spanning from the first to the
# last cell in both directions. 8,000,000 cells (200,000 rows of 40 columns, the row limit at the template's
# width) bound it to some 256 MB before the cells' text.
MAX_CELLS = 8_000_000


def limits() -> dict:
    cfg = current_app.config
    return {
        "max_bytes": int(cfg.get("PUBLICITY_IMPORT_MAX_BYTES", 30 * 1024 * 1024)),
        "max_uncompressed": int(cfg.get("PUBLICITY_IMPORT_MAX_UNCOMPRESSED", 400 * 1024 * 1024)),
        "max_ratio": int(cfg.get("PUBLICITY_IMPORT_MAX_RATIO", 200)),
        "max_rows": int(cfg.get("PUBLICITY_IMPORT_MAX_ROWS", 200_000)),
        "max_columns": int(cfg.get("PUBLICITY_IMPORT_MAX_COLUMNS", MAX_COLUMNS)),
        "max_cells": int(cfg.get("PUBLICITY_IMPORT_MAX_CELLS", MAX_CELLS)),
        "sync_bytes": int(cfg.get("PUBLICITY_IMPORT_SYNC_BYTES", 256 * 1024)),
    }


def inspect_upload(data: bytes) -> str:
    """The file's kind (xlsx or csv) from its content, or a DomainError saying why it is refused."""
    lim = limits()
    if not data:
        raise DomainError(_l("The file is empty."))
    if len(data) > lim["max_bytes"]:
        raise DomainError(
            _l("The file is larger than %(mb)d MB. Split it into several files.", mb=lim["max_bytes"] // (1024 * 1024))
        )
    if data[:4] == b"PK\x03\x04":
        _inspect_zip(data, lim)
        return XLSX
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DomainError(_l("This is an old Excel (.xls) file. Save it as .xlsx or .csv and upload it again."))
    head = data[:65536]
    if b"\x00" in head or not _decodes(head, complete=len(data) <= len(head)):
        raise DomainError(_l("The file is not a spreadsheet (XLSX or CSV)."))
    return CSV


def _decodes(sample: bytes, *, complete: bool) -> bool:
    """The sample is UTF-8 or GB18030 text (a sample cut mid-character is fine unless it is the whole file)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _inspect_zip(data: bytes, lim: dict) -> None:
    """Refuse bombs and non-workbooks from the zip directory before decompressing anything, then a first sheet
    too large for the reader from its XML (streamed, never held whole)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(
            _l("The spreadsheet is damaged or incomplete (truncated). Save it again and retry.")
        ) from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise DomainError(_l("The file is a zip archive but not an Excel workbook (XLSX)."))
    total = sum(i.file_size for i in infos)
    if total > lim["max_uncompressed"]:
        raise DomainError(
            _l(
                "The workbook unpacks to more than %(mb)d MB and is refused.",
                mb=lim["max_uncompressed"] // (1024 * 1024),
            )
        )
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > lim["max_ratio"] * max(i.compress_size, 1):
            raise DomainError(_l("The workbook is compressed suspiciously well (a zip bomb?) and is refused."))
    try:
        _inspect_sheet(archive, lim)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, KeyError, expat.ExpatError):
        raise DomainError(
            _l("The spreadsheet is damaged or incomplete (truncated). Save it again and retry.")
        ) from None


# -- the first sheet's extent, read from its XML before any reader opens it --------------------------------

_SMALL_PART = 4 * 1024 * 1024  # workbook.xml and its relationships are a few KB; more is not a workbook we read
_CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
# Cells as every spreadsheet program writes them: `<c r="B12"` with the reference first, plain. When every cell
# of the sheet is written so, two C-speed scans give the columns and rows used; anything else (a prefix, another
# attribute first, no reference, an entity in it) takes the XML parser, which sees what the reader sees.
_PLAIN_CELL = (b"<c ", b"<c>", b"<c/>")
_OTHER_CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:c[\s/>]|c[\t\r\n])")
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def column_number(letters: str) -> int:
    """A1-style column letters to a 1-based number: A -> 1, Z -> 26, AA -> 27, XFD -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class SheetExtent:
    rows: int = 0  # the last row holding a cell
    columns: int = 0  # the last column holding a cell
    cells: int = 0


def _too_large(extent: SheetExtent, lim: dict) -> None:
    """Refuse a sheet the reader would need too much memory for, saying which limit it passes."""
    if extent.columns > lim["max_columns"]:
        raise DomainError(
            _l(
                "The sheet uses column %(col)s, beyond the %(max)d columns a file may have. Delete the empty columns "
                "at the right (select them, right-click, Delete), save and upload again.",
                col=column_letters(extent.columns),
                max=lim["max_columns"],
            )
        )
    if extent.rows > lim["max_rows"] + HEADER_ROWS:
        raise DomainError(
            _l(
                "The sheet reaches row %(row)d: a file has at most %(n)d rows. Split it into several files.",
                row=extent.rows,
                n=lim["max_rows"],
            )
        )
    area = extent.rows * extent.columns
    if area > lim["max_cells"] or extent.cells > lim["max_cells"]:
        raise DomainError(
            _l(
                "The sheet spans %(rows)d rows and %(cols)d columns, more than the %(max)d cells a file may have. "
                "Split it into several files or delete unused columns.",
                rows=extent.rows,
                cols=extent.columns,
                max=lim["max_cells"],
            )
        )


def column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inspect_sheet(archive: zipfile.ZipFile, lim: dict) -> None:
    """Check the first sheet (the one the import reads) before the reader sees it: its declared dimension, then
    the real position of every cell and the number of cells, streamed from the zip in 1 MB pieces."""
    path = _first_sheet_path(archive)
    with archive.open(path) as stream:
        head = stream.read(_CHUNK)
        match = _DIMENSION.search(head)
        if match:
            _too_large(_declared_extent(match.group(1).decode("ascii", "replace")), lim)
        extent = _scan_plain(stream, head, lim)
    if extent is None:  # a cell not written the plain way: the XML parser decides
        with archive.open(path) as stream:
            extent = _scan_parsed(stream, lim)
    _too_large(extent, lim)


def _declared_extent(ref: str) -> SheetExtent:
    """`A1:XFD1048576` -> its last row and column (a malformed reference is not trusted and not used)."""
    corner = ref.split(":")[-1].strip()
    m = _REF.match(corner)
    if not m:
        return SheetExtent()
    return SheetExtent(rows=int(m.group(2)), columns=column_number(m.group(1)))


def _scan_plain(stream, head: bytes, lim: dict) -> SheetExtent | None:
    """The columns and rows of the cells when every cell is written `<c r="B12"…`, or None when one is not.
    Two regular expressions per megabyte (C speed): a 100,000-row file is scanned in about two seconds."""
    columns: set[bytes] = set()
    rows: set[bytes] = set()
    cells = plain = 0
    tail = b""
    chunk = head
    while chunk:
        buf = tail + chunk
        cut = buf.rfind(b"<")
        if cut < 0:
            body, tail = buf, b""
        else:
            body, tail = buf[:cut], buf[cut:]
        if _OTHER_CELL.search(body):
            return None
        cells += sum(body.count(t) for t in _PLAIN_CELL)
        found = _CELL_ROW.findall(body)
        plain += len(found)
        rows.update(found)
        columns.update(_CELL_COLUMN.findall(body))
        if cells != plain:
            return None
        if cells > lim["max_cells"] or len(columns) > lim["max_columns"]:
            break  # already too many: no need to read on
        chunk = stream.read(_CHUNK)
    if tail and (_OTHER_CELL.search(tail) or any(t in tail for t in _PLAIN_CELL)):
        return None  # a cell in a truncated last tag: let the parser say what is wrong
    return SheetExtent(
        rows=max((int(r) for r in rows), default=0),
        columns=max((column_number(c.decode()) for c in columns), default=0),
        cells=cells,
    )


class _Stop(Exception):
    pass


def _scan_parsed(stream, lim: dict) -> SheetExtent:
    """Every cell's position as a reader places it: its `r` reference, or the next column (row) after the
    previous one when the reference is missing. Stops as soon as a limit is passed."""
    extent = SheetExtent()
    state = {"row": 0, "col": 0}

    def start(name, attrs):
        name = name.rpartition(" ")[2]  # the local name: transitional and strict namespaces alike
        if name == "row":
            r = attrs.get("r")
            state["row"] = int(r) if r and r.isdigit() else state["row"] + 1
            state["col"] = 0
        elif name == "c":
            m = _REF.match(attrs.get("r") or "")
            if m:
                state["col"], row = column_number(m.group(1)), int(m.group(2))
            else:
                state["col"], row = state["col"] + 1, max(state["row"], 1)
            extent.cells += 1
            extent.rows = max(extent.rows, row)
            extent.columns = max(extent.columns, state["col"])
            if (
                extent.columns > lim["max_columns"]
                or extent.rows > lim["max_rows"] + HEADER_ROWS
                or extent.cells > lim["max_cells"]
            ):
                raise _Stop

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        pass
    return extent


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet (the one the import reads), from workbook.xml and its relationships."""
    first: dict[str, str] = {}

    def on_sheet(name, attrs):
        if name.rpartition(" ")[2] == "sheet" and "rid" not in first:
            first["rid"] = next((v for k, v in attrs.items() if k.endswith(" id")), "")  # r:id, any namespace

    _parse_small(archive, "xl/workbook.xml", on_sheet)
    targets: dict[str, str] = {}

    def on_rel(name, attrs):
        if name.rpartition(" ")[2] == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse_small(archive, "xl/_rels/workbook.xml.rels", on_rel)
    target = targets.get(first.get("rid", ""), "")
    if not target:
        raise ValueError("no first sheet")
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    archive.getinfo(path)  # KeyError: a workbook naming a sheet it does not hold
    return path


def _parse_small(archive: zipfile.ZipFile, name: str, handler) -> None:
    if archive.getinfo(name).file_size > _SMALL_PART:
        raise ValueError(name)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = handler
    parser.Parse(archive.read(name), True)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, as spreadsheets saved on Chinese Windows are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_rows(data: bytes, fmt: str) -> tuple[int, Iterator[list]]:
    """(row count estimate, iterator of rows as lists of cell values) of the first sheet."""
    if fmt == CSV:
        try:
            text = decode_csv(data)
        except UnicodeDecodeError:
            raise DomainError(
                _l("The CSV file is neither UTF-8 nor GB18030 text. Save it again as CSV UTF-8.")
            ) from None
        count = text.count("\n") + 1
        return count, _narrow(csv.reader(io.StringIO(text)), limits()["max_columns"])

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return sheet.total_height, sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise DomainError(_l("The spreadsheet cannot be read: %(error)s", error=str(exc)[:200])) from None


def _narrow(rows, max_columns: int) -> Iterator[list]:
    """CSV rows, refusing a row wider than the widest file we read (the XLSX sheet is checked before reading)."""
    for row in rows:
        if len(row) > max_columns and any(row[max_columns:]):
            raise DomainError(
                _l("A row has more than %(max)d columns. Delete the columns you do not need.", max=max_columns)
            )
        yield row


@dataclass
class HeaderMap:
    row_index: int  # 0-based index of the header row
    columns: list[str | None]  # per column: field code, MATTER, SEVERITY/SIMPLIFIED or None
    unknown: list[str] = field(default_factory=list)


def find_header(rows: list[list], kind: Kind) -> HeaderMap:
    """The header row is the first row (of the first five) naming at least three fields of this kind."""
    names = header_map(kind)
    other = header_map(Kind.PENALTY if kind is Kind.LICENSING else Kind.LICENSING)
    for idx, row in enumerate(rows[:5]):
        cells = ["" if c is None else str(c).strip() for c in row]
        cols: list[str | None] = []
        unknown: list[str] = []
        for cell in cells:
            code = names.get(cell) or MATTER_HEADERS.get(cell)
            cols.append(code)
            if cell and code is None and cell not in IGNORED_HEADERS:
                unknown.append(cell)
        if sum(1 for c in cols if c) >= 3:
            return HeaderMap(idx, cols, unknown)
        if sum(1 for c in cells if c in other and c not in names) >= 3:
            raise DomainError(_l("The header row belongs to the other record type: choose the right type."))
    raise DomainError(
        _l(
            "No header row found: the first row must hold the national template's field names "
            "(Chinese names or field codes)."
        )
    )


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, field code, reason)
    invalid_rows: list[tuple[int, list, str]] = field(default_factory=list)  # for the error file
    processed: int = 0


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
        self._next_analyze = 1000
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
                dno = result.values["decision_no"]
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
            numbers = [r.values["decision_no"] for _n, _row, r in valid]
            existing = {
                dno: (rid, digest)
                for rid, dno, digest in db.session.execute(
                    select(PublicityRecord.id, PublicityRecord.decision_no, PublicityRecord.content_hash).where(
                        PublicityRecord.agency_id == self.agency.id,
                        PublicityRecord.kind == self.kind.value,
                        _among(PublicityRecord.decision_no, numbers),
                    )
                )
            }
            new_rows, changed = [], []
            for row_no, row, result in valid:
                hit = existing.get(result.values["decision_no"])
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
                self._refresh_statistics(report.created + len(new_rows))
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
                    _update(
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

    def _refresh_statistics(self, created: int) -> None:
        """PostgreSQL plans the decision-number lookup from the table's statistics; a table that grew tenfold
        during the import (from empty, say) gets a plan that compares every row with every number, and each
        chunk then costs more than the last. ANALYZE at 1,000, 10,000 and 100,000 new rows keeps the lookup on
        the (agency, kind, decision number) index. Skipped quietly where the user may not analyse the table."""
        if created < self._next_analyze or db.session.get_bind().dialect.name != "postgresql":
            return
        self._next_analyze *= 10
        try:
            with db.session.begin_nested():
                db.session.execute(text("ANALYZE publicity_records"))
        except DBAPIError:  # pragma: no cover - only without the table's MAINTAIN privilege
            pass

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


def write_error_file(job: ImportJob, kind: Kind, header: HeaderMap, report: ImportReport):
    """An XLSX the clerk can fix and import again: sheet 1 holds the refused rows in the file's own columns with
    their reasons (the extra columns are ignored on import), sheet 2 lists every error as (row, field, reason)."""

    wb = Workbook(write_only=True)
    rows_sheet = wb.create_sheet("待修正数据")
    header_cells = [c for c in header.columns]
    rows_sheet.append([_header_text(kind, c) for c in header_cells] + [ROW_COLUMN, ERROR_COLUMN])
    for row_no, row, reasons in report.invalid_rows:
        cells = [_cell(c) for c in row[: len(header_cells)]]
        cells += [None] * (len(header_cells) - len(cells))
        rows_sheet.append([*cells, row_no, reasons])
    list_sheet = wb.create_sheet("错误清单")
    list_sheet.append(["行号", "字段代码", "字段名称", "错误原因"])
    for row_no, code, message in report.errors:
        list_sheet.append([row_no, code, field_label(kind, code) if code else "", message])
    buf = io.BytesIO()
    wb.save(buf)
    stored = store(
        buf.getvalue(),
        original_name=f"import-{job.id}-errors.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        agency_id=job.agency_id,
        uploaded_by_id=job.created_by_id,
    )
    db.session.flush()
    return stored


def _header_text(kind: Kind, code: str | None) -> str:
    if code is None:
        return ""
    f = BY_CODE[kind].get(code)
    if f:
        return f.code
    return code


def _cell(value):
    """Keep dates as dates; neutralise text that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        return "'" + value
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def template_workbook(kind: Kind, *, codes: bool = False) -> bytes:
    """An empty national-template workbook (header row of Chinese names, or of field codes)."""

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("行政许可" if kind is Kind.LICENSING else "行政处罚")
    headers = [f.code if codes else f.label for f in FIELDS[kind]]
    headers.append("MATTER" if codes else "事项名称")
    for code, label, _attr in EXTRA_COLUMNS.get(kind.value, ()):
        headers.append(code if codes else label)
    ws.append(headers)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
