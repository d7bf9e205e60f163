"""The import as a job: store the upload, then import it at once (a small file without attachments) or in the
worker, chunk by chunk with its progress committed, then read the attachments' text, still in the worker."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.catalog.importer import writing
from disclosure.catalog.importer.attachments import AttachmentArchive
from disclosure.catalog.importer.columns import sheet_limits
from disclosure.catalog.importer.report import write_error_file
from disclosure.catalog.models import CatalogImport, Entry, EntryAttachment, ImportStatus
from disclosure.catalog.operations import attachments as attachment_ops
from disclosure.core import spreadsheets
from disclosure.core.errors import DomainError
from disclosure.core.jobs import huey, run_when_visible, with_app
from disclosure.core.storage import StoredFile, store
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sync_bytes() -> int:
    return sheet_limits()["sync_bytes"]


def start_import(
    agency: Agency,
    user: User | None,
    *,
    data: bytes,
    filename: str,
    files: bytes | None = None,
    files_name: str = "",
    locale: str = "zh_CN",
) -> CatalogImport:
    """Check and store the upload (field `file`) and the ZIP of attachments (field `files`), create the job, and
    run it now or queue it for the worker."""
    try:
        spreadsheets.inspect_upload(data, sheet_limits())
    except DomainError as exc:
        raise DomainError(exc.message, field="file") from None
    if files is not None:
        AttachmentArchive(files)  # refused here, before anything is stored
    owner = getattr(user, "id", None)
    sheet = store(data, original_name=filename or "import.xlsx", content_type=XLSX, agency_id=agency.id)
    sheet.uploaded_by_id = owner
    archive = None
    if files is not None:
        archive = store(files, original_name=files_name or "attachments.zip", content_type="application/zip")
        archive.agency_id, archive.uploaded_by_id = agency.id, owner
    db.session.flush()
    job = CatalogImport(
        agency_id=agency.id,
        file_id=sheet.id,
        filename=sheet.original_name,
        files_id=archive.id if archive else None,
        files_name=archive.original_name if archive else "",
        locale=locale,
        created_by_id=owner,
    )
    db.session.add(job)
    db.session.flush()
    job.log("catalog.import.start", after={"file": job.filename, "files": job.files_name or None}, actor=user)
    if files is None and len(data) <= sync_bytes():
        with force_locale(locale):  # the file's refusal in the importer's language, as its row errors
            try:
                run_job(job, data, None)
            except DomainError as exc:
                raise DomainError(str(exc.message), field="file") from None
    else:
        run_catalog_import(job.id)
    return job


def run_job(job: CatalogImport, data: bytes, archive: AttachmentArchive | None, *, progress=None) -> None:
    """Import every row, then record the outcome on the job (the caller commits)."""
    job.status = ImportStatus.RUNNING.value
    report, header = writing.run(job, data, archive, progress=progress)
    job.processed_rows = job.total_rows = max(job.total_rows, job.processed_rows)
    job.created_count, job.updated_count, job.unchanged_count = report.created, report.updated, report.unchanged
    job.error_count = len(report.invalid_rows)
    job.errors_preview = [list(e) for e in report.errors[: writing.PREVIEW_ERRORS]]
    if report.invalid_rows:
        job.error_file_id = write_error_file(job, header, report).id
    job.status, job.finished_at = ImportStatus.DONE.value, utcnow()
    job.log(
        "catalog.import.done",
        after={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "invalid": job.error_count,
        },
        actor=db.session.get(User, job.created_by_id) if job.created_by_id else None,
    )


def claim(model, job_id: int):
    """(the queued job, now marked running and committed, None) for the worker to run, or (None, its status): a job
    already run or running is not run twice, and one not visible yet (status None) is retried."""
    job = db.session.get(model, job_id)
    if job is None:
        return None, None
    if job.status != ImportStatus.QUEUED.value:
        return None, job.status
    job.status = ImportStatus.RUNNING.value
    db.session.commit()
    return job, None


def process_import(job_id: int) -> str | None:
    """Run a queued import in the worker; its final status, or None while the job row is not visible yet."""
    job, status = claim(CatalogImport, job_id)
    if job is None:
        return status
    data = db.session.get(StoredFile, job.file_id).read_bytes()
    try:
        with force_locale(job.locale):
            archive = AttachmentArchive(db.session.get(StoredFile, job.files_id).read_bytes()) if job.files_id else None
            run_job(job, data, archive, progress=lambda _job: db.session.commit())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        job = db.session.get(CatalogImport, job_id)
        with force_locale(job.locale):
            job.failure = str(exc.message)
        job.status, job.finished_at = ImportStatus.FAILED.value, utcnow()
        db.session.commit()
        return job.status
    except Exception:
        db.session.rollback()
        job = db.session.get(CatalogImport, job_id)
        job.failure = str(_l("The import stopped on an internal error; the rows stored so far are kept."))
        job.status, job.finished_at = ImportStatus.FAILED.value, utcnow()
        db.session.commit()
        raise
    extract_texts(job)
    return ImportStatus.DONE.value


def extract_texts(job: CatalogImport) -> int:
    """Read the text of the attachments this import brought (the worker; each read commits on its own)."""
    ids = list(
        db.session.execute(
            select(EntryAttachment.id)
            .join(Entry, Entry.id == EntryAttachment.entry_id)
            .where(
                Entry.agency_id == job.agency_id,
                Entry.source == "import",
                EntryAttachment.text_status == attachment_ops.TEXT_PENDING,
            )
            .order_by(EntryAttachment.id)
        ).scalars()
    )
    db.session.rollback()
    for attachment_id in ids:
        attachment_ops.extract_attachment_text(attachment_id)
    return len(ids)


@huey.task(retries=5, retry_delay=2)
@with_app
def run_catalog_import(job_id: int) -> str:
    return run_when_visible(process_import, job_id)
