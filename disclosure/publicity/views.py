"""双公示 pages: staff entry, import, catalogue, supervision and export; the administrators' code lists and
periods; the public search, record pages, latest list and published catalogues."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
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
from sqlalchemy import func, select

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.core.audit import events_for
from disclosure.core.errors import DomainError
from disclosure.core.storage import StoredFile, store
from disclosure.core.timeutil import today_china
from disclosure.extensions import db, limiter
from disclosure.publicity import export as export_mod
from disclosure.publicity import forms, importer, operations, stats
from disclosure.publicity import search as search_mod
from disclosure.publicity.fields import FIELDS, Kind
from disclosure.publicity.masking import public_value
from disclosure.publicity.models import (
    CatalogueStatus,
    CatalogueVersion,
    EntrustedOrgan,
    ExportRun,
    ImportJob,
    JobStatus,
    PublicityCode,
    PublicityMatter,
    PublicityPeriod,
    PublicityRecord,
    RecordStatus,
    Responsibility,
    Scope,
)
from disclosure.publicity.rules import DEFAULT_CODES, load_rules
from disclosure.publicity.validation import RecordValidator, field_label, matter_refs, organ_refs
from disclosure.web.access import public, staff_object, staff_required
from disclosure.web.downloads import content_disposition, send_download
from disclosure.web.forms import choices

staff_bp = Blueprint("publicity", __name__, url_prefix="/staff/publicity")
public_bp = Blueprint("publicity_public", __name__, url_prefix="/publicity")
admin_bp = Blueprint("publicity_admin", __name__, url_prefix="/admin/publicity")

CLERKS = (Role.PUBLICITY_CLERK, Role.AGENCY_ADMIN)
READERS = (Role.PUBLICITY_CLERK, Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN)
SUPERVISORS = (Role.CREDIT_SUPERVISOR, Role.AGENCY_ADMIN)
# The matter catalogue is a catalogue like the disclosure catalogue: its editors (目录编辑) maintain it and submit it
# for the confidentiality review, beside the publicity clerks; they do not enter or see records.
MATTER_EDITORS = (*CLERKS, Role.CATALOG_EDITOR)
CATALOGUE_READERS = (*READERS, Role.SECRECY_REVIEWER, Role.CATALOG_EDITOR)
REVIEWERS = (Role.SECRECY_REVIEWER, Role.CREDIT_SUPERVISOR)
ORGAN_KEEPERS = (Role.AGENCY_ADMIN, Role.CREDIT_SUPERVISOR)  # who says whose decisions the agency may publish
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        abort(404)


def _own_agency() -> Agency:
    """The agency a staff member works for; a system administrator without one cannot enter records."""
    if current_user.agency is None:
        abort(403)
    return current_user.agency


def _visible_agency_ids() -> list[int] | None:
    """None = every agency (system administrator); otherwise the user's agency and the agencies below it."""
    if current_user.is_sys_admin:
        return None
    ids = [current_user.agency_id]
    frontier = list(ids)
    while frontier:
        children = list(db.session.execute(select(Agency.id).where(Agency.parent_id.in_(frontier))).scalars())
        frontier = [c for c in children if c not in ids]
        ids += frontier
    return ids


MAX_ID = 2**31 - 1  # an id or page number beyond a database integer is no page at all, not a server error


def _page() -> int:
    return min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)


def _small_int(text: str | None) -> int | None:
    """A chosen id from a select field: digits within a database integer, else None."""
    return int(text) if (text or "").isdigit() and 0 < int(text) <= MAX_ID else None


def _id_arg(name: str, source=None) -> int | None:
    """A positive id from the query string (or a form), None when absent, malformed or out of range."""
    value = (source or request.args).get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def _date_arg(name: str) -> dt.date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        flash(_("%(value)s is not a date (use YYYY-MM-DD); the filter was ignored.", value=raw), "error")
        return None


# ---------------------------------------------------------------------------------------------- records


