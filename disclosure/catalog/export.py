"""Archives and libraries (条例 Art. 25; issue 11 §5): an agency's entries published in a period, as one ZIP holding
the attachment files each published version names and an XLSX of their metadata (目录.xlsx), for the national
archives and public libraries.

A period of up to `sync_entries()` entries is built during the request and downloaded at once; a larger one is an
export job (`CatalogExport`) the worker builds into a stored file (`core.storage`) while its page shows the
progress, up to `max_entries()` entries. Either way the entries are read in pages along their publication order,
the files are read from storage one at a time and written into the ZIP on a temporary file (never held in memory
together), and spreadsheet cells that would run as formulas are neutralised (`core.spreadsheets`).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import func, select, tuple_

from disclosure.accounts.models import Agency, User
from disclosure.catalog import platform
from disclosure.catalog.classification import CATEGORY_ARTICLES
from disclosure.catalog.importer.jobs import claim
from disclosure.catalog.models import CatalogExport, Entry, EntryAttachment, EntryVersion, ImportStatus
from disclosure.core.errors import DomainError
from disclosure.core.jobs import huey, run_when_visible, with_app
from disclosure.core.spreadsheets import cell_text
from disclosure.core.storage import store_path
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

ZIP = "application/zip"
PAGE = 500  # entries read per query, and progress committed per page in the worker
HEADERS = (
    "索引号",
    "标题",
    "发文机关",
    "发文字号",
    "成文日期",
    "发布日期",
    "主题分类",
    "体裁分类",
    "法定主动公开事项",
    "有效性",
    "内容概述",
    "版本",
    "附件",
)
VALIDITY = {"valid": "有效", "expired": "失效", "repealed": "废止"}


def sync_entries() -> int:
    """The largest export built during the request (`CATALOG_EXPORT_SYNC_ENTRIES`); larger ones go to the worker."""
    return int(current_app.config.get("CATALOG_EXPORT_SYNC_ENTRIES", 1_000))


def max_entries() -> int:
    """The largest export at all (`CATALOG_EXPORT_MAX_ENTRIES`): a larger period is refused (choose a shorter one)."""
    return int(current_app.config.get("CATALOG_EXPORT_MAX_ENTRIES", 200_000))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def _published(agency: Agency, period: Period):
    return (
        *platform.public_condition(),
        platform.issued_by(agency.id),
        EntryVersion.published_on >= period.start,
        EntryVersion.published_on <= period.end,
    )


def count_published(agency: Agency, period: Period) -> int:
    """How many of the agency's public entries (alone or as joint issuer) have their current version published in
    the period."""
    query = (
        select(func.count())
        .select_from(Entry)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(*_published(agency, period))
    )
    return db.session.execute(query).scalar_one()


def entries_published(agency: Agency, period: Period) -> Iterator[tuple[Entry, EntryVersion]]:
    """Those entries with their published versions, in order of publication, read a page at a time (keyset)."""
    after: tuple[dt.date, int] | None = None
    while True:
        query = (
            select(Entry, EntryVersion)
            .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
            .where(*_published(agency, period))
            .order_by(EntryVersion.published_on, Entry.id)
            .limit(PAGE)
        )
        if after is not None:
            query = query.where(tuple_(EntryVersion.published_on, Entry.id) > after)
        rows = [tuple(r) for r in db.session.execute(query).all()]
        yield from rows
        if len(rows) < PAGE:
            return
        after = (rows[-1][1].published_on, rows[-1][0].id)


def _member_name(number: str, position: int, name: str, used: set[str]) -> str:
    """A ZIP member path from the index number (its "/" becomes "_") and the file's display name, unique."""
    folder = number.replace("/", "_").replace("\\", "_").strip(". ") or "entry"
    base = name.replace("/", "_").replace("\\", "_").strip(". ") or f"file-{position}"
    candidate = f"附件/{folder}/{position:02d}-{base}"
    n = 1
    while candidate in used:
        n += 1
        candidate = f"附件/{folder}/{position:02d}-{n}-{base}"
    used.add(candidate)
    return candidate


