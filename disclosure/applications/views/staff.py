"""The staff's pages: the workbench (queues, filters), proactive-disclosure candidates, registering an
application received on paper, the case page and its letters and files. The case page's actions are in
`staff_actions`."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from disclosure.accounts.models import Agency, Department, User
from disclosure.accounts.roles import Role
from disclosure.applications import deadlines, forms, labels, letters, operations, queries
from disclosure.applications.models import (
    CHANNEL_LABELS,
    DELIVERY_LABELS,
    PROVISION_LABELS,
    RECEIVED_BASIS,
    Application,
    Attachment,
    Channel,
    EventKind,
)
from disclosure.applications.operations import proactive
from disclosure.applications.views.common import (
    CASE_ROLES,
    field_errors_for,
    form_error,
    input_from,
    rating_of,
    send_letter,
    send_stored,
)
from disclosure.applications.views.history import case_history
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.core.validators import mask_resident_id
from disclosure.correspondence import (
    OUTCOMES,
    LetterKind,
    Outcome,
    draft_pdf_response,
    letter_opening,
    preview_response,
)
from disclosure.extensions import db
from disclosure.web.access import staff_object, staff_required
from disclosure.web.forms import show_errors
from disclosure.web.paging import page_number
from disclosure.web.params import parse_id
from workflows.application import States

staff_bp = Blueprint("applications_staff", __name__, url_prefix="/staff/applications")


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
        f.department_id = parse_id(form.department_id.data)  # malformed or out of range: no such filter
        f.handler_id = parse_id(form.handler_id.data)
        f.channel = form.channel.data or ""
        f.due_within = form.due_within.data
        f.received_from, f.received_to = form.received_from.data, form.received_to.data
        f.sort = form.sort.data or "due"
    else:
        form_error(form)
    form.queue.data = f.queue
    page = queries.list_page(agency_id, f, page=page_number(), user_id=current_user.id)
    today = today_china()
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


# Who turns a candidate into a catalogue draft (Art. 44): those who draft catalogue entries.
CATALOG_DRAFTERS = (Role.CATALOG_EDITOR, Role.OFFICE_HEAD)


@staff_bp.route("/candidates")
@staff_required(*CASE_ROLES, Role.CATALOG_EDITOR)
def candidates():
    rows = proactive.candidates(current_user.agency_id) if current_user.agency_id else []
    can_draft = any(current_user.has_role(r) for r in CATALOG_DRAFTERS)
    return render_template("applications/candidates.html", rows=rows, can_draft=can_draft)


@staff_bp.route("/candidates/draft", methods=["POST"])
@staff_required(*CATALOG_DRAFTERS)
def draft_candidate():
    """Art. 44: the candidate becomes a catalogue draft linked to every request that asked for it."""
    agency = db.session.get(Agency, current_user.agency_id) if current_user.agency_id else None
    if agency is None:
        abort(403)
    try:
        result = proactive.draft_from_candidate(agency, current_user, request.form.get("fingerprint", ""))
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("applications_staff.candidates"))
    if result.created:
        flash(_("Catalogue draft created and linked to %(n)s requests.", n=result.linked), "success")
    else:
        flash(
            _("The catalogue already has this information; %(n)s more requests were linked to it.", n=result.linked),
            "success",
        )
    return redirect(url_for("catalog.entry", entry_id=result.entry.id))


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
        form.received_date.data = today_china()
    if form.validate_on_submit():
        try:
            app = operations.register(
                agency,
                current_user,
                input_from(form),
                channel=form.channel.data,
                received_date=form.received_date.data,
                evidence=form.evidence.data or "",
            )
        except DomainError as exc:
            db.session.rollback()
            for message in show_errors(form, exc):  # every problem beside its field, the rest above the form
                flash(message, "error")
            return render_template("applications/staff_register.html", form=form, basis=RECEIVED_BASIS), 422
        flash(_("Registered as %(ref)s.", ref=app.reference), "success")
        return redirect(url_for("applications_staff.case", case_id=app.id))
    if request.method == "POST":
        return render_template("applications/staff_register.html", form=form, basis=RECEIVED_BASIS), 422
    return render_template("applications/staff_register.html", form=form, basis=RECEIVED_BASIS)


def staff_case(case_id: int) -> Application:
    app = staff_object(db.session.get(Application, case_id))
    if app.state == States.DRAFT:
        abort(404)
    return app


def item_outcome_choices():
    manual = [o for o in Outcome if o not in (Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID)]
    refusals = [o for o in Outcome if OUTCOMES[o].is_refusal and o is not Outcome.PARTIAL]
    return (
        forms.choices([(o.value, OUTCOMES[o].label) for o in manual]),
        forms.choices([("", _l("—"))] + [(o.value, OUTCOMES[o].label) for o in refusals]),
    )


def decision_help(app: Application) -> dict:
    """What the item decision form needs to show only the fields an outcome needs (the page's script reads the
    table and the letter openings from the form's data attributes; without the script every field shows, each
    with a hint naming the outcomes it applies to) and what the letter already prints before the reasons."""
    you = "你单位" if app.applicant_type == "organisation" else "你"
    manual = [o for o in Outcome if o not in (Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID)]
    table = {o.value: list(operations.decision_fields(o, app.provision_form)[0]) for o in manual}
    table[Outcome.ALREADY_PUBLIC.value].insert(0, "public_entry")  # Art. 36(1): cite the catalogue entry
    openings = {
        o.value: _("The letter will already say: “%(opening)s” — write only what follows.", opening=text)
        for o in manual
        if (text := letter_opening(o, you=you)) and "reasons" in table[o.value]
    }
    applies = {
        f: _("Applies to: %(outcomes)s.", outcomes="; ".join(str(OUTCOMES[o].label) for o in manual if f in table[o]))
        for f in operations.DECISION_FIELDS
        if f != "outcome"
    }

    def hints(outcome: str | None) -> dict:
        out = {f: Markup('<span class="applies">{}</span>').format(text) for f, text in applies.items()}
        opening = openings.get(outcome or "", "")
        out["reasons"] += Markup(' <span class="opening"{}>{}</span>').format(
            Markup("") if opening else Markup(" hidden"), opening
        )
        out["public_entry"] = _(
            "For information already proactively disclosed: the entry's title, index number and public address "
            "fill where it can be obtained (document numbers in any brackets)."
        )
        return out

    attrs = {"data-decision-fields": json.dumps(table), "data-openings": json.dumps(openings, ensure_ascii=False)}
    return {"hints": hints, "attrs": attrs}


@staff_bp.route("/<int:case_id>")
@staff_required(*CASE_ROLES)
def case(case_id: int):
    app = staff_case(case_id)
    today = today_china()
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
    outcome_choices, withheld_choices = item_outcome_choices()
    help_ = decision_help(app)
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
        item_forms.append((item, f, help_["hints"](item.outcome)))
    return render_template(
        "applications/staff_case.html",
        app=app,
        plan=plan,
        actions=actions,
        today=today,
        steps=_steps(plan),
        days_left=deadlines.working_days_left(plan.due, today) if plan.due and app.deadline_status != "none" else None,
        notice_due=_supplement_notice_due(app, today),
        repeats=operations.repeated_items(app) if app.state not in (States.SUBMITTED,) else [],
        catalog_links=proactive.catalog_links(app),
        letters=letters.letters_for(app),
        reviews=operations.reviews(app),
        notes=operations.notes(app),
        remedies=operations.remedies(app),
        can_record_remedies=operations.may_record_remedies(current_user),
        timeline=case_history(app),
        rating=rating_of(app),
        masked_doc=mask_resident_id(app.doc_number) if app.doc_type == "resident_id" else app.doc_number,
        forms=forms,
        assign_form=assign_form,
        item_forms=item_forms,
        decision_attrs=help_["attrs"],
        can_decide=operations.may_decide_items(app, current_user),
        correct_form=_correct_form(app),
        refusal_outcomes=[o.value for o, i in OUTCOMES.items() if i.is_refusal or o is Outcome.PARTIAL],
        remove_form=forms.RemoveFileForm(),
        identity_editable=operations.identity_correctable(app),
        v=app.version,
        field_errors=field_errors_for(),
        labels=labels,
        OUTCOMES=OUTCOMES,
        Outcome=Outcome,
        CHANNEL_LABELS=CHANNEL_LABELS,
        RECEIVED_BASIS=RECEIVED_BASIS,
        PROVISION_LABELS=PROVISION_LABELS,
        DELIVERY_LABELS=DELIVERY_LABELS,
        Channel=Channel,
    )


def _supplement_notice_due(app: Application, today):
    """The last day for the supplementation notice (Art. 30: within 7 working days of receipt), while one may still
    be sent: not once it was sent (the law allows one), nor after the day."""
    if app.state != States.REGISTERED or app.received_date is None:
        return None
    if any(e.kind == EventKind.SUPPLEMENT_REQUEST for e in app.events):
        return None
    due = deadlines.supplement_notice_due(app.received_date)
    return due if today <= due else None


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
    out = []
    for key, values in plan.steps:
        shown = {
            k: (format_date(v, "long") if v else _("today")) if k in ("date", "start", "end") else v
            for k, v in values.items()
        }
        out.append(str(labels.STEP_LABELS[key]) % shown)
    return out


def _not_yet_a_reply(app: Application, undecided):
    """The reply says what was decided on every item: while some are undecided there is no letter to show, so
    the case page says which items still need a decision (issue 10: it was a 500)."""
    flash(
        ngettext(
            "The reply cannot be shown yet: decide item %(items)s first.",
            "The reply cannot be shown yet: decide items %(items)s first.",
            len(undecided),
            items=", ".join(str(i.position) for i in undecided),
        ),
        "error",
    )
    return redirect(url_for("applications_staff.case", case_id=app.id) + "#items-h")


@staff_bp.route("/<int:case_id>/reply/draft.pdf")
@staff_required(*CASE_ROLES)
def reply_draft_pdf(case_id: int):
    """Issue 4: the office head and the legal reviewer review the exact PDF that will be issued."""
    app = staff_case(case_id)
    if undecided := operations.undecided_items(app):
        return _not_yet_a_reply(app, undecided)
    return draft_pdf_response(LetterKind.REPLY, app.agency, letters.reply_context(app))


@staff_bp.route("/<int:case_id>/reply/preview")
@staff_required(*CASE_ROLES)
def reply_preview(case_id: int):
    """The reply letter as HTML while drafting."""
    app = staff_case(case_id)
    if undecided := operations.undecided_items(app):
        return _not_yet_a_reply(app, undecided)
    return preview_response(LetterKind.REPLY, app.agency, letters.reply_context(app))


@staff_bp.route("/<int:case_id>/letters/<int:letter_id>")
@staff_required(*CASE_ROLES)
def staff_letter(case_id: int, letter_id: int):
    return send_letter(staff_case(case_id), letter_id)


@staff_bp.route("/<reference>")
@staff_required(*CASE_ROLES)
def case_by_reference(reference: str):
    """A case by its reference (DEMO-GOV-2026-00006), as people quote it: the case page."""
    app = operations.by_reference(reference.strip().upper())
    return redirect(url_for("applications_staff.case", case_id=staff_object(app).id))


@staff_bp.route("/<int:case_id>/files/<int:attachment_id>")
@staff_required(*CASE_ROLES)
def staff_file(case_id: int, attachment_id: int):
    app = staff_case(case_id)
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.application_id != app.id:
        abort(404)
    return send_stored(att.file)
