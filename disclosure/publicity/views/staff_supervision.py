"""Supervision: the dashboard and its statistics workbook, and the export for the credit platforms."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.core.storage import StoredFile
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity import export as export_mod
from disclosure.publicity import forms, stats
from disclosure.publicity.fields import Kind
from disclosure.publicity.models import ExportRun
from disclosure.publicity.views.common import SUPERVISORS, XLSX, date_arg, small_int, staff_bp, visible_agency_ids
from disclosure.web.access import staff_required
from disclosure.web.downloads import send_download
from disclosure.web.forms import choices


def _dashboard_args():
    by = request.args.get("by", "month")
    if by not in ("month", "department", "county", "agency"):
        by = "month"
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    return by, kind, date_arg("from"), date_arg("to")


@staff_bp.route("/dashboard")
@staff_required(*SUPERVISORS)
def dashboard():
    by, kind, date_from, date_to = _dashboard_args()
    board = stats.dashboard(agency_ids=visible_agency_ids(), by=by, kind=kind, date_from=date_from, date_to=date_to)
    return render_template("publicity/dashboard.html", board=board, by=by, kind=kind)


@staff_bp.route("/dashboard.xlsx")
@staff_required(*SUPERVISORS)
def dashboard_xlsx():
    _by, kind, date_from, date_to = _dashboard_args()
    data = stats.statistics_workbook(agency_ids=visible_agency_ids(), kind=kind, date_from=date_from, date_to=date_to)
    day = today_china().isoformat()
    return send_download(
        data, mimetype=XLSX, name=f"双公示统计-{day}.xlsx", ascii_name=f"publicity-statistics-{day}.xlsx"
    )


@staff_bp.route("/export", methods=["GET", "POST"])
@staff_required(*SUPERVISORS)
def export():
    form = forms.ExportForm()
    ids = visible_agency_ids()
    agencies = (
        db.session.execute(select(Agency).where(Agency.id.in_(ids)) if ids is not None else select(Agency))
        .scalars()
        .all()
    )
    form.agency.choices = choices(
        ([("", _("All agencies"))] if ids is None else []) + [(str(a.id), a.short_name) for a in agencies]
    )
    if form.validate_on_submit():
        agency_id = small_int(form.agency.data)
        if agency_id is None and ids is not None:
            agency_id = current_user.agency_id
        if ids is not None and agency_id not in ids:
            abort(404)
        run = export_mod.export_records(
            kind=Kind(form.kind.data),
            fmt=form.fmt.data,
            agency_id=agency_id,
            changed_only=form.changed_only.data,
            public=False,
            user=current_user,
        )
        flash(_("Export ready: %(n)d records.", n=run.row_count), "success")
        return redirect(url_for(".export"))
    stmt = select(ExportRun).order_by(ExportRun.id.desc()).limit(30)
    if ids is not None:
        stmt = stmt.where(ExportRun.agency_id.in_(ids))
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/export.html", form=form, runs=db.session.execute(stmt).scalars().all()), status


@staff_bp.route("/export/<int:run_id>")
@staff_required(*SUPERVISORS)
def export_download(run_id: int):
    run = db.session.get(ExportRun, run_id)
    if run is None or (run.agency_id is None and not current_user.is_sys_admin):
        abort(404)
    if run.agency_id is not None:
        ids = visible_agency_ids()
        if ids is not None and run.agency_id not in ids:
            abort(404)
    stored = db.session.get(StoredFile, run.file_id)
    suffix = stored.original_name.rsplit(".", 1)[-1] if "." in stored.original_name else "bin"
    return send_download(
        stored.read_bytes(),
        mimetype=stored.content_type,
        name=stored.original_name,
        ascii_name=f"credit-platform-export-{run.id}.{suffix}",
    )