@staff_bp.route("/publicity.js")
@public
def script():
    """Inline validation and the import progress bar (a file of our own origin: the CSP allows no inline
    script). Public like any other static asset."""
    return send_from_directory(
        Path(__file__).parent / "static", "publicity.js", mimetype="text/javascript", max_age=3600
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
        conds = [PublicityRecord.decision_no == q, PublicityRecord.credit_code == q.upper()]
        if toks:
            conds.append(search_mod.name_condition(toks))
        stmt = stmt.where(db.or_(*conds))
    page = _page()
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
    if record is not None and result.values["decision_no"] != record.decision_no:
        forms.attach_errors(
            form,
            [
                (
                    "XK_WSH" if kind is Kind.LICENSING else "CF_WSH",
                    _(
                        "The decision number identifies the record and cannot be changed; "
                        "withdraw this record and enter the new decision instead."
                    ),
                )
            ],
        )
        return None
    if record is None:
        existing = operations.find_record(agency, kind, result.values["decision_no"])
        if existing is not None:  # a new entry never overwrites a record: corrections go through its own page
            forms.attach_errors(
                form,
                [
                    (
                        "XK_WSH" if kind is Kind.LICENSING else "CF_WSH",
                        _(
                            "A record with this decision number exists already (%(name)s): open it from the list "
                            "to correct it, or check the number.",
                            name=existing.counterpart_name,
                        ),
                    )
                ],
            )
            return None
    department_id = _small_int(form.department.data)
    if department_id is not None and department_id not in {d.id for d in agency.departments}:
        department_id = None
    saved, action = operations.save_record(
        agency, kind, result, channel="form", publish=form.publish.data, rules=rules, department_id=department_id
    )
    if department_id is not None:
        saved.department_id = department_id
    return saved, action


@staff_bp.route("/new/<kind>", methods=["GET", "POST"])
@staff_required(*CLERKS)
def new_record(kind: str):
    kind = _kind(kind)
    agency = _own_agency()
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
    kind = _kind(kind)
    agency = _own_agency()
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
        history=_history(rec),
        withdraw_form=forms.WithdrawForm(),
        repair_form=forms.RepairForm(),
        revoke_form=forms.RevokeForm(),
        action_form=forms.ActionForm(),
        today=today_china(),
        can_edit=current_user.has_role(*CLERKS) or current_user.is_sys_admin,
    )


