"""Building a large standing book in the worker: the workbook written to a temporary file (rows streamed, never held
together) with the progress committed every few thousand rows, then stored (`core.storage`) and offered on the
job's page; a failure recorded on the job (issue 14 §2)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from disclosure.accounts.models import Agency
from disclosure.core.jobs import huey, run_when_visible, with_app
from disclosure.core.storage import store_path
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.supervision.standing_book import book
from disclosure.supervision.standing_book.models import JobStatus, StandingBookJob


def claim(job_id: int) -> tuple[StandingBookJob | None, str | None]:
    """(the queued job, now marked running and committed, None), or (None, its status): a job already run or
    running is not run twice, and one not visible yet (status None) is retried."""
    job = db.session.get(StandingBookJob, job_id)
    if job is None:
        return None, None
    if job.status != JobStatus.QUEUED.value:
        return None, job.status
    job.status = JobStatus.RUNNING.value
    db.session.commit()
    return job, None


def process_book(job_id: int) -> str | None:
    """Build a queued book (the worker; commits its progress). Its final status, or None while the job row is not
    visible yet (the request that created it has not committed)."""
    job, status = claim(job_id)
    if job is None:
        return status
    agency = db.session.get(Agency, job.agency_id)
    period = job.period

    def progress(n: int) -> None:
        job.processed_rows = n
        db.session.commit()

    try:
        with tempfile.TemporaryDirectory(prefix="standing-book-") as folder:
            path = Path(folder) / "book.xlsx"
            with open(path, "wb") as target:
                rows = book.write_book(agency, period, target, today=today_china(), progress=progress)
            name, _ascii = book.book_name(agency, period)
            stored = store_path(path, original_name=name, content_type=book.XLSX, agency_id=agency.id)
            stored.uploaded_by_id = job.created_by_id
            db.session.flush()
    except Exception:
        db.session.rollback()
        job = db.session.get(StandingBookJob, job_id)
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            job.failure = str(_l("The standing book stopped on an internal error. Start it again."))
        job.status, job.finished_at = JobStatus.FAILED.value, utcnow()
        job.log("supervision.standing_book.failed", after={"failure": "internal error"})
        db.session.commit()
        raise
    job.file_id, job.processed_rows, job.total_rows = stored.id, rows, rows
    job.status, job.finished_at = JobStatus.DONE.value, utcnow()
    job.log("supervision.standing_book.done", after={"rows": rows, "file": stored.id})
    db.session.commit()
    return job.status


@huey.task(retries=5, retry_delay=2)
@with_app
def run_standing_book(job_id: int) -> str:
    return run_when_visible(process_book, job_id)
