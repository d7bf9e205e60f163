"""Validating and writing an import, chunk by chunk (issue 11 §6).

Each row is validated whole — the import's own checks (`columns.RowReader`) and every rule of an entry
(`operations.entries.clean_entry_input`) — and is then either written whole or reported with its row number,
column and reason: a row is never half-written, valid rows are kept, and the refused ones come back in an error
file to fix and import again. The same row imported again (same 索引号, else 发文字号, else 标题 and 成文日期)
updates its entry instead of duplicating it.

New entries are written in bulk: the entry, its issuers, its frozen version (what the public sees), its validity
history and its audit event, as `workflows.catalog` decides (`import_published` for 主动公开, `import_recorded`
otherwise, the system acting); the original 发布日期 is kept and a missing 索引号 taken from the agency's series.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, update

import workflows.catalog as wf
from disclosure.accounts.models import Agency, User
from disclosure.catalog.importer import columns
from disclosure.catalog.importer.attachments import AttachmentArchive, add_attachments
from disclosure.catalog.importer.updating import update_imported
from disclosure.catalog.index_numbers import COUNTER_SCOPE, format_number
from disclosure.catalog.models import (
    CatalogImport,
    DocKind,
    Entry,
    EntryIssuer,
    EntryVersion,
    Genre,
    Theme,
    Validity,
    ValidityChange,
    ValidityEvent,
)
from disclosure.catalog.operations.entries import clean_entry_input, public_metadata, settings_for
from disclosure.catalog.timeliness import publish_due
from disclosure.core.audit import AuditEvent, jsonable
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import DomainError, FieldErrors
from disclosure.core.numbering import Counter, next_value
from disclosure.core.textsearch import index_text_fields
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from disclosure.publicity.importer import inspect_upload, read_rows
from disclosure.web.richtext import html_to_text

CHUNK = 500
PREVIEW_ERRORS = 200
ENTRY_COLUMNS = [c.key for c in Entry.__table__.columns if c.key != "id"]


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
        self._due: dict[dt.date, dt.date] = {}
        self.themes = {t.id: t for t in db.session.execute(select(Theme)).scalars()}
        self.genres = {g.id: g for g in db.session.execute(select(Genre)).scalars()}

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

    def due(self, start: dt.date) -> dt.date:
        hit = self._due.get(start)
        if hit is None:
            hit = self._due[start] = publish_due(start, self.settings.publish_due_days)
        return hit

    def _insert(self, rows: list) -> None:
        now = utcnow()
        wanted: dict[int, int] = {}
        for _row_no, row, _key, values, _files in rows:
            if not row.index_number:
                wanted[values["made_on"].year] = wanted.get(values["made_on"].year, 0) + 1
        self.serials = {year: take_serials(self.agency.id, year, n) for year, n in wanted.items()}
        entries, transients = [], []
        for _row_no, row, key, values, _files in rows:
            entry_row, transient = self._entry_row(row, key, values, now)
            entries.append(entry_row)
            transients.append(transient)
        ids = (
            db.session.execute(insert(Entry).returning(Entry.id, sort_by_parameter_order=True), entries).scalars().all()
        )
        issuers, versions, events, audits, stored = [], [], [], [], []
        for entry_id, entry_row, transient, (row_no, row, _key, values, files) in zip(
            ids, entries, transients, rows, strict=True
        ):
            issuers.append({"entry_id": entry_id, "agency_id": self.agency.id, "lead": True, "position": 0})
            for position, agency_id in enumerate(values["issuer_ids"], start=1):
                issuers.append({"entry_id": entry_id, "agency_id": agency_id, "lead": False, "position": position})
            versions.append(
                {
                    "entry_id": entry_id,
                    "revision": 1,
                    "published_at": now,
                    "published_on": entry_row["published_on"],
                    "attribute": entry_row["attribute"],
                    "title": entry_row["title"],
                    "document_number": entry_row["document_number"],
                    "body_html": entry_row["body_html"],
                    "metadata_json": public_metadata(transient),
                    "attachment_ids": [],
                    "change_note": "",
                    "published_by_id": None,
                }
            )
            events.extend(validity_events(entry_id, entry_row, row, now))
            audits.append(self._audit(entry_id, entry_row, row_no, now))
            stored.extend((entry_id, name, data, kind) for name, data, kind in files)
        db.session.execute(insert(EntryIssuer), issuers)
        version_ids = (
            db.session.execute(insert(EntryVersion).returning(EntryVersion.id, sort_by_parameter_order=True), versions)
            .scalars()
            .all()
        )
        table = Entry.__table__
        db.session.execute(
            table.update().where(table.c.id == bindparam("b_id")).values(published_version_id=bindparam("b_v")),
            [{"b_id": e, "b_v": v} for e, v in zip(ids, version_ids, strict=True)],
        )
        if events:
            db.session.execute(insert(ValidityEvent), events)
        db.session.execute(insert(AuditEvent), audits)
        if stored:
            add_attachments(stored, self.job, versions=dict(zip(ids, version_ids, strict=True)))
        self.report.created += len(ids)

    def _entry_row(self, row, key: str, values: dict, now) -> tuple[dict, Entry]:
        values = dict(values)
        issuer_ids = values.pop("issuer_ids")
        trigger = "import_published" if values["attribute"] == wf.Attribute.PROACTIVE.value else "import_recorded"
        state = wf.fire(wf.States.DRAFT, trigger, {wf.SYSTEM}, wf.Facts(attribute=values["attribute"]))
        made = values["made_on"]
        out = dict.fromkeys(ENTRY_COLUMNS)
        out.update(values)
        out.update(
            agency_id=self.agency.id,
            state=state.value,
            published_on=row.published_on,
            first_published_on=row.published_on,
            revision=1,
            due_on=self.due(values.get("changed_on") or made),
            source="import",
            import_key=key,
            created_by_id=self.job.created_by_id,
            version=1,
            created_at=now,
            updated_at=now,
            withdrawn_reason="",
        )
        validity, since = current_validity(row, values)
        out["validity"], out["validity_since"] = validity, since
        if row.index_number:
            out["index_number"] = row.index_number
        else:
            serial = self.serials[made.year].pop(0)
            number = format_number(
                self.settings.index_format, org=self.agency.org_code, year=made.year, month=made.month, serial=serial
            )
            out.update(index_number=number, index_year=made.year, index_serial=serial)
        public = state is wf.States.PUBLISHED
        out["search_text"] = (
            index_text_fields(
                out["title"],
                out["index_number"],
                out["document_number"],
                out["summary"],
                out["keywords"],
                html_to_text(out["body_html"]),
            )
            if public
            else ""
        )
        transient = Entry(**{k: v for k, v in out.items() if v is not None})
        transient.theme = self.themes.get(out["theme_id"]) if out["theme_id"] else None
        transient.genre = self.genres.get(out["genre_id"]) if out["genre_id"] else None
        transient.issuers = [EntryIssuer(agency_id=self.agency.id, lead=True, position=0)] + [
            EntryIssuer(agency_id=a, lead=False, position=i) for i, a in enumerate(issuer_ids, start=1)
        ]
        return out, transient

    def _audit(self, entry_id: int, entry_row: dict, row_no: int, now) -> dict:
        trigger = "import_published" if entry_row["state"] == wf.States.PUBLISHED.value else "import_recorded"
        return {
            "occurred_at": now,
            "actor_id": getattr(self.actor, "id", None),
            "actor_label": self.actor.display_name if self.actor else "system",
            "agency_id": self.agency.id,
            "object_type": Entry.audit_type,
            "object_id": str(entry_id),
            "action": f"catalog.{trigger}",
            "before": None,
            "after": jsonable(
                {
                    "import": self.job.id,
                    "row": row_no,
                    "state": entry_row["state"],
                    "index_number": entry_row["index_number"],
                    "title": entry_row["title"],
                    "document_number": entry_row["document_number"],
                    "attribute": entry_row["attribute"],
                    "published_on": entry_row["published_on"],
                    "validity": entry_row["validity"],
                }
            ),
            "reason": None,
            "ip_address": None,
        }


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
    issued_here = select(EntryIssuer.entry_id).where(EntryIssuer.agency_id == agency_id)
    rows = db.session.execute(
        select(Entry)
        .where(
            Entry.document_number_key.in_(keys),
            Entry.state != wf.States.ABANDONED.value,
            (Entry.agency_id == agency_id) | Entry.id.in_(issued_here),
        )
        .order_by(Entry.id.desc())
    ).scalars()
    return {e.document_number_key: e for e in rows}


def current_validity(row: columns.ParsedRow, values: dict) -> tuple[str, dt.date | None]:
    """The validity an imported entry has now, and since when."""
    if row.validity in (Validity.EXPIRED.value, Validity.REPEALED.value):
        return row.validity, row.ended_on
    return Validity.VALID.value, values.get("in_force_on") or row.published_on


def validity_events(entry_id: int, entry_row: dict, row: columns.ParsedRow, now) -> list[dict]:
    """The history an imported document comes with (change IMPORTED): valid from its publication, then 失效 or
    废止 from the 废止日期. Only for normative documents and rows that state a validity."""
    if not row.validity and not DocKind(entry_row["doc_kind"]).normative:
        return []
    start = entry_row.get("in_force_on") or entry_row["published_on"]
    base = {"entry_id": entry_id, "change": ValidityChange.IMPORTED.value, "applied": True, "created_at": now}
    base.update(cause_entry_id=None, cleanup_id=None, reason="")
    events = [{**base, "validity": Validity.VALID.value, "effective_on": start}]
    if entry_row["validity"] != Validity.VALID.value:
        events.append({**base, "validity": entry_row["validity"], "effective_on": entry_row["validity_since"]})
    return events


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
    fmt = inspect_upload(data)
    total, rows = read_rows(data, fmt)
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
