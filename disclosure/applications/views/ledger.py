"""Importing the office's request ledger (依申请公开台账, issue 13 §2) from the staff pages: the upload form with the
template, the job's page with its progress bar (the page polls the status as JSON; it works without script), and
the error file. Registrars, office heads and the agency's administrators import."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.applications import ledger
from disclosure.applications.ledger.models import LedgerImport, LedgerImportStatus
from disclosure.applications.ledger.writing import sheet_limits
from disclosure.applications.views.staff import staff_bp
from disclosure.core.errors import DomainError
from disclosure.core.storage import StoredFile
from disclosure.extensions import db
from disclosure.web.access import staff_object, staff_required
from disclosure.web.downloads import send_download
from disclosure.web.forms import show_errors

IMPORTERS = (Role.REGISTRAR, Role.OFFICE_HEAD, Role.AGENCY_ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {
    LedgerImportStatus.QUEUED.value: lazy_pgettext("applications", "Waiting"),  # a queued import: 等待中
    LedgerImportStatus.RUNNING.value: _l("Running"),
    LedgerImportStatus.DONE.value: _l("Finished"),
    LedgerImportStatus.FAILED.value: _l("Failed"),
}


class LedgerForm(FlaskForm):
    file = FileField(_l("Request ledger (XLSX or CSV)"), validators=[FileRequired()])


def _agency() -> Agency:
    agency = db.session.get(Agency, current_user.agency_id) if current_user.agency_id else None
    if agency is None:
        abort(403)
    return agency


@staff_bp.route("/ledger", methods=["GET", "POST"])
@staff_required(*IMPORTERS)
def ledger_import():
    agency = _agency()
    max_bytes = sheet_limits()["max_bytes"]
    if request.method == "POST" and (request.content_length or 0) > max_bytes + 64 * 1024:
        flash(_("The upload is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)), "error")
        return redirect(url_for(".ledger_import")), 303
    form = LedgerForm()
    loose: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            job = ledger.start_import(
                agency,
                current_user,
                data=upload.read(max_bytes + 1),
                filename=upload.filename or "",
                locale=str(get_locale() or "zh_CN"),
            )
        except DomainError as exc:
            db.session.rollback()
            loose = show_errors(form, exc, default="file")
        else:
            return redirect(url_for(".ledger_job", job_id=job.id))
    jobs = db.session.execute(
        select(LedgerImport).where(LedgerImport.agency_id == agency.id).order_by(LedgerImport.id.desc()).limit(30)
    ).scalars()
    status = 400 if request.method == "POST" else 200
    return render_template(
        "applications/ledger.html",
        form=form,
        jobs=list(jobs),
        loose=loose,
        labels=STATUS_LABELS,
        max_mb=max_bytes // (1024 * 1024),
    ), status


@staff_bp.route("/ledger/<int:job_id>")
@staff_required(*IMPORTERS)
def ledger_job(job_id: int):
    job = staff_object(db.session.get(LedgerImport, job_id))
    return render_template("applications/ledger_job.html", job=job, labels=STATUS_LABELS)


@staff_bp.route("/ledger/<int:job_id>/status.json")
@staff_required(*IMPORTERS)
def ledger_status(job_id: int):
    job = staff_object(db.session.get(LedgerImport, job_id))
    return jsonify(
        {
            "status": job.status,
            "status_label": str(STATUS_LABELS.get(job.status, job.status)),
            "percent": job.progress_percent,
            "processed": job.processed_rows,
            "total": job.total_rows,
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
            "open": job.open_count,
            "errors": job.error_count,
            "failure": job.failure,
            "done": job.finished,
        }
    )


@staff_bp.route("/ledger/<int:job_id>/errors.xlsx")
@staff_required(*IMPORTERS)
def ledger_errors(job_id: int):
    job = staff_object(db.session.get(LedgerImport, job_id))
    if job.error_file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, job.error_file_id)
    return send_download(
        stored.read_bytes(), mimetype=XLSX, name=stored.original_name, ascii_name=f"ledger-import-{job.id}-errors.xlsx"
    )


@staff_bp.route("/ledger/template.xlsx")
@staff_required(*IMPORTERS)
def ledger_template():
    return send_download(
        ledger.template_workbook(),
        mimetype=XLSX,
        name="依申请公开台账-导入模板.xlsx",
        ascii_name="request-ledger-template.xlsx",
    )