def _history(rec: PublicityRecord) -> list[dict]:
    """The record's audit events in words: actions and field names as staff know them, states translated."""
    from flask_babel import lazy_gettext as _l

    from disclosure.publicity.fields import BY_ATTR

    actions = {
        "create": _l("Record entered"),
        "correct": _l("Record corrected"),
        "publicity.publish": _l("Published"),
        "publicity.withdraw": _l("Withdrawn from the public site"),
        "publicity.repair": _l("Removed after credit repair"),
        "publicity.expire": _l("Publicity period ended"),
        "publicity.overdue": _l("Publication overdue"),
        "publicity.licence.revoke": _l("Licence revoked"),
        "publicity.licence.expire": _l("Licence expired"),
        "publicity.due.recompute": _l("Due date recalculated"),
    }
    extra = {
        "status": _l("Status"),
        "channel": _l("Entered by"),
        "severity": _l("Severity"),
        "matter_id": _l("Matter"),
        "simplified_procedure": _l("Simplified procedure"),
        "min_until": _l("Credit repair possible from"),
        "max_until": _l("End of the publicity period (公示截止期)"),
        "timeliness": _l("Deadline"),
        "due": _l("Due date"),
        "due_date": _l("Due date"),
        "provisional": _l("provisional calendar"),
        "withdrawal_kind": _l("Withdrawal"),
        "withdraw_due": _l("withdrawal due"),
        "late": _l("Late"),
        "licence_state": _l("Licence state"),
    }
    macros = "publicity/_macros.html"
    words = {
        "status": get_template_attribute(macros, "status_label"),
        "channel": get_template_attribute(macros, "channel_label"),
        "severity": get_template_attribute(macros, "severity_label"),
        "timeliness": get_template_attribute(macros, "timeliness_label"),
        "withdrawal_kind": get_template_attribute(macros, "withdrawal_label"),
    }
    fields = {**BY_ATTR[Kind.LICENSING], **BY_ATTR[Kind.PENALTY], **BY_ATTR[Kind(rec.kind)]}

    def shown(key, value):
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if key in words:
            return words[key](value)
        if key == "licence_state":
            return {"1": _("Valid"), "2": _("Invalid (revoked or expired)")}.get(value, value)
        if key == "matter_id":
            matter = db.session.get(PublicityMatter, value)
            return matter.name if matter else value
        return value

    out = []
    for ev in events_for("publicity_record", rec.id):
        tail = ev.action.rsplit(".", 1)[-1]
        before = ev.before or {}

        def label(key):
            return fields[key].label if key in fields else extra.get(key, key)

        # The shape of an AuditEvent, for the shared timeline macro: keys and values in words.
        out.append(
            SimpleNamespace(
                occurred_at=ev.occurred_at,
                action=actions.get(ev.action) or actions.get(tail) or ev.action,
                actor_label=ev.actor_label,
                reason=ev.reason,
                before={label(k): shown(k, v) for k, v in before.items()},
                after={label(k): shown(k, v) for k, v in (ev.after or {}).items()},
            )
        )
    return out


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
    agency = _own_agency()
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
    data = upload.read(importer.limits()["max_bytes"] + 1)
    try:
        importer.inspect_upload(data)
    except DomainError as exc:
        form.file.errors = [*form.file.errors, exc.message]
        return None
    matter_id = _small_int(form.matter.data)
    if matter_id is not None:
        matter = db.session.get(PublicityMatter, matter_id)
        if matter is None or matter.agency_id != agency.id or matter.kind != form.kind.data:
            form.matter.errors = [_("Choose a matter of this record type from your catalogue.")]
            return None
    stored = store(
        data,
        original_name=upload.filename or "import",
        content_type=upload.mimetype or "",
        agency_id=agency.id,
        uploaded_by_id=current_user.id,
    )
    db.session.flush()
    job = ImportJob(
        agency_id=agency.id,
        kind=form.kind.data,
        file_id=stored.id,
        filename=stored.original_name,
        publish=form.publish.data,
        default_matter_id=matter_id,
        created_by_id=current_user.id,
        locale=str(get_locale() or "zh_CN"),
    )
    db.session.add(job)
    db.session.flush()
    if len(data) <= importer.limits()["sync_bytes"]:
        try:
            importer.import_file(job, data)
        except DomainError as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, exc.message]
            return None
    else:
        _queue_import(job.id)
    return job


def _queue_import(job_id: int) -> None:
    """Hand the job to the worker. If the worker is faster than this request's commit, the task does not see
    the job yet and huey retries it (tasks.run_import)."""
    from disclosure.publicity.tasks import run_import

    run_import(job_id)


@staff_bp.route("/imports/<int:job_id>")
@staff_required(*CLERKS)
def import_job(job_id: int):
    job = staff_object(db.session.get(ImportJob, job_id))
    kind = Kind(job.kind)
    return render_template("publicity/import_job.html", job=job, field_label=lambda code: field_label(kind, code))


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
    kind = _kind(kind)
    codes = request.args.get("codes") == "1"
    name = ("行政许可" if kind is Kind.LICENSING else "行政处罚") + ("-字段代码" if codes else "") + "-模板.xlsx"
    ascii_name = f"{kind.value}-template{'-codes' if codes else ''}.xlsx"
    return send_download(importer.template_workbook(kind, codes=codes), mimetype=XLSX, name=name, ascii_name=ascii_name)


# ---------------------------------------------------------------------------------------------- catalogue


