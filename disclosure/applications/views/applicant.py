"""The applicant's pages: filing (drafts, sending), my applications, answering a supplementation notice,
withdrawing, rating the reply, and downloading the case's letters and files."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.applications import forms, labels, letters, operations
from disclosure.applications.models import (
    DELIVERY_LABELS,
    PROVISION_LABELS,
    Application,
    Attachment,
    CaseEvent,
    EventKind,
    released_to_applicant,
)
from disclosure.applications.views.common import (
    clarified_items,
    form_error,
    input_from,
    rating_of,
    send_letter,
    send_stored,
    uploads_in,
    version_of,
)
from disclosure.core.errors import DomainError
from disclosure.correspondence import OUTCOMES, Outcome, remedy_for
from disclosure.correspondence import letter_jinja_env as jinja_env
from disclosure.extensions import db
from disclosure.web.access import applicant_required, own_object
from disclosure.web.forms import show_errors
from disclosure.web.paging import paginate
from workflows.application import States

bp = Blueprint("applications", __name__, url_prefix="/my/applications")


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
                saved = operations.save_draft(current_user, agency, input_from(form), draft, version_of(form))
                operations.submit(saved, current_user)
                flash(_("Your application was sent. Reference: %(ref)s", ref=saved.reference), "success")
                return redirect(url_for("applications.detail", reference=saved.reference, sent=1))
            saved = operations.save_draft(current_user, agency, input_from(form), draft, version_of(form))
        except DomainError as exc:
            db.session.rollback()
            for message in show_errors(form, exc):  # every problem beside its field, the rest above the form
                flash(message, "error")
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
    plan = operations.plan_for(app)
    return render_template(
        "applications/detail.html",
        app=app,
        plan=plan,
        letters=letters.letters_for(app, applicant_view=True),
        fee=_open_fee(app),
        supplement=_open_supplement(app),
        rating=rating_of(app),
        result=_result(app),
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


def _result(app: Application) -> dict | None:
    """What the reply decided, for the applicant's page once it is issued: each item's outcome in words, and the
    remedies with their time limits exactly as the reply letter states them (its remedy clause, chosen by
    `outcomes.remedy_for`: reconsideration within 60 days or a lawsuit within 6 months, or reconsideration first
    for what was refused)."""
    if app.issued_date is None or not app.items or not all(i.outcome for i in app.items):
        return None
    ordinary, refused = remedy_for([i.outcome for i in app.items])
    remedy = {
        "ordinary": ordinary,
        "refused": refused,
        "body": app.agency.reconsideration_body or "",
        "court": app.agency.litigation_court or "",
    }
    clause = jinja_env().get_template("base/macros.html").module.remedy_clause(remedy, "本答复")
    return {"items": [(i, OUTCOMES[Outcome(i.outcome)]) for i in app.items], "remedies": clause}


def _open_fee(app):
    fees = [e for e in app.events if e.kind == "fee_notice"]
    return fees[-1] if fees else None


def _open_supplement(app):
    reqs = [e for e in app.events if e.kind == "supplement_request"]
    return reqs[-1] if reqs else None


def _on_own_case(reference: str, form_cls, call):
    """An applicant's action on their case: check the form, call the operation (`call` returns what was done),
    back to the case page."""
    app = _own_case(reference)
    form = form_cls()
    if form.validate_on_submit():
        flash(call(app, form), "success")
    else:
        form_error(form)
    return redirect(url_for("applications.detail", reference=reference))


@bp.route("/<reference>/supplement", methods=["POST"])
@applicant_required
def answer_supplement(reference: str):
    def call(app, form):
        operations.answer_supplement(
            app,
            current_user,
            text=form.text.data or "",
            files=uploads_in("files"),
            items=clarified_items(app),
            expected_version=version_of(form),
        )
        return _("Your supplement was received.")

    return _on_own_case(reference, forms.AnswerSupplementForm, call)


@bp.route("/<reference>/withdraw", methods=["POST"])
@applicant_required
def withdraw(reference: str):
    def call(app, form):
        operations.withdraw(app, current_user, reason=form.reason.data or "", expected_version=version_of(form))
        return _("The application was withdrawn.")

    return _on_own_case(reference, forms.WithdrawForm, call)


@bp.route("/<reference>/rate", methods=["POST"])
@applicant_required
def rate(reference: str):
    def call(app, form):
        operations.rate(app, current_user, satisfied=form.satisfied.data == "yes", comment=form.comment.data or "")
        return _("Thank you for your rating.")

    return _on_own_case(reference, forms.RatingForm, call)


@bp.route("/<reference>/letters/<int:letter_id>")
@applicant_required
def letter(reference: str, letter_id: int):
    app = _own_case(reference)
    return send_letter(app, letter_id, applicant_view=True)


@bp.route("/<reference>/files/<int:attachment_id>")
@applicant_required
def file(reference: str, attachment_id: int):
    app = _own_case(reference)
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.application_id != app.id or not released_to_applicant(app, att):
        abort(404)
    return send_stored(att.file, att.title)
