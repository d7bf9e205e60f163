"""Staff export for archives and libraries (条例 Art. 25): the agency's entries published in a period as a ZIP of
their files with an XLSX of their metadata. A small period is downloaded at once; a larger one is prepared by the
worker (a POST starts it) and downloaded from its status page when ready. Staff of the agency only (its own
catalogue and its own exports, never another's)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from disclosure.catalog import export
from disclosure.catalog.models import CatalogExport, ImportStatus
from disclosure.catalog.views.common import READERS, own_agency, staff_bp
from disclosure.catalog.views.staff_import import job_status
from disclosure.core.errors import DomainError
from disclosure.core.storage import StoredFile
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.web.downloads import content_disposition, send_download
from disclosure.web.forms import show_errors

MAX_DAYS = 366 * 5
STATUS_LABELS = {
    ImportStatus.QUEUED.value: lazy_pgettext("catalog", "Waiting"),
    ImportStatus.RUNNING.value: lazy_pgettext("catalog", "Running"),
    ImportStatus.DONE.value: _l("Ready"),
    ImportStatus.FAILED.value: _l("Failed"),
}


class ExportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that changes nothing

    start = DateField(_l("Published from"), validators=[InputRequired(_l("Enter the first day of the period."))])
    end = DateField(_l("Published until"), validators=[InputRequired(_l("Enter the last day of the period."))])


class BackgroundForm(FlaskForm):
    """The same period, posted with its CSRF token to start an export job."""

    start = DateField(
        _l("Published from"), validators=[InputRequired(_l("Enter the first day of the period."))], widget=HiddenInput()
    )
    end = DateField(
        _l("Published until"), validators=[InputRequired(_l("Enter the last day of the period."))], widget=HiddenInput()
    )


def period_of(form) -> export.Period | None:
    """The form's period, or None with every error beside its field."""
    if not form.validate():
        return None
    if form.end.data < form.start.data:
        form.end.errors = [*form.end.errors, _l("The period cannot end before it starts.")]
        return None
    if (form.end.data - form.start.data).days > MAX_DAYS:
        form.end.errors = [*form.end.errors, _l("Choose a period of at most five years.")]
        return None
    return export.Period(form.start.data, form.end.data)


def _page(form, agency, *, pending=None, status=200, loose=()):
    exports = db.session.execute(
        select(CatalogExport).where(CatalogExport.agency_id == agency.id).order_by(CatalogExport.id.desc()).limit(10)
    ).scalars()
    return render_template(
        "catalog/public/staff_export.html",
        form=form,
        agency=agency,
        pending=pending,
        exports=list(exports),
        labels=STATUS_LABELS,
        sync_entries=export.sync_entries(),
        loose=list(loose),
    ), status


@staff_bp.route("/export")
@staff_required(*READERS)
def archive_export():
    agency = own_agency()
    form = ExportForm(request.args)
    if not request.args:
        return _page(form, agency)
    period = period_of(form)
    if period is None:
        return _page(form, agency, status=422)
    count = export.count_published(agency, period)
    if count > export.sync_entries():
        # Too large for the request: offer the background export of the same period.
        background = BackgroundForm(formdata=None, prefix="job", data={"start": period.start, "end": period.end})
        return _page(form, agency, pending={"form": background, "count": count})
    data, _count = export.build_archive(agency, period)
    name, ascii_name = export.archive_name(agency, period)
    return send_download(data, mimetype=export.ZIP, name=name, ascii_name=ascii_name)


@staff_bp.route("/export/jobs", methods=["POST"])
@staff_required(*READERS)
def archive_export_start():
    agency = own_agency()
    form = BackgroundForm(prefix="job")
    period = period_of(form)
    loose: list[str] = []
    if period is not None:
        try:
            job = export.start_export(agency, current_user, period)
        except DomainError as exc:
            db.session.rollback()
            loose = show_errors(form, exc, default="end")
        else:
            return redirect(url_for(".archive_export_job", job_id=job.id), code=303)
    # The period is shown again in the visible form, with its errors beside its fields.
    shown = ExportForm(formdata=None, data={"start": form.start.data, "end": form.end.data})
    shown.start.errors, shown.end.errors = list(form.start.errors), list(form.end.errors)
    loose += [str(e) for e in form.csrf_token.errors] if hasattr(form, "csrf_token") else []
    return _page(shown, agency, status=400, loose=loose)


def _own_export(job_id: int) -> CatalogExport:
    """404 unless the export is this staff member's agency's (not even a system administrator sees another's)."""
    job = db.session.get(CatalogExport, job_id)
    if job is None or job.agency_id != own_agency().id:
        abort(404)
    return job


@staff_bp.route("/export/jobs/<int:job_id>")
@staff_required(*READERS)
def archive_export_job(job_id: int):
    job = _own_export(job_id)
    return render_template("catalog/staff/export_job.html", job=job, labels=STATUS_LABELS)


@staff_bp.route("/export/jobs/<int:job_id>/status.json")
@staff_required(*READERS)
def archive_export_status(job_id: int):
    job = _own_export(job_id)
    return job_status(job, STATUS_LABELS, processed=job.processed_entries, entries=job.total_entries)


@staff_bp.route("/export/jobs/<int:job_id>/download")
@staff_required(*READERS)
def archive_export_download(job_id: int):
    job = _own_export(job_id)
    if job.status != ImportStatus.DONE.value or job.file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, job.file_id)
    _name, ascii_name = export.archive_name(own_agency(), export.Period(job.start, job.end))
    resp = send_file(stored.path, mimetype=export.ZIP, max_age=0, etag=stored.sha256)  # streamed from storage
    resp.headers["Content-Disposition"] = content_disposition("attachment", stored.original_name, ascii_name)
    return resp