@staff_bp.route("/matters")
@staff_required(*CATALOGUE_READERS)
def matters():
    agency = _own_agency()
    rows = db.session.execute(
        select(PublicityMatter)
        .where(PublicityMatter.agency_id == agency.id)
        .order_by(PublicityMatter.kind, PublicityMatter.code, PublicityMatter.name)
    ).scalars()
    versions = (
        db.session.execute(
            select(CatalogueVersion)
            .where(CatalogueVersion.agency_id == agency.id)
            .order_by(CatalogueVersion.number.desc())
        )
        .scalars()
        .all()
    )
    responsibility = db.session.execute(
        select(Responsibility).where(Responsibility.agency_id == agency.id)
    ).scalar_one_or_none()
    return render_template(
        "publicity/matters.html",
        matters=list(rows),
        versions=versions,
        action_form=forms.ActionForm(),
        responsibility=responsibility,
        can_edit=current_user.has_role(*MATTER_EDITORS) or current_user.is_sys_admin,
    )


@staff_bp.route("/matters/new", methods=["GET", "POST"])
@staff_bp.route("/matters/<int:matter_id>/edit", methods=["GET", "POST"])
@staff_required(*MATTER_EDITORS)
def edit_matter(matter_id: int | None = None):
    agency = _own_agency()
    matter = staff_object(db.session.get(PublicityMatter, matter_id)) if matter_id else None
    form = forms.MatterForm(obj=matter)
    if form.validate_on_submit():
        try:
            operations.save_matter(
                agency,
                {
                    "kind": form.kind.data,
                    "code": (form.code.data or "").strip(),
                    "name": form.name.data.strip(),
                    "legal_basis": form.legal_basis.data.strip(),
                    "counterpart_kinds": form.counterpart_kinds.data,
                    "scope": form.scope.data,
                    "active": form.active.data,
                },
                matter,
            )
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "name").errors.append(exc.message)
        else:
            flash(_("The matter was saved. Submit the catalogue for review to publish the change."), "success")
            return redirect(url_for(".matters"))
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/matter_form.html", form=form, matter=matter), status


@staff_bp.route("/catalogue/submit", methods=["POST"])
@staff_required(*MATTER_EDITORS)
def submit_catalogue():
    agency = _own_agency()
    if forms.ActionForm().validate_on_submit():
        version = operations.submit_catalogue(agency, current_user)
        flash(
            _("Version %(n)d of the catalogue was submitted for the confidentiality review.", n=version.number),
            "success",
        )
    return redirect(url_for(".matters"))


@staff_bp.route("/catalogue/<int:version_id>", methods=["GET", "POST"])
@staff_required(*CATALOGUE_READERS)
def catalogue_version(version_id: int):
    version = staff_object(db.session.get(CatalogueVersion, version_id))
    form = forms.ReviewForm()
    may_review = current_user.is_sys_admin or current_user.has_role(*REVIEWERS)
    if request.method == "POST":
        if not may_review:
            abort(403)
        if form.validate_on_submit():
            try:
                operations.review_catalogue(
                    version, current_user, approve=form.decision.data == "approve", comment=form.comment.data or ""
                )
            except DomainError as exc:
                db.session.rollback()
                getattr(form, exc.field or "decision").errors.append(exc.message)
            else:
                flash(_("The review was recorded."), "success")
                return redirect(url_for(".matters"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "publicity/catalogue_version.html",
        version=version,
        form=form,
        may_review=may_review and version.status == CatalogueStatus.SUBMITTED,
    ), status


@staff_bp.route("/responsibility", methods=["GET", "POST"])
@staff_required(Role.AGENCY_ADMIN, Role.CREDIT_SUPERVISOR)
def responsibility():
    agency = _own_agency()
    row = db.session.execute(select(Responsibility).where(Responsibility.agency_id == agency.id)).scalar_one_or_none()
    form = forms.ResponsibilityForm(obj=row)
    if form.validate_on_submit():
        operations.save_responsibility(agency, form.data)
        flash(_("The responsibility form was saved."), "success")
        return redirect(url_for(".responsibility"))
    ids = _visible_agency_ids()
    stmt = select(Responsibility, Agency).join(Agency, Agency.id == Responsibility.agency_id)
    if ids is not None:
        stmt = stmt.where(Responsibility.agency_id.in_(ids))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "publicity/responsibility.html", form=form, overview=db.session.execute(stmt.order_by(Agency.short_name)).all()
    ), status


