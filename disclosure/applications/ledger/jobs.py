"""The ledger import as a job: store the upload, then import it at once (a small file, during the request) or in
the worker with its progress committed chunk by chunk; the error file of the refused rows; every run audited."""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from disclosure.accounts.models import Agency, User
from disclosure.applications.ledger import writing
from disclosure.applications.ledger.columns import ERROR_COLUMN, ROW_COLUMN
from disclosure.applications.ledger.models import LedgerImport, LedgerImportStatus
from disclosure.core import spreadsheets
from disclosure.core.errors import DomainError
from disclosure.core.jobs import huey, run_when_visible, with_app
from disclosure.core.spreadsheets import safe_cell
from disclosure.core.storage import StoredFile, store
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start_import(
    agency: Agency, user: User | None, *, data: bytes, filename: str, locale: str = "zh_CN", background=None
) -> LedgerImport:
    """Check and store the upload (field `file`), create the job, and run it now (a file up to the sync size,
    unless `background`) or queue it for the worker."""
    lim = writing.sheet_limits()
    try:
        spreadsheets.inspect_upload(data, lim)
    except DomainError as exc:
        raise DomainError(exc.message, field="file") from None
    owner = getattr(user, "id", None)
    sheet = store(data, original_name=filename or "ledger.xlsx", content_type=XLSX, agency_id=agency.id)
    sheet.uploaded_by_id = owner
    db.session.flush()
    job = LedgerImport(
        agency_id=agency.id, file_id=sheet.id, filename=sheet.original_name, locale=locale, created_by_id=owner
    )
    db.session.add(job)
    db.session.flush()
    job.log("application.ledger_import.start", after={"file": job.filename}, actor=user)
    if background is None:
        background = len(data) > lim["sync_bytes"]
    if not background:
        try:
            with force_locale(locale):
                run_job(job, data, user)
        except DomainError as exc:
            raise DomainError(exc.message, field="file") from None
    else:
        run_ledger_import(job.id)
    return job


def run_job(job: LedgerImport, data: bytes, actor: User | None, *, progress=None) -> None:
    """Import every row, then record the outcome on the job (the caller commits)."""
    job.status = LedgerImportStatus.RUNNING.value
    agency = db.session.get(Agency, job.agency_id)
    header, report = writing.run(job, agency, data, actor, progress=progress)
    job.processed_rows = job.total_rows = max(job.total_rows, job.processed_rows)
    job.created_count, job.updated_count, job.unchanged_count = report.created, report.updated, report.unchanged
    job.open_count = report.opened
    job.error_count = len(report.invalid_rows)
    job.errors_preview = [list(e) for e in sorted(report.errors)[: writing.PREVIEW_ERRORS]]
    if report.invalid_rows:
        job.error_file_id = write_error_file(job, header, report).id
    job.status, job.finished_at = LedgerImportStatus.DONE.value, utcnow()
    job.log(
        "application.ledger_import.done",
        after={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "open": report.opened,
            "invalid": job.error_count,
        },
        actor=actor,
    )


def write_error_file(job: LedgerImport, header: list[str], report: writing.Report) -> StoredFile:
    """The refused rows in the file's own columns with their reasons (fix them there and import the sheet again:
    the two extra columns are ignored), and every error by row and column."""
    wb = Workbook(write_only=True)
    rows = wb.create_sheet("待修正数据")
    rows.append([safe_cell(h) for h in header] + [ROW_COLUMN, ERROR_COLUMN])
    width = len(header)
    for row_no in sorted(report.invalid_rows):
        raw, reasons = report.invalid_rows[row_no]
        cells = [safe_cell(raw[i]) if i < len(raw) else None for i in range(width)]
        rows.append([*cells, row_no, safe_cell("；".join(reasons))])
    listing = wb.create_sheet("错误清单")
    listing.append(["行号", "列", "错误原因"])
    for row_no, column, message in sorted(report.errors):
        listing.append([row_no, column, safe_cell(message)])
    buf = io.BytesIO()
    wb.save(buf)
    stored = store(
        buf.getvalue(),
        original_name=f"ledger-import-{job.id}-errors.xlsx",
        content_type=XLSX,
        agency_id=job.agency_id,
        uploaded_by_id=job.created_by_id,
    )
    db.session.flush()
    return stored


def process_import(job_id: int) -> str | None:
    """Run a queued import in the worker; its final status, or None while the job row is not visible yet."""
    job = db.session.get(LedgerImport, job_id)
    if job is None:
        return None
    if job.status != LedgerImportStatus.QUEUED.value:
        return job.status
    job.status = LedgerImportStatus.RUNNING.value
    db.session.commit()
    data = db.session.get(StoredFile, job.file_id).read_bytes()
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    try:
        with force_locale(job.locale):
            run_job(job, data, actor, progress=lambda _job: db.session.commit())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        job = db.session.get(LedgerImport, job_id)
        with force_locale(job.locale):
            job.failure = str(exc.message)
        job.status, job.finished_at = LedgerImportStatus.FAILED.value, utcnow()
        job.log("application.ledger_import.failed", after={"failure": job.failure})
        db.session.commit()
    except Exception:
        db.session.rollback()
        job = db.session.get(LedgerImport, job_id)
        job.failure = str(_l("The import stopped on an internal error; the rows stored so far are kept."))
        job.status, job.finished_at = LedgerImportStatus.FAILED.value, utcnow()
        job.log("application.ledger_import.failed", after={"failure": "internal error"})
        db.session.commit()
        raise
    return job.status


@huey.task(retries=5, retry_delay=2)
@with_app
def run_ledger_import(job_id: int) -> str:
    return run_when_visible(process_import, job_id)
