"""Validating and writing an import, chunk by chunk (issue 11 §6).

Each row is validated whole — the import's own checks (`columns.RowReader`) and every rule of an entry
(`operations.entries.clean_entry_input`) — and is then either written whole or reported with its row number,
column and reason: a row is never half-written, valid rows are kept, and the refused ones come back in an error
file to fix and import again. The same row imported again (same 索引号, else 发文字号, else 标题 and 成文日期)
updates its entry instead of duplicating it.

New entries are written in bulk (`inserting.NewEntries`): the entry, its issuers, its frozen version (what the
public sees), its search index, its validity history and its audit event, as `workflows.catalog` decides
(`import_published` for 主动公开, `import_recorded` otherwise, the system acting); the original 发布日期 is kept and
a missing 索引号 taken from the agency's series.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import select, update

import workflows.catalog as wf
from disclosure.accounts.models import Agency, User
from disclosure.catalog.importer import columns
from disclosure.catalog.importer.attachments import AttachmentArchive, add_attachments
from disclosure.catalog.importer.inserting import Lookups, NewEntries, current_validity
from disclosure.catalog.importer.updating import update_imported
from disclosure.catalog.index_numbers import COUNTER_SCOPE
from disclosure.catalog.models import (
    CatalogImport,
    Entry,
    EntryIssuer,
    Genre,
    Theme,
)
from disclosure.catalog.operations.entries import clean_entry_input, settings_for
from disclosure.core import spreadsheets
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import DomainError, FieldErrors
from disclosure.core.numbering import Counter, next_value
from disclosure.core.statistics import GrowingTable
from disclosure.extensions import db

CHUNK = 500
PREVIEW_ERRORS = 200
# The columns the chunk's look-ups filter on (`_existing`, `duplicate_numbers`, `_taken_index_numbers`).
ANALYZED = "catalog_entries (agency_id, import_key, document_number_key, index_number, state)"


class Report:
    def __init__(self):
        self.created = self.updated = self.unchanged = 0
        self.errors: list[tuple[int, str, str]] = []  # (row number, column header, message)
        self.invalid_rows: list[tuple[int, list, str]] = []


def import_key(row: columns.ParsedRow) -> tuple[str, str]:
    """(the key, the column it comes from): 索引号, else 发文字号, else 标题 with 成文日期."""
    if row.index_number:
        return "i:" + row.index_number, "索引号"
    number = row.data.get("document_number_key") or ""
    if number:
        return "d:" + number, "发文字号"
    seed = f"{row.data.get('title', '')}|{row.data.get('made_on')}"
    return "t:" + hashlib.sha256(seed.encode()).hexdigest()[:40], "标题"


class Writer:
    """Writes one import's rows; keeps what the rows share (lookups, keys seen, memoised due dates)."""

    def __init__(self, job: CatalogImport, archive: AttachmentArchive | None):
        self.job = job
        self.agency = db.session.get(Agency, job.agency_id)
        self.actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
        self.reader = columns.RowReader(self.agency)
        self.archive = archive
        self.settings = settings_for(self.agency.id)
        self.report = Report()
        self.keys: dict[str, int] = {}  # import key -> row number, in this file
        self.doc_numbers: dict[str, int] = {}
        self.index_numbers: dict[str, int] = {}
        self.themes = {t.id: t for t in db.session.execute(select(Theme)).scalars()}
        self.genres = {g.id: g for g in db.session.execute(select(Genre)).scalars()}
        self.lookups = Lookups()
        self.statistics = GrowingTable(ANALYZED)

    # -- one chunk ---------------------------------------------------------------------------------------------

    def write(self, chunk: list[tuple[int, list, dict]]) -> None:
        parsed = [(row_no, raw, self.reader.read(cells)) for row_no, raw, cells in chunk]
        for _n, _raw, row in parsed:
            row.data["document_number_key"] = ""
            number = row.data.get("document_number") or ""
            if number:
                row.data["document_number_key"] = normalise_document_number(number)
        keyed = [(n, raw, row, *import_key(row)) for n, raw, row in parsed]
        existing = self._existing([k for *_x, k, _c in keyed])
        self._numbers_taken = duplicate_numbers(self.agency.id, [r.data["document_number_key"] for _n, _r, r in parsed])
        taken = self._taken_index_numbers([row.index_number for _n, _r, row, _k, _c in keyed if row.index_number])
        new_rows = []
        for row_no, raw, row, key, key_column in keyed:
            entry = existing.get(key)
            values, files = self._validate(row_no, row, key, key_column, entry, taken)
            if values is None:
                self._refuse(row_no, raw, row.errors)
                continue
            if entry is None:
                new_rows.append((row_no, row, key, values, files))
                continue
            try:
                with db.session.begin_nested():
                    changed = update_imported(
                        entry,
                        values,
                        row,
                        files,
                        job=self.job,
                        actor=self.actor,
                        validity=current_validity(row, values),
                    )
            except DomainError as exc:
                row.refuse(exc.field or "", exc.message)
                self._refuse(row_no, raw, row.errors)
                continue
            if changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        if new_rows:
            self._insert(new_rows)
        db.session.flush()
        # a catalogue grown from empty was read whole by each chunk's look-ups: 40 % of the server's CPU at 20,000
        self.statistics.grew_to(self.report.created)

    def _existing(self, keys: list[str]) -> dict[str, Entry]:
        rows = db.session.execute(
            select(Entry).where(Entry.agency_id == self.agency.id, Entry.import_key.in_(keys))
        ).scalars()
        return {e.import_key: e for e in rows}

    def _taken_index_numbers(self, numbers: list[str]) -> dict[str, tuple[int, str | None]]:
        if not numbers:
            return {}
        rows = db.session.execute(
            select(Entry.index_number, Entry.id, Entry.import_key).where(Entry.index_number.in_(numbers))
        ).all()
        return {number: (entry_id, key) for number, entry_id, key in rows}

    def _validate(self, row_no, row, key, key_column, entry, taken):
        """The entry's clean values and the attachments' (name, bytes, kind), or (None, None) with the errors on
        the row."""
        first = self.keys.get(key)
        if first is not None:
            row.errors.append((key_column, _("This row repeats row %(n)d of the file.", n=first)))
        else:
            self.keys[key] = row_no
        if row.index_number:
            owner = taken.get(row.index_number)
            if owner is not None and (entry is None or owner[0] != entry.id):
                row.refuse("index_number", _("Another entry already has this index number."))
        number = row.data.get("document_number") or ""
        number_key = row.data.get("document_number_key")
        if len(number) > 80:
            row.refuse("document_number", _("At most %(n)d characters.", n=80))
        owner = self._numbers_taken.get(number_key) if number_key else None
        if owner is not None and (entry is None or owner.id != entry.id):
            row.refuse(
                "document_number",
                _(
                    "This document number is already in the catalogue: %(title)s (%(ref)s).",
                    title=owner.title,
                    ref=owner.index_number or _("draft #%(id)d", id=owner.id),
                ),
            )
        try:
            # The document number is checked against the catalogue above, once per chunk (the same rule as
            # clean_entry_input's duplicate_document_number, batched): the row's number is put back after.
            values = clean_entry_input(self.agency, {**row.data, "document_number": ""}, entry=entry)
            values["document_number"], values["document_number_key"] = number, number_key or ""
        except FieldErrors as exc:
            values = None
            for name, message in exc.errors.items():
                if name not in row.bad_dates:
                    row.refuse(name, message)
        if number_key:
            seen = self.doc_numbers.get(number_key)
            if seen is not None and seen != row_no and first is None:
                row.refuse("document_number", _("This document number is already in row %(n)d.", n=seen))
            self.doc_numbers.setdefault(number_key, row_no)
        files = self._files(row)
        if row.errors:
            return None, None
        return values, files

    def _files(self, row) -> list[tuple[str, bytes, str]]:
        if not row.attachments:
            return []
        if self.archive is None:
            row.refuse("attachments", _("The row names attachments, but no ZIP of attachments was given."))
            return []
        files = []
        for name in row.attachments:
            try:
                data, kind = self.archive.read(name)
            except DomainError as exc:
                row.refuse("attachments", exc.message)
                continue
            files.append((name, data, kind.value))
        return files

    def _refuse(self, row_no: int, raw: list, errors: list[tuple[str, object]]) -> None:
        messages = []
        for column, message in errors:
            text = str(message)
            self.report.errors.append((row_no, column, text))
            messages.append(f"{column}：{text}" if column else text)
        self.report.invalid_rows.append((row_no, raw, "；".join(m.rstrip("。.") for m in messages) + "。"))

    # -- new entries in bulk -----------------------------------------------------------------------------------

    def _insert(self, rows: list) -> None:
        wanted: dict[int, int] = {}
        for _row_no, row, _key, values, _files in rows:
            if not row.index_number:
                wanted[values["made_on"].year] = wanted.get(values["made_on"].year, 0) + 1
        batch = NewEntries(self, {year: take_serials(self.agency.id, year, n) for year, n in wanted.items()})
        for row_no, row, key, values, files in rows:
            batch.add(row_no, row, key, values, files)
        versions = batch.write()
        stored = [
            (entry_id, name, data, kind)
            for entry_id, (_n, _row, _key, _values, files) in zip(versions, rows, strict=True)
            for name, data, kind in files
        ]
        if stored:
            add_attachments(stored, self.job, versions=versions)
        self.report.created += len(versions)