def write_archive(
    agency: Agency, period: Period, target: BinaryIO, *, progress: Callable[[int], None] | None = None
) -> int:
    """Write the ZIP to `target`; the number of entries. `progress(n)` is called after every page of entries."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("目录")
    ws.append(list(HEADERS))
    used: set[str] = set()
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for entry, version in entries_published(agency, period):
            names = _write_files(zf, entry, version, used)
            ws.append([cell_text(v) for v in _catalogue_row(entry, version, names)])
            count += 1
            if progress is not None and count % PAGE == 0:
                progress(count)
        sheet = io.BytesIO()
        wb.save(sheet)
        zf.writestr("目录.xlsx", sheet.getvalue())
    return count


def _write_files(zf: zipfile.ZipFile, entry: Entry, version: EntryVersion, used: set[str]) -> list[str]:
    ids = list(version.attachment_ids or [])
    if not ids:
        return []
    attachments = {
        a.id: a
        for a in db.session.execute(
            select(EntryAttachment).where(EntryAttachment.id.in_(ids), EntryAttachment.entry_id == entry.id)
        ).scalars()
    }
    names = []
    for position, att_id in enumerate(ids, start=1):
        att = attachments.get(att_id)
        if att is None:
            continue
        member = _member_name(entry.index_number or str(entry.id), position, att.file.original_name, used)
        try:
            zf.write(att.file.path, member)
        except FileNotFoundError:
            continue
        names.append(member)
    return names


def _catalogue_row(entry: Entry, version: EntryVersion, names: list[str]) -> tuple:
    meta = version.metadata_json or {}
    return (
        entry.index_number,
        version.title,
        "、".join(meta.get("issuers") or []),
        version.document_number,
        meta.get("made_on"),
        version.published_on,
        meta.get("theme", ""),
        meta.get("genre", ""),
        CATEGORY_ARTICLES.get(meta.get("category", ""), ""),
        VALIDITY.get(entry.validity, entry.validity),
        meta.get("summary", ""),
        version.revision,
        "\n".join(names),
    )


def build_archive(agency: Agency, period: Period) -> tuple[bytes, int]:
    """(the ZIP's bytes, the number of entries) of a period small enough for the request. Raises ValueError when it
    holds more than `sync_entries()`: that one is started as a job (`start_export`)."""
    if count_published(agency, period) > sync_entries():
        raise ValueError("too many entries for the request")
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        count = write_archive(agency, period, spool)
        spool.seek(0)
        return spool.read(), count


def archive_name(agency: Agency, period: Period) -> tuple[str, str]:
    """(the download's name, its ASCII fallback)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    return f"{agency.short_name}政府信息-{start}至{end}.zip", f"catalog-{agency.slug}-{start}-{end}.zip"


# --- Exports in the background ---------------------------------------------------------------------------------


def start_export(agency: Agency, user: User | None, period: Period) -> CatalogExport:
    """An export job for a period too large for the request, built by the worker. Refused (field `end`) when the
    period holds no entry or more than `max_entries()`."""
    total = count_published(agency, period)
    if total == 0:
        raise DomainError(_l("Nothing was published in this period."), field="end")
    if total > max_entries():
        raise DomainError(
            _l("More than %(n)d entries were published in this period: choose a shorter one.", n=max_entries()),
            field="end",
        )
    job = CatalogExport(
        agency_id=agency.id,
        start=period.start,
        end=period.end,
        total_entries=total,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(job)
    db.session.flush()
    job.log(
        "catalog.export.start",
        after={"start": period.start.isoformat(), "end": period.end.isoformat(), "entries": total},
        actor=user,
    )
    run_catalog_export(job.id)
    return job


def process_export(job_id: int) -> str | None:
    """Build a queued export (the worker; commits its progress). Its final status, or None while the job row is
    not visible yet (the request that created it has not committed)."""
    job, status = claim(CatalogExport, job_id)
    if job is None:
        return status
    agency = db.session.get(Agency, job.agency_id)
    period = Period(job.start, job.end)

    def progress(n: int) -> None:
        job.processed_entries = n
        db.session.commit()

    try:
        with tempfile.TemporaryDirectory(prefix="catalog-export-") as folder:
            path = Path(folder) / "export.zip"
            with open(path, "wb") as target:
                count = write_archive(agency, period, target, progress=progress)
            name, _ascii = archive_name(agency, period)
            stored = store_path(path, original_name=name, content_type=ZIP, agency_id=agency.id)
            stored.uploaded_by_id = job.created_by_id
            db.session.flush()
    except Exception:
        db.session.rollback()
        job = db.session.get(CatalogExport, job_id)
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            job.failure = str(_l("The export stopped on an internal error. Start it again."))
        job.status, job.finished_at = ImportStatus.FAILED.value, utcnow()
        db.session.commit()
        raise
    job.file_id, job.processed_entries, job.total_entries = stored.id, count, count
    job.status, job.finished_at = ImportStatus.DONE.value, utcnow()
    job.log("catalog.export.done", after={"entries": count, "file": stored.id})
    db.session.commit()
    return job.status


@huey.task(retries=5, retry_delay=2)
@with_app
def run_catalog_export(job_id: int) -> str:
    return run_when_visible(process_export, job_id)
