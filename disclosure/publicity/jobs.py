"""Running an import job outside a request: progress committed chunk by chunk, failures recorded on the job."""

from __future__ import annotations

from flask_babel import force_locale

from disclosure.core.errors import DomainError
from disclosure.core.storage import StoredFile
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from disclosure.publicity.importer import import_file
from disclosure.publicity.models import ImportJob, JobStatus


def process_import(job_id: int) -> str | None:
    """Run a queued import; returns its final status, or None when the job row is not visible yet.

    Each chunk's rows are committed with the job's progress, so a page polling the job sees the bar move and a
    crash keeps what was already stored (every row stands alone: a row is either stored whole or reported)."""
    job = db.session.get(ImportJob, job_id)
    if job is None:
        return None
    if job.status != JobStatus.QUEUED:
        return job.status
    job.status = JobStatus.RUNNING
    db.session.commit()

    data = db.session.get(StoredFile, job.file_id).read_bytes()
    try:
        with force_locale(job.locale):
            import_file(job, data, progress=lambda _job: db.session.commit())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        job = db.session.get(ImportJob, job_id)
        with force_locale(job.locale):
            job.failure = str(exc.message)
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        db.session.commit()
    except Exception:
        db.session.rollback()
        job = db.session.get(ImportJob, job_id)
        job.failure = "internal error"
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        db.session.commit()
        raise
    return job.status