def take_serials(agency_id: int, year: int, n: int) -> list[int]:
    """`n` consecutive serials of the agency's index series for `year`: the first taken as any publication takes
    it (core.numbering, which creates the counter), the rest in one step on the counter row this transaction now
    holds locked, so the series stays gap-free and never reused."""
    first = next_value(COUNTER_SCOPE, agency_id, year)
    if n > 1:
        db.session.execute(
            update(Counter)
            .where(Counter.scope == COUNTER_SCOPE, Counter.owner_id == agency_id, Counter.year == year)
            .values(value=Counter.value + (n - 1))
        )
    return list(range(first, first + n))


def duplicate_numbers(agency_id: int, keys: list[str]) -> dict[str, Entry]:
    """The live entries of the agency's catalogue (as lead or joint issuer) holding any of these document-number
    keys (core.docnumbers), the first by id per key: `duplicate_document_number` for a whole chunk."""
    keys = sorted({k for k in keys if k})
    if not keys:
        return {}
    # The entry's own issuer rows, looked up for the few entries holding a key (not the list of every entry the
    # agency issued, which SQLite built again for each chunk: 20,000 ids at the end of a 20,000-row import).
    issued_here = (
        select(EntryIssuer.entry_id)
        .where(EntryIssuer.entry_id == Entry.id, EntryIssuer.agency_id == agency_id)
        .exists()
    )
    rows = db.session.execute(
        select(Entry)
        .where(
            Entry.document_number_key.in_(keys),
            Entry.state != wf.States.ABANDONED.value,
            (Entry.agency_id == agency_id) | issued_here,
        )
        .order_by(Entry.id.desc())
    ).scalars()
    return {e.document_number_key: e for e in rows}