@staff_bp.route("/organs", methods=["GET", "POST"])
@staff_bp.route("/organs/<int:organ_id>", methods=["GET", "POST"])
@staff_required(*ORGAN_KEEPERS)
def organs(organ_id: int | None = None):
    """The organs whose decisions the agency may publish besides its own (许可机关 / 处罚机关 of its records): a
    record naming any other deciding organ is refused on every channel."""
    agency = _own_agency()
    organ = db.session.get(EntrustedOrgan, organ_id) if organ_id else None
    if organ_id and (organ is None or organ.agency_id != agency.id):
        abort(404)
    form = forms.EntrustedOrganForm(obj=organ)
    if form.validate_on_submit():
        try:
            operations.save_entrusted_organ(
                agency,
                {
                    "name": form.name.data,
                    "credit_code": form.credit_code.data,
                    "basis": form.basis.data,
                    "active": form.active.data,
                },
                organ,
            )
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "name").errors.append(exc.message)
        else:
            flash(_("The organ was saved."), "success")
            return redirect(url_for(".organs"))
    rows = (
        db.session.execute(
            select(EntrustedOrgan)
            .where(EntrustedOrgan.agency_id == agency.id)
            .order_by(EntrustedOrgan.active.desc(), EntrustedOrgan.name)
        )
        .scalars()
        .all()
    )
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/organs.html", form=form, organ=organ, organs=rows, agency=agency), status


# ---------------------------------------------------------------------------------------------- supervision


def _dashboard_args():
    by = request.args.get("by", "month")
    if by not in ("month", "department", "county", "agency"):
        by = "month"
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    return by, kind, _date_arg("from"), _date_arg("to")


@staff_bp.route("/dashboard")
@staff_required(*SUPERVISORS)
def dashboard():
    by, kind, date_from, date_to = _dashboard_args()
    board = stats.dashboard(agency_ids=_visible_agency_ids(), by=by, kind=kind, date_from=date_from, date_to=date_to)
    return render_template("publicity/dashboard.html", board=board, by=by, kind=kind)


@staff_bp.route("/dashboard.xlsx")
@staff_required(*SUPERVISORS)
def dashboard_xlsx():
    _by, kind, date_from, date_to = _dashboard_args()
    data = stats.statistics_workbook(agency_ids=_visible_agency_ids(), kind=kind, date_from=date_from, date_to=date_to)
    day = today_china().isoformat()
    return send_download(
        data, mimetype=XLSX, name=f"双公示统计-{day}.xlsx", ascii_name=f"publicity-statistics-{day}.xlsx"
    )


@staff_bp.route("/export", methods=["GET", "POST"])
@staff_required(*SUPERVISORS)
def export():
    form = forms.ExportForm()
    ids = _visible_agency_ids()
    agencies = (
        db.session.execute(select(Agency).where(Agency.id.in_(ids)) if ids is not None else select(Agency))
        .scalars()
        .all()
    )
    form.agency.choices = choices(
        ([("", _("All agencies"))] if ids is None else []) + [(str(a.id), a.short_name) for a in agencies]
    )
    if form.validate_on_submit():
        agency_id = _small_int(form.agency.data)
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
        ids = _visible_agency_ids()
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


# ---------------------------------------------------------------------------------------------- administration


