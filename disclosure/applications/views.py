"""Pages for applicants (file, track, supplement, withdraw, pay, rate) and staff (register, queues, case page).

Thin views: parse the form, load the case, check access, call one operation. The request boundary commits.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from disclosure.accounts.models import Agency, Department, User
from disclosure.accounts.roles import APPLICANT_CATEGORY_LABELS, Role
from disclosure.applications import forms, labels, operations, queries
from disclosure.applications.letters import EVENT_LETTERS
from disclosure.applications.models import (
    CHANNEL_LABELS,
    DELIVERY_LABELS,
    PROVISION_LABELS,
    RECEIVED_BASIS,
    Application,
    Attachment,
    CaseEvent,
    Channel,
    EventKind,
    Remedy,
    released_to_applicant,
)
from disclosure.applications.uploads import Upload
from disclosure.core import signals
from disclosure.core.errors import DomainError
from disclosure.core.validators import mask_resident_id
from disclosure.extensions import db
from disclosure.web.access import applicant_required, own_object, staff_object, staff_required
from disclosure.web.paging import paginate
from workflows.application import States

bp = Blueprint("applications", __name__, url_prefix="/my/applications")
staff_bp = Blueprint("applications_staff", __name__, url_prefix="/staff/applications")

CASE_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER)


def _applicant_of(_related_type: str, *, related_id: str) -> int | None:
    """Who may download a letter about this case from /my/letters (the applicant, for letters addressed to them)."""
    try:
        case = db.session.get(Application, int(related_id))
    except (TypeError, ValueError):
        return None
    return case.applicant_id if case else None


def _applicant_of_event(_related_type: str, *, related_id: str) -> int | None:
    """Notices caused by a case event go to the applicant; consultation letters go to the consulted party."""
    try:
        event = db.session.get(CaseEvent, int(related_id))
    except (TypeError, ValueError):
        return None
    if event is None or event.kind == EventKind.CONSULTATION:
        return None
    return event.application.applicant_id


def init_app(app: Flask) -> None:
    from disclosure.web import nav

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    signals.letter_owner.connect(_applicant_of, sender="application")
    signals.letter_owner.connect(_applicant_of_event, sender=EVENT_LETTERS)
    signals.staff_panels.connect(_staff_panel)
    nav.register(app, "public", _l("Apply for information"), "applications.new", order=20)
    nav.register(app, "applicant", _l("My applications"), "applications.mine", order=10)
    nav.register(app, "staff", _l("Applications"), "applications_staff.index", roles=CASE_ROLES, order=10)
    nav.register(
        app,
        "staff",
        _l("Register an application"),
        "applications_staff.register",
        roles=[Role.REGISTRAR, Role.OFFICE_HEAD],
        order=11,
    )
    nav.register(
        app, "staff", _l("Proactive-disclosure candidates"), "applications_staff.candidates", roles=CASE_ROLES, order=12
    )
    nav.register(
        app,
        "admin",
        _l("Application handling settings"),
        "applications_staff.settings",
        roles=[Role.OFFICE_HEAD, Role.AGENCY_ADMIN],
        order=30,
    )
    from disclosure.web.templating import register_action_labels

    register_action_labels(
        app,
        {f"application.{k}": v for k, v in {**labels.ACTION_LABELS, **labels.EVENT_LABELS}.items()},
    )
    app.jinja_env.globals.update(
        app_state_label=lambda s: labels.STATE_LABELS.get(States(s), s),
        staff_state_label=lambda s: labels.STAFF_STATE_LABELS.get(States(s), s),
        applicant_category_label=lambda c: APPLICANT_CATEGORY_LABELS.get(c, c),
        app_deadline_label=lambda s: labels.DEADLINE_LABELS.get(s, s),
        ATTACHMENT_LABELS=labels.ATTACHMENT_LABELS,
    )


def _staff_panel(user):
    if not (user.is_sys_admin or user.has_role(*CASE_ROLES)):
        return None
    counts = queries.queue_counts(None if user.is_sys_admin else user.agency_id)
    return (
        _("Applications"),
        [
            (_queue_label(k), counts.get(k, 0), url_for("applications_staff.index", queue=k))
            for k in (
                "to_register",
                "to_supplement",
                "to_handle",
                "to_review",
                "to_approve_legally",
                "to_issue",
                "overdue",
            )
        ],
    )


QUEUE_LABELS = {
    "to_register": _l("To register"),
    "to_supplement": _l("To check or supplement"),
    "to_handle": _l("To handle"),
    "to_review": _l("To review"),
    "to_approve_legally": _l("To approve legally"),
    "to_issue": _l("To issue or deliver"),
    "overdue": _l("Overdue cases"),
    "open": _l("All open cases"),
    "all": _l("All cases"),
}


def _queue_label(key):
    return QUEUE_LABELS.get(key, key)


# --- Parsing -------------------------------------------------------------------------------------------------


def _uploads(name: str) -> list[Upload]:
    return [Upload(f.filename or "file", f.read()) for f in request.files.getlist(name) if f and f.filename]


def _input_from(form: forms.ApplicationForm) -> operations.ApplicationInput:
    items = []
    for n in range(1, forms.ITEM_ROWS + 1):
        desc = getattr(form, f"item_{n}_description").data or ""
        ref = getattr(form, f"item_{n}_document_ref").data or ""
        if desc or ref:
            items.append(operations.ItemInput(desc, ref))
    files = [("identity", u) for u in _uploads("identity_files")] + [
        ("supporting", u) for u in _uploads("supporting_files")
    ]
    return operations.ApplicationInput(
        applicant_type=form.applicant_type.data,
        applicant_category=form.applicant_category.data,
        applicant_name=form.applicant_name.data or "",
        doc_type=form.doc_type.data or None,
        doc_number=form.doc_number.data or None,
        org_credit_code=form.org_credit_code.data or None,
        legal_representative=form.legal_representative.data or None,
        contact_person=form.contact_person.data or None,
        phone=form.phone.data or "",
        email=form.email.data or "",
        postal_address=form.postal_address.data or "",
        postal_code=form.postal_code.data or "",
        provision_form=form.provision_form.data,
        delivery_channel=form.delivery_channel.data,
        needs_assistance=bool(form.needs_assistance.data),
        items=items,
        files=files,
    )


def _agency_choices(form) -> None:
    agencies = (
        db.session.execute(select(Agency).where(Agency.active.is_(True)).order_by(Agency.full_name)).scalars().all()
    )
    form.agency_id.choices = forms.choices([(a.id, a.full_name) for a in agencies])


def _prefill(form: forms.ApplicationForm, user: User) -> None:
    p = user.profile
    form.applicant_name.data = p.applicant_name if p else user.name
    form.email.data = user.email
    if p:
        form.applicant_type.data = p.applicant_type
        form.applicant_category.data = p.category
        form.doc_type.data, form.doc_number.data = p.doc_type, p.doc_number
        form.org_credit_code.data = p.org_credit_code
        form.legal_representative.data = p.legal_representative
        form.contact_person.data = p.contact_person
        form.phone.data, form.postal_address.data, form.postal_code.data = p.phone, p.postal_address, p.postal_code


def _fill_from(form: forms.ApplicationForm, app: Application) -> None:
    form.agency_id.data = app.agency_id
    for f in operations.APPLICANT_FIELDS:
        if hasattr(form, f):
            getattr(form, f).data = getattr(app, f)
    for i, item in enumerate(app.items[: forms.ITEM_ROWS], start=1):
        getattr(form, f"item_{i}_description").data = item.description
        getattr(form, f"item_{i}_document_ref").data = item.document_ref
    form.version.data = app.version


def _version(form) -> int | None:
    raw = getattr(form, "version", None)
    raw = raw.data if raw is not None else None
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _form_error(form) -> None:
    for name, errs in form.errors.items():
        label = getattr(getattr(form, name, None), "label", None)
        flash(f"{label.text if label else name}: {' '.join(str(e) for e in errs)}", "error")


# --- Applicant pages -----------------------------------------------------------------------------------------


@bp.route("/")
@applicant_required
def mine():
    page = paginate(
        select(Application).where(Application.applicant_id == current_user.id).order_by(Application.id.desc()),
        per_page=20,
    )
    return render_template("applications/mine.html", page=page)


@bp.route("/drafts/<int:draft_id>/delete", methods=["POST"])
@applicant_required
def delete_draft(draft_id: int):
    draft = own_object(db.session.get(Application, draft_id))
    operations.delete_draft(draft, current_user)
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("applications.mine"))


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/drafts/<int:draft_id>", methods=["GET", "POST"], endpoint="edit_draft")
@applicant_required
def new(draft_id: int | None = None):
    draft = own_object(db.session.get(Application, draft_id)) if draft_id else None
    if draft is not None and draft.state != States.DRAFT:
        return redirect(url_for("applications.detail", reference=draft.reference))
    form = forms.ApplicationForm()
    _agency_choices(form)
    if request.method == "GET":
        if draft is not None:
            _fill_from(form, draft)
        else:
            _prefill(form, current_user)
            slug = request.args.get("agency")
            agency = db.session.execute(select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
            if agency is not None:
                form.agency_id.data = agency.id
    if form.validate_on_submit():
        agency = db.session.get(Agency, form.agency_id.data)
        if agency is None:
            abort(400)
        try:
            if request.form.get("action") == "submit":
                saved = operations.save_draft(current_user, agency, _input_from(form), draft, _version(form))
                operations.submit(saved, current_user)
                flash(_("Your application was sent. Reference: %(ref)s", ref=saved.reference), "success")
                return redirect(url_for("applications.detail", reference=saved.reference, sent=1))
            saved = operations.save_draft(current_user, agency, _input_from(form), draft, _version(form))
        except DomainError as exc:
            db.session.rollback()
            fld = getattr(form, exc.field or "", None)
            if fld is not None and hasattr(fld, "errors"):
                fld.errors = [*list(fld.errors or []), str(exc.message)]
            flash(str(exc.message), "error")
            return render_template("applications/form.html", form=form, draft=draft), 422
        flash(_("The draft was saved. It has not been sent."), "success")
        return redirect(url_for("applications.edit_draft", draft_id=saved.id))
    if request.method == "POST":
        return render_template("applications/form.html", form=form, draft=draft), 422
    return render_template("applications/form.html", form=form, draft=draft)


def _own_case(reference: str) -> Application:
    app = db.session.execute(select(Application).where(Application.reference == reference)).scalar_one_or_none()
    return own_object(app)


@bp.route("/<reference>")
@applicant_required
def detail(reference: str):
    app = _own_case(reference)
    from disclosure.applications import letters

    plan = operations.plan_for(app)
    return render_template(
        "applications/detail.html",
        app=app,
        plan=plan,
        letters=letters.letters_for(app, applicant_view=True),
        fee=_open_fee(app),
        supplement=_open_supplement(app),
        rating=_rating(app),
        fee_instructions=operations.settings_for(app.agency_id).fee_payment_instructions,
        answer_form=forms.AnswerSupplementForm(version=app.version),
        withdraw_form=forms.WithdrawForm(version=app.version),
        rating_form=forms.RatingForm(),
        can_withdraw="withdraw" in operations.allowed_actions(app, current_user),
        attachments=[a for a in app.attachments if released_to_applicant(app, a)],
        labels=labels,
        PROVISION_LABELS=PROVISION_LABELS,
        DELIVERY_LABELS=DELIVERY_LABELS,
        sent=request.args.get("sent"),
    )


def _open_fee(app):
    fees = [e for e in app.events if e.kind == "fee_notice"]
    return fees[-1] if fees else None


def _open_supplement(app):
    reqs = [e for e in app.events if e.kind == "supplement_request"]
    return reqs[-1] if reqs else None


def _rating(app):
    from disclosure.applications.models import Rating

    return db.session.execute(select(Rating).where(Rating.application_id == app.id)).scalar_one_or_none()


@bp.route("/<reference>/supplement", methods=["POST"])
@applicant_required
def answer_supplement(reference: str):
    app = _own_case(reference)
    form = forms.AnswerSupplementForm()
    if not form.validate_on_submit():
        _form_error(form)
    else:
        operations.answer_supplement(
            app, current_user, text=form.text.data or "", files=_uploads("files"), expected_version=_version(form)
        )
        flash(_("Your supplement was received."), "success")
    return redirect(url_for("applications.detail", reference=reference))


@bp.route("/<reference>/withdraw", methods=["POST"])
@applicant_required
def withdraw(reference: str):
    app = _own_case(reference)
    form = forms.WithdrawForm()
    if form.validate_on_submit():
        operations.withdraw(app, current_user, reason=form.reason.data or "", expected_version=_version(form))
        flash(_("The application was withdrawn."), "success")
    else:
        _form_error(form)
    return redirect(url_for("applications.detail", reference=reference))


@bp.route("/<reference>/rate", methods=["POST"])
@applicant_required
def rate(reference: str):
    app = _own_case(reference)
    form = forms.RatingForm()
    if form.validate_on_submit():
        operations.rate(app, current_user, satisfied=form.satisfied.data == "yes", comment=form.comment.data or "")
        flash(_("Thank you for your rating."), "success")
    else:
        _form_error(form)
    return redirect(url_for("applications.detail", reference=reference))


@bp.route("/<reference>/letters/<int:letter_id>")
@applicant_required
def letter(reference: str, letter_id: int):
    app = _own_case(reference)
    return _send_letter(app, letter_id, applicant_view=True)


@bp.route("/<reference>/files/<int:attachment_id>")
@applicant_required
def file(reference: str, attachment_id: int):
    app = _own_case(reference)
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.application_id != app.id or not released_to_applicant(app, att):
        abort(404)
    return _send_stored(att.file, att.title)


def _send_letter(app: Application, letter_id: int, *, applicant_view: bool = False):
    from disclosure.applications import letters
    from disclosure.correspondence.views import pdf_download_response

    found = next((lt for lt in letters.letters_for(app, applicant_view=applicant_view) if lt.id == letter_id), None)
    if found is None:
        abort(404)
    return pdf_download_response(found)


def _send_stored(stored, title: str = ""):
    """A stored file, named by its title when it has one (the extension of the upload kept)."""
    from pathlib import PurePath

    from disclosure.web.downloads import send_download

    suffix = PurePath(stored.original_name).suffix
    return send_download(
        stored.read_bytes(),
        mimetype=stored.content_type.split(";")[0],
        name=f"{title}{suffix}" if title else stored.original_name,
        ascii_name=f"file-{stored.id}{suffix if suffix.isascii() else ''}",
    )


# --- Staff: list ---------------------------------------------------------------------------------------------


def _scope() -> int | None:
    return None if current_user.is_sys_admin else current_user.agency_id


@staff_bp.route("/")
@staff_required(*CASE_ROLES)
def index():
    form = forms.FilterForm(request.args)
    agency_id = _scope()
    depts = (
        db.session.execute(
            select(Department).where(Department.agency_id == current_user.agency_id).order_by(Department.name)
        )
        .scalars()
        .all()
    )
    handlers = (
        db.session.execute(
            select(User).where(User.agency_id == current_user.agency_id, User.kind == "staff").order_by(User.name)
        )
        .scalars()
        .all()
    )
    form.queue.choices = forms.choices([(k, v) for k, v in QUEUE_LABELS.items()])
    form.state.choices = forms.choices(
        [("", _l("Any"))] + [(s.value, labels.STAFF_STATE_LABELS[s]) for s in States if s != States.DRAFT]
    )
    form.department_id.choices = forms.choices([("", _l("Any"))] + [(str(d.id), d.name) for d in depts])
    form.handler_id.choices = forms.choices([("", _l("Any"))] + [(str(u.id), u.name) for u in handlers])
    form.channel.choices = forms.choices([("", _l("Any"))] + [(k.value, v) for k, v in CHANNEL_LABELS.items()])
    default_queue = (
        "to_handle"
        if current_user.has_role(Role.HANDLER) and not current_user.has_role(Role.REGISTRAR, Role.OFFICE_HEAD)
        else "open"
    )
    f = queries.Filters(queue=request.args.get("queue") or default_queue)
    if form.validate():
        f.q = form.q.data or ""
        f.state = form.state.data or ""
        f.department_id = int(form.department_id.data) if form.department_id.data else None
        f.handler_id = int(form.handler_id.data) if form.handler_id.data else None
        f.channel = form.channel.data or ""
        f.due_within = form.due_within.data
        f.received_from, f.received_to = form.received_from.data, form.received_to.data
        f.sort = form.sort.data or "due"
    else:
        _form_error(form)
    form.queue.data = f.queue
    from disclosure.web.paging import page_number

    page = queries.list_page(agency_id, f, page=page_number(), user_id=current_user.id)
    from disclosure.applications import deadlines

    today = operations.today_china()
    left = {
        a.id: deadlines.working_days_left(a.due_date, today)
        for a in page.items
        if a.due_date and a.deadline_status not in ("none",)
    }
    return render_template(
        "applications/staff_list.html",
        page=page,
        form=form,
        left=left,
        queue_labels=QUEUE_LABELS,
        current_queue=f.queue,
        counts=queries.queue_counts(agency_id),
    )


@staff_bp.route("/candidates")
@staff_required(*CASE_ROLES)
def candidates():
    rows = operations.proactive_candidates(current_user.agency_id) if current_user.agency_id else []
    return render_template("applications/candidates.html", rows=rows)


@staff_bp.route("/settings", methods=["GET", "POST"])
@staff_required(Role.OFFICE_HEAD, Role.AGENCY_ADMIN)
def settings():
    if not current_user.agency_id:
        abort(403)
    row = operations.settings_for(current_user.agency_id)
    form = forms.SettingsForm(obj=row if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = row.version
    if form.validate_on_submit():
        operations.save_settings(
            current_user.agency_id,
            current_user,
            fee_wait_pauses_clock=form.fee_wait_pauses_clock.data,
            due_soon_days=form.due_soon_days.data,
            candidate_threshold=form.candidate_threshold.data,
            supplement_days=form.supplement_days.data,
            fee_payment_instructions=form.fee_payment_instructions.data or "",
            fee_waiver_allowed=form.fee_waiver_allowed.data,
            expected_version=_version(form),
        )
        flash(_("Settings saved."), "success")
        return redirect(url_for("applications_staff.settings"))
    return render_template("applications/settings.html", form=form), (422 if request.method == "POST" else 200)


# --- Staff: registration -------------------------------------------------------------------------------------


@staff_bp.route("/register", methods=["GET", "POST"])
@staff_required(Role.REGISTRAR, Role.OFFICE_HEAD)
def register():
    form = forms.RegisterForm()
    agency = db.session.get(Agency, current_user.agency_id) if current_user.agency_id else None
    if agency is None:
        abort(403)
    form.agency_id.choices = forms.choices([(agency.id, agency.full_name)])
    if request.method == "GET":
        form.agency_id.data = agency.id
        form.received_date.data = operations.today_china()
    if form.validate_on_submit():
        try:
            app = operations.register(
                agency,
                current_user,
                _input_from(form),
                channel=form.channel.data,
                received_date=form.received_date.data,
                evidence=form.evidence.data or "",
            )
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
            return render_template("applications/staff_register.html", form=form, basis=RECEIVED_BASIS), 422
        flash(_("Registered as %(ref)s.", ref=app.reference), "success")
        return redirect(url_for("applications_staff.case", case_id=app.id))
    if request.method == "POST":
        return render_template("applications/staff_register.html", form=form, basis=RECEIVED_BASIS), 422
    return render_template("applications/staff_register.html", form=form, basis=RECEIVED_BASIS)


# --- Staff: the case page ------------------------------------------------------------------------------------


def _staff_case(case_id: int) -> Application:
    app = staff_object(db.session.get(Application, case_id))
    if app.state == States.DRAFT:
        abort(404)
    return app


def _outcome_choices():
    from disclosure.correspondence.outcomes import OUTCOMES, Outcome

    manual = [o for o in Outcome if o not in (Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID)]
    refusals = [o for o in Outcome if OUTCOMES[o].is_refusal and o is not Outcome.PARTIAL]
    return (
        forms.choices([(o.value, OUTCOMES[o].label) for o in manual]),
        forms.choices([("", _l("—"))] + [(o.value, OUTCOMES[o].label) for o in refusals]),
    )


@staff_bp.route("/<int:case_id>")
@staff_required(*CASE_ROLES)
def case(case_id: int):
    app = _staff_case(case_id)
    from disclosure.applications import deadlines, letters
    from disclosure.correspondence.outcomes import OUTCOMES, Outcome

    today = operations.today_china()
    plan = operations.plan_for(app, today)
    actions = operations.allowed_actions(app, current_user, today)
    depts = [d for d in app.agency.departments if d.active]
    handlers = (
        db.session.execute(
            select(User)
            .where(User.agency_id == app.agency_id, User.kind == "staff", User.active.is_(True))
            .order_by(User.name)
        )
        .scalars()
        .all()
    )
    handlers = [u for u in handlers if u.has_role(Role.HANDLER)]
    assign_form = forms.AssignForm(version=app.version)
    assign_form.department_id.choices = forms.choices([(d.id, d.name) for d in depts])
    assign_form.handler_id.choices = forms.choices([(u.id, u.name) for u in handlers])
    outcome_choices, withheld_choices = _outcome_choices()
    item_forms = []
    for item in app.items:
        f = forms.ItemDecisionForm(
            prefix=f"item{item.id}",
            version=app.version,
            item_id=item.id,
            outcome=item.outcome,
            reasons=item.reasons,
            withheld_parts=item.withheld_parts,
            withheld_outcome=item.withheld_outcome or "",
            responsible_agency=item.responsible_agency,
            responsible_contact=item.responsible_contact,
            public_location=item.public_location,
            redirect_channel=item.redirect_channel,
            pages=item.pages,
        )
        f.outcome.choices, f.withheld_outcome.choices = outcome_choices, withheld_choices
        item_forms.append((item, f))
    return render_template(
        "applications/staff_case.html",
        app=app,
        plan=plan,
        actions=actions,
        today=today,
        steps=_steps(plan),
        days_left=deadlines.working_days_left(plan.due, today) if plan.due and app.deadline_status != "none" else None,
        notice_due=deadlines.supplement_notice_due(app.received_date) if app.received_date else None,
        repeats=operations.repeated_items(app) if app.state not in (States.SUBMITTED,) else [],
        letters=letters.letters_for(app),
        reviews=operations.reviews(app),
        notes=operations.notes(app),
        remedies=operations.remedies(app),
        can_record_remedies=operations.may_record_remedies(current_user),
        timeline=operations.timeline(app),
        masked_doc=mask_resident_id(app.doc_number) if app.doc_type == "resident_id" else app.doc_number,
        forms=forms,
        assign_form=assign_form,
        item_forms=item_forms,
        can_decide=operations.may_decide_items(app, current_user),
        correct_form=_correct_form(app),
        refusal_outcomes=[o.value for o, i in OUTCOMES.items() if i.is_refusal or o is Outcome.PARTIAL],
        remove_form=forms.RemoveFileForm(),
        identity_editable=operations.identity_correctable(app),
        v=app.version,
        labels=labels,
        OUTCOMES=OUTCOMES,
        Outcome=Outcome,
        CHANNEL_LABELS=CHANNEL_LABELS,
        RECEIVED_BASIS=RECEIVED_BASIS,
        PROVISION_LABELS=PROVISION_LABELS,
        DELIVERY_LABELS=DELIVERY_LABELS,
        Channel=Channel,
    )


def _correct_form(app: Application):
    """The correction form, filled with the details on record, for registrars and office heads."""
    if not operations.may_correct_applicant(app, current_user):
        return None
    form = forms.CorrectApplicantForm(formdata=None, obj=app)
    form.version.data = app.version
    form.doc_number.data = ""  # not shown again in full: left empty, it stays as recorded
    form.doc_number.description = _l("Leave empty to keep %(masked)s.", masked=mask_resident_id(app.doc_number or ""))
    return form


def _steps(plan) -> list[str]:
    """How the deadline was computed, in words (the deadline panel)."""
    from flask_babel import format_date

    out = []
    for key, values in plan.steps:
        shown = {
            k: (format_date(v, "long") if v else _("today")) if k in ("date", "start", "end") else v
            for k, v in values.items()
        }
        out.append(str(labels.STEP_LABELS[key]) % shown)
    return out


@staff_bp.route("/<int:case_id>/reply/draft.pdf")
@staff_required(*CASE_ROLES)
def reply_draft_pdf(case_id: int):
    """Issue 4: the office head and the legal reviewer review the exact PDF that will be issued."""
    from disclosure.applications import letters
    from disclosure.correspondence.service import LetterKind
    from disclosure.correspondence.views import draft_pdf_response

    app = _staff_case(case_id)
    return draft_pdf_response(LetterKind.REPLY, app.agency, letters.reply_context(app))


@staff_bp.route("/<int:case_id>/reply/preview")
@staff_required(*CASE_ROLES)
def reply_preview(case_id: int):
    """The reply letter as HTML while drafting."""
    from disclosure.applications import letters
    from disclosure.correspondence.service import LetterKind
    from disclosure.correspondence.views import preview_response

    app = _staff_case(case_id)
    return preview_response(LetterKind.REPLY, app.agency, letters.reply_context(app))


@staff_bp.route("/<int:case_id>/letters/<int:letter_id>")
@staff_required(*CASE_ROLES)
def staff_letter(case_id: int, letter_id: int):
    return _send_letter(_staff_case(case_id), letter_id)


@staff_bp.route("/<reference>")
@staff_required(*CASE_ROLES)
def case_by_reference(reference: str):
    """A case by its reference (DEMO-GOV-2026-00006), as people quote it: the case page."""
    app = operations.by_reference(reference.strip().upper())
    return redirect(url_for("applications_staff.case", case_id=staff_object(app).id))


@staff_bp.route("/<int:case_id>/files/<int:attachment_id>")
@staff_required(*CASE_ROLES)
def staff_file(case_id: int, attachment_id: int):
    app = _staff_case(case_id)
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.application_id != app.id:
        abort(404)
    return _send_stored(att.file)


# One POST endpoint per action: parse its form, load, authorise (the operation asks the workflow), call one
# operation. Each handler returns a success message.


def _do_confirm(app, form):
    operations.confirm(app, current_user, form.confirmed_on.data, expected_version=_version(form))
    return _("Receipt confirmed.")


def _do_assign(app, form):
    operations.assign(
        app,
        current_user,
        department=db.session.get(Department, form.department_id.data),
        handler=db.session.get(User, form.handler_id.data),
        note=form.reason.data or "",
        expected_version=_version(form),
    )
    return _("Assigned.")


def _do_start_handling(app, form):
    operations.start_handling(app, current_user, _version(form))
    return _("Handling started.")


def _do_request_supplement(app, form):
    operations.request_supplement(
        app, current_user, what=form.what.data, answer_days=form.days.data, expected_version=_version(form)
    )
    return _("The supplementation notice was issued and sent.")


def _do_receive_supplement(app, form):
    operations.receive_supplement(
        app,
        current_user,
        received_on=form.received_on.data,
        note=form.reason.data or "",
        expected_version=_version(form),
    )
    return _("Supplement recorded; the period restarts.")


def _do_abandon_unsupplemented(app, form):
    operations.abandon_unsupplemented(app, current_user, expected_version=_version(form))
    return _("The case was closed as not supplemented.")


def _do_start_consultation(app, form):
    operations.start_consultation(
        app,
        current_user,
        kind=form.kind.data,
        party=form.party.data,
        letter_date=form.letter_date.data,
        expected_version=_version(form),
    )
    return _("Consultation recorded; the reply period is paused.")


def _do_end_consultation(app, form):
    operations.end_consultation(
        app,
        current_user,
        answered_on=form.answered_on.data,
        answer=form.answer.data or "",
        expected_version=_version(form),
    )
    return _("Consultation answer recorded.")


def _do_notify_fee(app, form):
    operations.notify_fee(
        app, current_user, method=form.method.data, pages=form.pages.data, expected_version=_version(form)
    )
    return _("The fee notice was issued and sent.")


def _do_record_payment(app, form):
    operations.record_payment(
        app, current_user, paid_on=form.paid_on.data, receipt=form.receipt.data, expected_version=_version(form)
    )
    return _("Payment recorded.")


def _do_waive_fee(app, form):
    operations.waive_fee(app, current_user, reason=form.reason.data or "", expected_version=_version(form))
    return _("The fee was waived; handling continues.")


def _do_abandon_unpaid(app, form):
    operations.abandon_unpaid(app, current_user, expected_version=_version(form))
    return _("The case was closed as unpaid.")


def _do_extend_deadline(app, form):
    operations.extend_deadline(
        app, current_user, days=form.days.data, reason=form.reason.data or "", expected_version=_version(form)
    )
    return _("The deadline was extended and the applicant notified.")


def _do_set_custom_deadline(app, form):
    operations.set_custom_deadline(
        app, current_user, days=form.days.data, reason=form.reason.data or "", expected_version=_version(form)
    )
    return _("The longer deadline was set and the applicant notified.")


def _do_decide_item(app, form):
    from disclosure.applications.models import RequestedItem

    item = db.session.get(RequestedItem, int(form.item_id.data))
    if item is None or item.application_id != app.id:
        abort(404)
    operations.decide_item(
        item,
        current_user,
        outcome=form.outcome.data,
        reasons=form.reasons.data or "",
        withheld_parts=form.withheld_parts.data or "",
        withheld_outcome=form.withheld_outcome.data or None,
        responsible_agency=form.responsible_agency.data or "",
        responsible_contact=form.responsible_contact.data or "",
        public_location=form.public_location.data or "",
        redirect_channel=form.redirect_channel.data or "",
        pages=form.pages.data,
        expected_version=_version(form),
    )
    return _("Decision saved.")


def _do_draft_reply(app, form):
    operations.draft_reply(app, current_user, _version(form))
    return _("The reply is drafted.")


def _do_revise_draft(app, form):
    operations.revise_draft(app, current_user, _version(form))
    return _("The draft is open for revision.")


def _do_submit_for_review(app, form):
    operations.submit_for_review(app, current_user, _version(form))
    return _("Sent to the office review.")


def _review(stage):
    def handler(app, form):
        operations.review(
            app,
            current_user,
            stage=stage,
            approve=form.decision.data == "approve",
            comment=form.comment.data or "",
            expected_version=_version(form),
        )
        return _("Review recorded.")

    return handler


def _do_issue(app, form):
    letter = operations.issue(app, current_user, _version(form))
    return _("The reply letter %(number)s was issued.", number=letter.number)


def _do_deliver(app, form):
    receipt = _uploads(form.receipt.name)
    operations.deliver(
        app,
        current_user,
        channel=form.channel.data,
        tracking_number=form.tracking_number.data or "",
        receipt=receipt[0] if receipt else None,
        expected_version=_version(form),
    )
    return _("Delivery recorded.")


def _do_archive(app, form):
    operations.archive(app, current_user, _version(form))
    return _("Archived.")


def _do_record_withdrawal(app, form):
    operations.withdraw(app, current_user, reason=form.reason.data or "", expected_version=_version(form))
    return _("Withdrawal recorded.")


def _do_reopen(app, form):
    operations.reopen(
        app,
        current_user,
        received_on=form.received_on.data,
        reason=form.reason.data or "",
        expected_version=_version(form),
    )
    return _("The case was reopened with a new deadline.")


def _do_correct_applicant(app, form):
    # The details the form posts; the operation decides which may change now (`correctable_fields`).
    changes = {f: (form[f].data or "") for f in operations.APPLICANT_FIELDS if f in form and f in request.form}
    if app.applicant_type != "organisation":
        changes.pop("applicant_category", None)
    if changes.get("doc_type") == "":
        changes["doc_type"] = None
    if not changes.get("doc_number"):
        changes.pop("doc_number", None)
    operations.correct_applicant(
        app, current_user, changes=changes, reason=form.reason.data or "", expected_version=_version(form)
    )
    return _("The applicant's details were corrected.")


def _do_note(app, form):
    operations.add_note(app, current_user, form.body.data)
    return _("Note added.")


def _do_attach(app, form):
    ups = _uploads(form.file.name)
    if not ups:
        raise DomainError(_l("Choose a file."), field="file")
    operations.attach_information(
        app, current_user, upload=ups[0], purpose=form.purpose.data, title=form.title.data or ""
    )
    return _("File attached.")


def _do_remove_file(app, form):
    try:
        attachment_id = int(form.attachment_id.data)
    except (TypeError, ValueError):
        raise DomainError(_l("This file cannot be removed."), field="attachment_id") from None
    operations.remove_attachment(app, current_user, attachment_id)
    return _("The file was removed from the case.")


def _do_remedy(app, form):
    operations.record_remedy(
        app,
        current_user,
        kind=form.kind.data,
        body=form.body.data,
        filed_date=form.filed_date.data,
        result=form.result.data,
        decided_date=form.decided_date.data,
    )
    return _("Remedy recorded.")


def _do_remedy_update(app, form):
    row = db.session.get(Remedy, int(form.remedy_id.data))
    if row is None or row.application_id != app.id:
        abort(404)
    operations.update_remedy(row, current_user, result=form.result.data, decided_date=form.decided_date.data)
    return _("Remedy updated.")


ACTIONS = {
    "confirm": (forms.ConfirmForm, _do_confirm),
    "assign": (forms.AssignForm, _do_assign),
    "start_handling": (forms.VersionForm, _do_start_handling),
    "request_supplement": (forms.SupplementRequestForm, _do_request_supplement),
    "receive_supplement": (forms.SupplementReceivedForm, _do_receive_supplement),
    "abandon_unsupplemented": (forms.VersionForm, _do_abandon_unsupplemented),
    "start_consultation": (forms.ConsultationForm, _do_start_consultation),
    "end_consultation": (forms.ConsultationEndForm, _do_end_consultation),
    "notify_fee": (forms.FeeForm, _do_notify_fee),
    "record_payment": (forms.PaymentForm, _do_record_payment),
    "waive_fee": (forms.VersionForm, _do_waive_fee),
    "abandon_unpaid": (forms.VersionForm, _do_abandon_unpaid),
    "extend_deadline": (forms.DaysForm, _do_extend_deadline),
    "set_custom_deadline": (forms.DaysForm, _do_set_custom_deadline),
    "decide_item": (forms.ItemDecisionForm, _do_decide_item),
    "draft_reply": (forms.VersionForm, _do_draft_reply),
    "revise_draft": (forms.VersionForm, _do_revise_draft),
    "submit_for_review": (forms.VersionForm, _do_submit_for_review),
    "office_review": (forms.ReviewForm, _review("office")),
    "legal_review": (forms.ReviewForm, _review("legal")),
    "issue": (forms.VersionForm, _do_issue),
    "deliver": (forms.DeliveryForm, _do_deliver),
    "archive": (forms.VersionForm, _do_archive),
    "record_withdrawal": (forms.VersionForm, _do_record_withdrawal),
    "reopen": (forms.ReopenForm, _do_reopen),
    "note": (forms.NoteForm, _do_note),
    "correct_applicant": (forms.CorrectApplicantForm, _do_correct_applicant),
    "attach": (forms.AttachForm, _do_attach),
    "remove_file": (forms.RemoveFileForm, _do_remove_file),
    "remedy": (forms.RemedyForm, _do_remedy),
    "remedy_update": (forms.RemedyUpdateForm, _do_remedy_update),
}


@staff_bp.route("/<int:case_id>/act/<action>", methods=["POST"])
@staff_required(*CASE_ROLES)
def act(case_id: int, action: str):
    app = _staff_case(case_id)
    if action not in ACTIONS:
        abort(404)
    form_cls, handler = ACTIONS[action]
    prefix = request.form.get("prefix", "")
    form = form_cls(prefix=prefix) if prefix else form_cls()
    if isinstance(form, forms.AssignForm):  # the operation checks department and handler belong to the agency
        form.department_id.choices = forms.choices([(d.id, d.name) for d in app.agency.departments])
        form.handler_id.choices = forms.choices(
            [(u.id, u.name) for u in db.session.execute(select(User).where(User.agency_id == app.agency_id)).scalars()]
        )
    if isinstance(form, forms.ItemDecisionForm):
        form.outcome.choices, form.withheld_outcome.choices = _outcome_choices()
    if isinstance(form, forms.CorrectApplicantForm):  # the page shows the fields that apply to this applicant
        for name in ("applicant_category", "doc_type"):
            if name not in request.form:
                delattr(form, name)
    if not form.validate_on_submit():
        _form_error(form)
        return redirect(url_for("applications_staff.case", case_id=app.id) + f"#act-{action}")
    flash(handler(app, form), "success")
    return redirect(url_for("applications_staff.case", case_id=app.id))