def read_chunks(rows: Iterable[list], header_index: int, keys: list[str | None], size: int = CHUNK):
    """The data rows after the header, as (row number, the row, its cells by key), in chunks; empty rows are
    skipped."""
    chunk = []
    for number, raw in enumerate(rows, start=1):
        if number <= header_index + 1:
            continue
        raw = list(raw)
        if not any(cell not in (None, "") and str(cell).strip() for cell in raw):
            continue
        cells = {key: raw[i] for i, key in enumerate(keys) if key and i < len(raw)}
        chunk.append((number, raw, cells))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(
    job: CatalogImport, data: bytes, archive: AttachmentArchive | None, *, progress: Callable | None
) -> tuple[Report, list[str]]:
    """Validate and store every row of the job's file (the caller commits; `progress` may commit chunks); the
    report and the file's header row as written."""
    limits = columns.sheet_limits()
    fmt = spreadsheets.inspect_upload(data, limits)
    total, rows = spreadsheets.read_rows(data, fmt, limits)
    rows = iter(rows)
    head = []
    for raw in rows:
        head.append(list(raw))
        if len(head) >= 5:
            break
    try:
        header_index, keys, _texts = columns.find_header(head)
    except columns.HeaderError as exc:
        raise DomainError(exc.message, field="file") from None
    job.total_rows = max(0, total - header_index - 1)
    writer = Writer(job, archive)

    def all_rows():
        yield from head
        yield from rows

    for chunk in read_chunks(all_rows(), header_index, keys):
        writer.write(chunk)
        job.processed_rows = chunk[-1][0] - header_index - 1
        job.created_count, job.updated_count = writer.report.created, writer.report.updated
        job.unchanged_count, job.error_count = writer.report.unchanged, len(writer.report.invalid_rows)
        if progress is not None:
            progress(job)
    return writer.report, _texts