@admin_bp.route("/", methods=["GET", "POST"])
@staff_required(Role.SYS_ADMIN)
def settings():
    rules = load_rules()
    form = forms.SettingsForm(prefix="s")
    code_form = forms.CodeForm(prefix="c")
    code_form.list_name.choices = choices((n, n) for n in DEFAULT_CODES)
    period_form = forms.PeriodForm(prefix="p")
    if request.method == "GET":
        form.due_working_days.data = rules.setting("due_working_days")
        form.withdraw_working_days.data = rules.setting("withdraw_working_days")
        form.latest_days.data = rules.setting("latest_days")
        form.long_term_date.data = rules.long_term
    elif "s-due_working_days" in request.form and form.validate_on_submit():
        for key in ("due_working_days", "withdraw_working_days", "latest_days"):
            operations.update_setting(key, getattr(form, key).data)
        operations.update_setting("long_term_date", form.long_term_date.data.isoformat())
        flash(_("The settings were saved."), "success")
        return redirect(url_for(".settings"))
    elif "c-value" in request.form and code_form.validate_on_submit():
        code_id = _id_arg("code_id", request.form)
        code = db.session.get(PublicityCode, code_id) if code_id else None
        try:
            operations.save_code(
                code_form.list_name.data,
                code_form.value.data,
                code_form.label.data,
                meaning=code_form.meaning.data,
                active=code_form.active.data,
                code=code,
            )
        except DomainError as exc:
            db.session.rollback()
            code_form.value.errors = [*code_form.value.errors, exc.message]
        else:
            flash(_("The code was saved."), "success")
            return redirect(url_for(".settings"))
    elif "p-severity" in request.form and period_form.validate_on_submit():
        try:
            operations.save_period(
                period_form.severity.data,
                period_form.effective_from.data,
                published=period_form.published.data,
                min_months=period_form.min_months.data,
                max_months=period_form.max_months.data,
                basis=period_form.basis.data,
            )
        except DomainError as exc:
            db.session.rollback()
            period_form.max_months.errors = [*period_form.max_months.errors, exc.message]
        else:
            flash(_("The publicity period was saved."), "success")
            return redirect(url_for(".settings"))
    codes = (
        db.session.execute(select(PublicityCode).order_by(PublicityCode.list_name, PublicityCode.sort_order))
        .scalars()
        .all()
    )
    periods = (
        db.session.execute(
            select(PublicityPeriod).order_by(PublicityPeriod.effective_from.desc(), PublicityPeriod.severity)
        )
        .scalars()
        .all()
    )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "publicity/settings.html", form=form, code_form=code_form, period_form=period_form, codes=codes, periods=periods
    ), status


# ---------------------------------------------------------------------------------------------- public site


def _public_record_or_404(record_id: int) -> PublicityRecord:
    """Published records, and withdrawn ones (whose reason must stay visible, 处罚法 Art. 48)."""
    rec = db.session.get(PublicityRecord, record_id)
    if rec is None or rec.status not in (RecordStatus.PUBLISHED, RecordStatus.WITHDRAWN) or rec.published_at is None:
        abort(404)
    return rec


@public_bp.route("/")
@public
def search():
    q = request.args.get("q", "").strip()[:100]
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    agency_id = _id_arg("agency")
    order = "date" if request.args.get("order") == "date" else "relevance"
    query = search_mod.SearchQuery(
        q=q,
        kind=kind,
        agency_id=agency_id,
        date_from=_date_arg("from"),
        date_to=_date_arg("to"),
        order=order,
        page=_page(),
    )
    searched = bool(q or kind or agency_id or query.date_from or query.date_to)
    result = search_mod.search(query) if searched else None
    agencies = (
        db.session.execute(select(Agency).where(Agency.active.is_(True)).order_by(Agency.short_name)).scalars().all()
    )
    return render_template(
        "publicity/public_search.html",
        result=result,
        query=query,
        agencies=agencies,
        latest=None if searched else search_mod.latest(int(load_rules().setting("latest_days")), limit=10),
        export_cap=export_mod.public_max_rows(),
    )


@public_bp.route("/latest")
@public
def latest():
    days = int(load_rules().setting("latest_days"))
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    return render_template(
        "publicity/public_latest.html", rows=search_mod.latest(days, limit=200, kind=kind), days=days, kind=kind
    )


