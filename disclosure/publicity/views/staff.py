"""Staff pages of the records: the list, entry and inline validation, the record page and its actions, and
imports (file upload, progress, error file, templates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import (
    abort,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.storage import StoredFile
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity import forms, importer, operations
from disclosure.publicity import search as search_mod
from disclosure.publicity.fields import FIELDS, Kind
from disclosure.publicity.importer.starting import start_import
from disclosure.publicity.models import ImportJob, JobStatus, PublicityMatter, PublicityRecord, RecordStatus, Scope
from disclosure.publicity.rules import load_rules
from disclosure.publicity.validation import RecordValidator, field_name, matter_refs, organ_refs
from disclosure.publicity.views.common import (
    CLERKS,
    READERS,
    XLSX,
    kind_or_404,
    on_form,
    own_agency,
    page_arg,
    small_int,
    staff_bp,
)
from disclosure.publicity.views.history import record_history
from disclosure.web.access import public, staff_object, staff_required
from disclosure.web.downloads import send_download
from disclosure.web.forms import choices

# ---------------------------------------------------------------------------------------------- records


@staff_bp.route("/publicity.js")
@public
def script():
    """Inline validation and the import progress bar (a file of our own origin: the CSP allows no inline
    script). Public like any other static asset."""
    return send_from_directory(
        Path(__file__).parents[1] / "static", "publicity.js", mimetype="text/javascript", max_age=3600
    )


@staff_bp.route("/")
@staff_required(*READERS)
def records():
    # Records open only for their own agency (staff_object); supervision of lower agencies is the dashboard's.
    ids = None if current_user.is_sys_admin else [current_user.agency_id]
    stmt = select(PublicityRecord)
    if ids is not None:
        stmt = stmt.where(PublicityRecord.agency_id.in_(ids))
    kind = request.args.get("kind")
    if kind in ("licensing", "penalty"):
        stmt = stmt.where(PublicityRecord.kind == kind)
    status = request.args.get("status")
    if status in {s.value for s in RecordStatus}:
        stmt = stmt.where(PublicityRecord.status == status)
    timeliness = request.args.get("timeliness")
    if timeliness:
        stmt = stmt.where(PublicityRecord.timeliness == timeliness)
    q = request.args.get("q", "").strip()
    if q:
        toks = search_mod.tokens(q)
        conds = [
            PublicityRecord.decision_key == normalise_document_number(q),
            PublicityRecord.credit_code == q.upper(),
        ]
        if toks:
            conds.append(search_mod.name_condition(toks))
        stmt = stmt.where(db.or_(*conds))
    page = page_arg()
    rows = db.session.execute(stmt.order_by(PublicityRecord.id.desc()).limit(51).offset((page - 1) * 50)).scalars()
    rows = list(rows)
    return render_template(
        "publicity/records.html", rows=rows[:50], more=len(rows) > 50, page=page, statuses=list(RecordStatus)
    )


def _record_form(kind: Kind, agency: Agency, rules, formdata=None, obj_values=None):
    matters = matter_refs(agency.id, kind)
    departments = [d for d in agency.departments if d.active]
    cls = forms.record_form_class(kind, rules, matters, departments)
    form = cls(formdata=formdata) if formdata is not None else cls()
    if obj_values:
        for code, value in obj_values.items():
            target = getattr(form, forms.field_name(code), None) or getattr(form, code, None)
            if target is not None and value is not None:
                target.data = value
    return form, matters


def _save_from_form(kind: Kind, agency: Agency, form, rules, matters, *, record: PublicityRecord | None = None):
    validator = RecordValidator(kind, rules, matters, organs=organ_refs(agency), today=today_china())
    result = validator.validate(forms.form_to_raw(form, kind))
    if result.values is None:
        forms.attach_errors(form, result.errors)
        return None
    return on_form(
        form,
        lambda: operations.save_record(
            agency,
            kind,
            result,
            channel="form",
            publish=form.publish.data,
            rules=rules,
            department_id=small_int(form.department.data),
            correcting=record,
            new_entry=record is None,
        ),
        attach=lambda code, message: forms.attach_errors(form, [(code, message)]),
    )


@staff_bp.route("/new/<kind>", methods=["GET", "POST"])
@staff_required(*CLERKS)
def new_record(kind: str):
    kind = kind_or_404(kind)
    agency = own_agency()
    rules = load_rules()
    form, matters = _record_form(kind, agency, rules, formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        prefix = "XK" if kind is Kind.LICENSING else "CF"
        defaults = {
            f"{prefix}_{'XKJG' if kind is Kind.LICENSING else 'CFJG'}": agency.full_name,
            f"{prefix}_{'XKJGDM' if kind is Kind.LICENSING else 'CFJGDM'}": agency.credit_code,
            f"{prefix}_{'LYDW' if kind is Kind.LICENSING else 'SJLY'}": agency.full_name,
            f"{prefix}_{'LYDWDM' if kind is Kind.LICENSING else 'SJLYDM'}": agency.credit_code,
        }
        for code, value in defaults.items():
            getattr(form, forms.field_name(code)).data = value
    if request.method == "POST" and form.validate():
        saved = _save_from_form(kind, agency, form, rules, matters)
        if saved is not None:
            record, action = saved
            if action == "unchanged":
                flash(_("A record with this decision number exists already and is unchanged."), "info")
            elif action == "updated":
                flash(_("The existing record with this decision number was corrected."), "success")
            else:
                flash(_("The record was saved."), "success")
            return redirect(url_for(".record", record_id=record.id))
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/record_form.html", form=form, kind=kind, fields=FIELDS[kind], record=None), status


@staff_bp.route("/validate/<kind>", methods=["POST"])
@staff_required(*CLERKS)
def validate_record(kind: str):
    """Inline validation for the entry form: the same validator, answering with the errors per field."""
    kind = kind_or_404(kind)
    agency = own_agency()
    rules = load_rules()
    form, matters = _record_form(kind, agency, rules, formdata=request.form)
    validator = RecordValidator(kind, rules, matters, organs=organ_refs(agency), today=today_china())
    result = validator.validate(forms.form_to_raw(form, kind))
    errors: dict[str, list[str]] = {}
    targets = {"MATTER": "matter", "SEVERITY": "severity", "SIMPLIFIED": "simplified"}
    for code, message in result.errors:
        errors.setdefault(targets.get(code) or forms.field_name(code), []).append(message)
    return jsonify({"valid": not errors, "errors": errors})


def _load_record(record_id: int) -> PublicityRecord:
    return staff_object(db.session.get(PublicityRecord, record_id))


@staff_bp.route("/records/<int:record_id>")
@staff_required(*READERS)
def record(record_id: int):
    rec = _load_record(record_id)
    kind = Kind(rec.kind)
    return render_template(
        "publicity/record.html",
        record=rec,
        kind=kind,
        fields=FIELDS[kind],
        not_public_because=_not_public_because(rec) if rec.status == RecordStatus.WITHHELD else [],
        import_job=db.session.get(ImportJob, rec.import_id) if rec.import_id else None,
        history=record_history(rec),
        withdraw_form=forms.WithdrawForm(),
        repair_form=forms.RepairForm(),
        revoke_form=forms.RevokeForm(),
        action_form=forms.ActionForm(),
        today=today_china(),
        can_edit=current_user.has_role(*CLERKS) or current_user.is_sys_admin,
    )


def _not_public_because(rec: PublicityRecord) -> list[str]:
    """Why a withheld record never goes on the public site (rules §5.4), in the words the page shows."""
    reasons = []
    if rec.matter.scope != Scope.PUBLIC:
        reasons.append(_("its matter is shared with government departments only"))
    if rec.simplified_procedure:
        reasons.append(_("it was decided by the simplified procedure: such penalties are collected and reported only"))
    if rec.kind == Kind.PENALTY and rec.severity:
        period = load_rules().period(rec.severity, rec.decision_date)
        if period is not None and not period[0]:
            reasons.append(
                _("penalties of this severity (minor) are not published (%(basis)s)", basis=period[3] or "—")
            )
    return reasons


@staff_bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@staff_required(*CLERKS)
def edit_record(record_id: int):
    rec = _load_record(record_id)
    kind = Kind(rec.kind)
    agency = rec.agency
    rules = load_rules()
    values = {f.code: getattr(rec, f.attr) for f in FIELDS[kind]}
    values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}
    if kind is Kind.PENALTY:
        values["CF_CFLB"] = (rec.penalty_categories or "").split(";")
    form, matters = _record_form(
        kind,
        agency,
        rules,
        formdata=request.form if request.method == "POST" else None,
        obj_values=None if request.method == "POST" else values,
    )
    if request.method == "GET":
        form.matter.data = rec.matter.name
        form.department.data = str(rec.department_id or "")
        if kind is Kind.PENALTY:
            form.severity.data = rec.severity or ""
            form.simplified.data = rec.simplified_procedure
    if request.method == "POST" and form.validate():
        saved = _save_from_form(kind, agency, form, rules, matters, record=rec)
        if saved is not None:
            flash(_("The correction was saved and audited."), "success")
            return redirect(url_for(".record", record_id=rec.id))
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/record_form.html", form=form, kind=kind, fields=FIELDS[kind], record=rec), status


@staff_bp.route("/records/<int:record_id>/publish", methods=["POST"])
@staff_required(*CLERKS)
def publish(record_id: int):
    rec = _load_record(record_id)
    if forms.ActionForm().validate_on_submit():
        operations.publish_record(rec)
        flash(_("The record is published."), "success")
    return redirect(url_for(".record", record_id=rec.id))


@staff_bp.route("/records/<int:record_id>/withdraw", methods=["POST"])
@staff_required(*CLERKS)
def withdraw(record_id: int):
    rec = _load_record(record_id)
    form = forms.WithdrawForm()
    if not form.validate_on_submit():
        for errs in form.errors.values():
            for e in errs:
                flash(str(e), "error")
        return redirect(url_for(".record", record_id=rec.id))
    operations.withdraw_record(
        rec, withdrawal_kind=form.withdrawal_kind.data, reason=form.reason.data, changed_on=form.changed_on.data
    )
    flash(_("The decision was withdrawn from the public site; its reason is published."), "success")
    return redirect(url_for(".record", record_id=rec.id))


@staff_bp.route("/records/<int:record_id>/repair", methods=["POST"])
@staff_required(Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN)
def repair(record_id: int):
    rec = _load_record(record_id)
    form = forms.RepairForm()
    if not form.validate_on_submit():
        flash(_("Give the basis of the credit repair."), "error")
        return redirect(url_for(".record", record_id=rec.id))
    operations.repair_record(rec, basis=form.basis.data)
    flash(_("Credit repair recorded: the penalty has left the public site."), "success")
    return redirect(url_for(".record", record_id=rec.id))


@staff_bp.route("/records/<int:record_id>/revoke", methods=["POST"])
@staff_required(*CLERKS)
def revoke(record_id: int):
    rec = _load_record(record_id)
    form = forms.RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the revocation."), "error")
        return redirect(url_for(".record", record_id=rec.id))
    operations.revoke_licence(rec, reason=form.reason.data)
    flash(_("The licence is marked invalid."), "success")
    return redirect(url_for(".record", record_id=rec.id))


# ---------------------------------------------------------------------------------------------- imports


def _import_form(agency: Agency):
    form = forms.ImportForm()
    matters = db.session.execute(
        select(PublicityMatter)
        .where(PublicityMatter.agency_id == agency.id, PublicityMatter.active.is_(True))
        .order_by(PublicityMatter.kind, PublicityMatter.name)
    ).scalars()
    form.matter.choices = choices([("", _("Use the file's matter column"))] + [(str(m.id), m.name) for m in matters])
    return form


@staff_bp.route("/imports", methods=["GET", "POST"])
@staff_required(*CLERKS)
def imports():
    agency = own_agency()
    lim = importer.limits()
    if request.method == "POST" and (request.content_length or 0) > lim["max_bytes"] + 64 * 1024:
        # Refused before the body is read (the request's declared length is enough).
        flash(
            _("The file is larger than %(mb)d MB. Split it into several files.", mb=lim["max_bytes"] // (1024 * 1024)),
            "error",
        )
        return redirect(url_for(".imports")), 303
    form = _import_form(agency)
    if form.validate_on_submit():
        job = _start_import(agency, form)
        if job is not None:
            return redirect(url_for(".import_job", job_id=job.id))
    jobs = (
        db.session.execute(
            select(ImportJob).where(ImportJob.agency_id == agency.id).order_by(ImportJob.id.desc()).limit(30)
        )
        .scalars()
        .all()
    )
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/imports.html", form=form, jobs=jobs, limits=lim), status


def _start_import(agency: Agency, form) -> ImportJob | None:
    upload = form.file.data
    return on_form(
        form,
        lambda: start_import(
            agency,
            current_user,
            kind=form.kind.data,
            data=upload.read(importer.limits()["max_bytes"] + 1),
            filename=upload.filename,
            content_type=upload.mimetype,
            publish=form.publish.data,
            matter_id=small_int(form.matter.data),
            locale=str(get_locale() or "zh_CN"),
        ),
        field="file",
    )


@staff_bp.route("/imports/<int:job_id>")
@staff_required(*CLERKS)
def import_job(job_id: int):
    job = staff_object(db.session.get(ImportJob, job_id))
    kind = Kind(job.kind)
    return render_template("publicity/import_job.html", job=job, field_label=lambda code: field_name(kind, code))


@staff_bp.route("/imports/<int:job_id>/status.json")
@staff_required(*CLERKS)
def import_status(job_id: int):
    job = staff_object(db.session.get(ImportJob, job_id))
    return jsonify(
        {
            "status": job.status,
            "status_label": str(get_template_attribute("publicity/_macros.html", "job_status_label")(job.status)),
            "percent": job.progress_percent,
            "processed": job.processed_rows,
            "total": job.total_rows,
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
            "errors": job.error_count,
            "failure": job.failure,
            "done": job.status in (JobStatus.DONE, JobStatus.FAILED),
        }
    )


@staff_bp.route("/imports/<int:job_id>/errors.xlsx")
@staff_required(*CLERKS)
def import_errors(job_id: int):
    job = staff_object(db.session.get(ImportJob, job_id))
    if job.error_file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, job.error_file_id)
    return send_download(
        stored.read_bytes(), mimetype=XLSX, name=stored.original_name, ascii_name=f"import-{job.id}-errors.xlsx"
    )


@staff_bp.route("/template/<kind>.xlsx")
@staff_required(*CLERKS)
def template(kind: str):
    kind = kind_or_404(kind)
    codes = request.args.get("codes") == "1"
    name = ("行政许可" if kind is Kind.LICENSING else "行政处罚") + ("-字段代码" if codes else "") + "-模板.xlsx"
    ascii_name = f"{kind.value}-template{'-codes' if codes else ''}.xlsx"
    agency = current_user.agency
    matters = [m.name for m in matter_refs(agency.id, kind)] if agency is not None else []
    data = importer.template_workbook(kind, codes=codes, matters=matters)
    return send_download(data, mimetype=XLSX, name=name, ascii_name=ascii_name)
