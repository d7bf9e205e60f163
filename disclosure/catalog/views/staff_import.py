"""Importing an existing catalogue from the staff pages (issue 11 §6): the upload form, the job's page with its
progress bar (the page polls the status as JSON; it works without script), the error file and the template."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

from disclosure.accounts.roles import Role
from disclosure.catalog import importer
from disclosure.catalog.importer.attachments import max_archive_bytes
from disclosure.catalog.importer.columns import sheet_limits
from disclosure.catalog.models import CatalogImport, ImportStatus
from disclosure.catalog.views.common import own_agency, staff_bp
from disclosure.core.errors import DomainError
from disclosure.core.storage import StoredFile
from disclosure.extensions import db
from disclosure.web.access import staff_object, staff_required
from disclosure.web.downloads import send_download
from disclosure.web.forms import show_errors

IMPORTERS = (Role.CATALOG_EDITOR, Role.AGENCY_ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {
    ImportStatus.QUEUED.value: lazy_pgettext("catalog", "Waiting"),
    ImportStatus.RUNNING.value: lazy_pgettext("catalog", "Running"),
    ImportStatus.DONE.value: _l("Finished"),
    ImportStatus.FAILED.value: _l("Failed"),
}


class ImportForm(FlaskForm):
    file = FileField(_l("Catalogue file (XLSX or CSV)"), validators=[FileRequired()])
    files = FileField(_l("Attachments (one ZIP holding the files the 附件 column names)"))


def _limit() -> int:
    return sheet_limits()["max_bytes"] + max_archive_bytes()


@staff_bp.route("/import", methods=["GET", "POST"])
@staff_required(*IMPORTERS)
def imports():
    agency = own_agency()
    if request.method == "POST" and (request.content_length or 0) > _limit() + 64 * 1024:
        flash(_("The upload is larger than %(mb)d MB.", mb=_limit() // (1024 * 1024)), "error")
        return redirect(url_for(".imports")), 303
    form = ImportForm()
    loose: list[str] = []
    if form.validate_on_submit():
        upload, archive = form.file.data, form.files.data
        try:
            job = importer.start_import(
                agency,
                current_user,
                data=upload.read(sheet_limits()["max_bytes"] + 1),
                filename=upload.filename or "",
                files=archive.read(max_archive_bytes() + 1) if archive and archive.filename else None,
                files_name=(archive.filename or "") if archive else "",
                locale=str(get_locale() or "zh_CN"),
            )
        except DomainError as exc:
            db.session.rollback()
            loose = show_errors(form, exc, default="file")
        else:
            return redirect(url_for(".import_job", job_id=job.id))
    jobs = db.session.execute(
        select(CatalogImport).where(CatalogImport.agency_id == agency.id).order_by(CatalogImport.id.desc()).limit(30)
    ).scalars()
    status = 400 if request.method == "POST" else 200
    return render_template(
        "catalog/staff/import.html",
        form=form,
        jobs=list(jobs),
        loose=loose,
        labels=STATUS_LABELS,
        max_mb=sheet_limits()["max_bytes"] // (1024 * 1024),
        zip_mb=max_archive_bytes() // (1024 * 1024),
    ), status


@staff_bp.route("/import/<int:job_id>")
@staff_required(*IMPORTERS)
def import_job(job_id: int):
    job = staff_object(db.session.get(CatalogImport, job_id))
    return render_template("catalog/staff/import_job.html", job=job, labels=STATUS_LABELS)


@staff_bp.route("/import/<int:job_id>/status.json")
@staff_required(*IMPORTERS)
def import_status(job_id: int):
    job = staff_object(db.session.get(CatalogImport, job_id))
    return job_status(
        job,
        STATUS_LABELS,
        processed=job.processed_rows,
        total=job.total_rows,
        created=job.created_count,
        updated=job.updated_count,
        unchanged=job.unchanged_count,
        errors=job.error_count,
    )


def job_status(job, labels: dict, **counts):
    """A background job's status as the progress bar reads it (static/js/job-progress.js), with its counts."""
    return jsonify(
        {
            "status": job.status,
            "status_label": str(labels.get(job.status, job.status)),
            "percent": job.progress_percent,
            "failure": job.failure,
            "done": job.status in (ImportStatus.DONE.value, ImportStatus.FAILED.value),
            **counts,
        }
    )


@staff_bp.route("/import/<int:job_id>/errors.xlsx")
@staff_required(*IMPORTERS)
def import_errors(job_id: int):
    job = staff_object(db.session.get(CatalogImport, job_id))
    if job.error_file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, job.error_file_id)
    return send_download(
        stored.read_bytes(), mimetype=XLSX, name=stored.original_name, ascii_name=f"catalog-import-{job.id}-errors.xlsx"
    )


@staff_bp.route("/import/template.xlsx")
@staff_required(*IMPORTERS)
def import_template():
    data = importer.template_workbook()
    return send_download(data, mimetype=XLSX, name="政府信息公开目录-导入模板.xlsx", ascii_name="catalog-template.xlsx")