@public_bp.route("/records/<int:record_id>")
@public
def public_record(record_id: int):
    rec = _public_record_or_404(record_id)
    kind = Kind(rec.kind)
    shown = [(f, public_value(rec, f)) for f in FIELDS[kind] if f.public]
    return render_template("publicity/public_record.html", record=rec, kind=kind, shown=shown, today=today_china())


PUBLIC_EXPORT_RATE = "10/minute;60/hour"  # per address: a few requests cannot occupy every worker


def _public_export_rate() -> str:
    return current_app.config.get("PUBLICITY_PUBLIC_EXPORT_RATE", PUBLIC_EXPORT_RATE)


@public_bp.route("/export.<fmt>")
@limiter.limit(_public_export_rate)
@public
def public_export(fmt: str):
    """The public search result as CSV/XLSX, with the search page's filters, masked like the pages (rules §5.5):
    the newest records of each type up to `export.public_max_rows()`, with a last line saying when the file was
    cut. One query per type, streamed (the CSV is sent while it is written). Licensing and penalties have
    different columns: without a type, the XLSX file holds one sheet per type, and a CSV (one table) asks which
    type to download. Rate-limited per address."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    args = {k: v for k, v in request.args.items() if k in ("q", "agency", "from", "to")}
    if kind is None and fmt == "csv":
        return render_template("publicity/public_export_choose.html", args=args), 400
    kinds = [Kind(kind)] if kind else [Kind.LICENSING, Kind.PENALTY]
    cap = export_mod.public_max_rows()
    sheets = []
    for k in kinds:
        query = search_mod.SearchQuery(
            q=request.args.get("q", "").strip()[:100],
            kind=k.value,
            agency_id=_id_arg("agency"),
            date_from=_date_arg("from"),
            date_to=_date_arg("to"),
            order="date",
        )
        sheets.append((KIND_SHEETS[k], k, search_mod.export_select(query, cap + 1)))
    name = KIND_SHEETS[kinds[0]] if len(kinds) == 1 else "行政许可和行政处罚"
    ascii_name = f"{kinds[0].value if len(kinds) == 1 else 'licensing-and-penalties'}-{today_china().isoformat()}"
    if fmt == "csv":
        _name, k, stmt = sheets[0]
        resp = Response(export_mod.stream_public_csv(stmt, k, cap), mimetype="text/csv")
        resp.headers["Content-Disposition"] = content_disposition("attachment", f"{name}.csv", f"{ascii_name}.csv")
        resp.headers["Cache-Control"] = "no-cache"
        return resp
    return send_download(
        export_mod.public_workbook(sheets, cap), mimetype=XLSX, name=f"{name}.xlsx", ascii_name=f"{ascii_name}.xlsx"
    )


KIND_SHEETS = {Kind.LICENSING: "行政许可", Kind.PENALTY: "行政处罚"}


@public_bp.route("/catalogues")
@public
def catalogues():
    latest_ids = (
        select(CatalogueVersion.agency_id, func.max(CatalogueVersion.number).label("n"))
        .where(CatalogueVersion.status == CatalogueStatus.APPROVED)
        .group_by(CatalogueVersion.agency_id)
        .subquery()
    )
    agencies = (
        db.session.execute(
            select(Agency).join(latest_ids, latest_ids.c.agency_id == Agency.id).order_by(Agency.short_name)
        )
        .scalars()
        .all()
    )
    return render_template("publicity/public_catalogues.html", agencies=agencies)


@public_bp.route("/catalogues/<slug>")
@public
def catalogue(slug: str):
    agency = db.session.execute(select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
    if agency is None:
        abort(404)
    version = db.session.execute(
        select(CatalogueVersion)
        .where(CatalogueVersion.agency_id == agency.id, CatalogueVersion.status == CatalogueStatus.APPROVED)
        .order_by(CatalogueVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()
    if version is None:
        abort(404)
    items = [m for m in version.snapshot if m.get("scope") == "public" and m.get("active", True)]
    return render_template("publicity/public_catalogue.html", agency=agency, version=version, items=items)
