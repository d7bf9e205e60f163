"""Letters on the web: public verification, staff letter pages (download, void, email, delivery), the
applicant's download, the agency administrators' letter settings and the sample previews."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.core.errors import DomainError
from disclosure.correspondence import letters, samples
from disclosure.correspondence import operations as ops
from disclosure.correspondence.forms import (
    SERIES_LABELS,
    DeliveryForm,
    EmailForm,
    VerifyForm,
    VoidForm,
    settings_form_class,
)
from disclosure.correspondence.kinds import KINDS, LetterKind, kind_info
from disclosure.correspondence.models import Letter, LetterStatus
from disclosure.correspondence.paragraphs import SLOTS
from disclosure.correspondence.rendering import LETTERS_DIR
from disclosure.correspondence.responses import draft_pdf_response, pdf_download_response, preview_response
from disclosure.extensions import db, limiter
from disclosure.web.access import applicant_required, public, staff_object, staff_required
from disclosure.web.params import arg_id

# Who works with an agency's letters (they name applicants and addresses): the disclosure office and the agency
# administrator, not the publicity or catalogue staff.
LETTER_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_ADMIN)

bp = Blueprint("letters", __name__)


def _form_error(form, exc: DomainError, default_field: str) -> None:
    db.session.rollback()
    target = getattr(form, exc.field, None) if exc.field else None
    (target or getattr(form, default_field)).errors.append(exc.message)


# --- public -----------------------------------------------------------------------------------------------------


@bp.route("/letters/verify")
@public
@limiter.limit("10/minute;100/day", exempt_when=lambda: not request.args.get("code"))
def verify():
    """Public check of a letter's authenticity (issue 4): number + code → agency, date, masked addressee,
    checksum; or plainly "no such letter". A wrong code reveals nothing more than an unknown number."""
    form = VerifyForm(request.args)
    result = None
    searched = bool(request.args.get("number") or request.args.get("code"))
    if searched and form.validate():
        letter = letters.verify(form.number.data, form.code.data)
        result = letters.public_summary(letter) if letter else None
    return render_template(
        "correspondence/verify.html", form=form, result=result, searched=searched, LetterStatus=LetterStatus
    )


@bp.route("/letters/style/<kind>.css")
@public
def stylesheet(kind: str):
    """The letter stylesheets for the HTML preview (the CSP forbids inline styles)."""
    try:
        kind = LetterKind(kind)
    except ValueError:
        abort(404)
    parts = [(LETTERS_DIR / "base" / "letter.css").read_text(encoding="utf-8")]
    extra = LETTERS_DIR / kind.value / "style.css"
    if extra.is_file():
        parts.append(extra.read_text(encoding="utf-8"))
    parts.append(PREVIEW_CSS)
    return Response("\n".join(parts), mimetype="text/css")


# The browser preview shows the page as a sheet of paper; WeasyPrint ignores this (screen media only).
PREVIEW_CSS = """
@media screen {
  html { background: #e5e5e5; }
  body { background: #fff; width: 156mm; margin: 12px auto; padding: 37mm 26mm 35mm 28mm;
         box-shadow: 0 1px 4px rgba(0,0,0,.3); }
}
"""


# --- applicants -------------------------------------------------------------------------------------------------


@bp.route("/my/letters/<int:letter_id>.pdf")
@applicant_required
def my_letter_pdf(letter_id: int):
    letter = db.session.get(Letter, letter_id)
    if letter is None or not letter.related_type or letter.status == LetterStatus.VOID:
        abort(404)
    # The domain that relates letters to its objects names the applicant who owns them (signals.letter_owner).
    owners = signals.values_from(signals.letter_owner.send(letter.related_type, related_id=letter.related_id))
    if current_user.id not in owners:
        abort(404)
    if not kind_info(letter.kind).addressed_to_applicant:
        abort(404)
    return pdf_download_response(letter)


# --- staff ------------------------------------------------------------------------------------------------------


def _agency_scope() -> int | None:
    return None if current_user.is_sys_admin else current_user.agency_id


@bp.route("/staff/letters/")
@staff_required(*LETTER_ROLES)
def letter_list():
    q = db.select(Letter).order_by(Letter.id.desc()).limit(200)
    scope = _agency_scope()
    if scope is not None:
        q = q.where(Letter.agency_id == scope)
    number = (request.args.get("number") or "").strip()
    if number:
        q = q.where(Letter.number.contains(letters.normalise_number(number), autoescape=True))
    return render_template(
        "correspondence/list.html", letters=db.session.execute(q).scalars().all(), number=number, KINDS=KINDS
    )


@bp.route("/staff/letters/<int:letter_id>")
@staff_required(*LETTER_ROLES)
def letter_detail(letter_id: int):
    letter = staff_object(db.session.get(Letter, letter_id))
    return render_template(
        "correspondence/detail.html",
        letter=letter,
        info=kind_info(letter.kind),
        void_form=VoidForm(),
        email_form=EmailForm(),
        delivery_form=DeliveryForm(),
        events=letter.audit_events(),
        LetterStatus=LetterStatus,
        corrected_by=db.session.execute(db.select(Letter).where(Letter.corrects_id == letter.id)).scalars().all(),
    )


@bp.route("/staff/letters/<int:letter_id>.pdf")
@staff_required(*LETTER_ROLES)
def letter_pdf(letter_id: int):
    return pdf_download_response(staff_object(db.session.get(Letter, letter_id)))


@bp.route("/staff/letters/<int:letter_id>/void", methods=["POST"])
@staff_required(Role.OFFICE_HEAD)
def letter_void(letter_id: int):
    letter = staff_object(db.session.get(Letter, letter_id))
    form = VoidForm()
    if form.validate_on_submit():
        letters.void_letter(letter, form.reason.data)
        flash(
            _("Letter %(number)s is void. Its number stays recorded and is not reused.", number=letter.number),
            "success",
        )
    else:
        flash(_("Give the reason for voiding the letter."), "error")
    return redirect(url_for("letters.letter_detail", letter_id=letter.id))


@bp.route("/staff/letters/<int:letter_id>/email", methods=["POST"])
@staff_required(Role.REGISTRAR, Role.HANDLER, Role.OFFICE_HEAD)
def letter_email(letter_id: int):
    letter = staff_object(db.session.get(Letter, letter_id))
    form = EmailForm()
    if form.validate_on_submit():
        letters.email_letter(letter, form.to.data, actor=current_user)
        flash(_("The letter is queued for email to %(to)s.", to=form.to.data), "success")
    else:
        flash(_("Enter a valid email address."), "error")
    return redirect(url_for("letters.letter_detail", letter_id=letter.id))


@bp.route("/staff/letters/<int:letter_id>/delivery", methods=["POST"])
@staff_required(Role.REGISTRAR, Role.HANDLER, Role.OFFICE_HEAD)
def letter_delivery(letter_id: int):
    letter = staff_object(db.session.get(Letter, letter_id))
    form = DeliveryForm()
    if form.validate_on_submit():
        letters.record_delivery(
            letter,
            form.method.data,
            recipient=form.recipient.data or "",
            tracking_number=form.tracking_number.data or "",
            delivered_on=form.delivered_on.data,
            note=form.note.data or "",
            actor=current_user,
        )
        flash(_("The delivery is recorded."), "success")
    else:
        flash(_("The delivery could not be recorded: check the date and the fields."), "error")
    return redirect(url_for("letters.letter_detail", letter_id=letter.id))


# --- agency administrators ----------------------------------------------------------------------------------------


def _admin_agency() -> Agency:
    agency_id = arg_id("agency_id") if current_user.is_sys_admin else None
    agency = (
        db.session.get(Agency, agency_id or current_user.agency_id) if (agency_id or current_user.agency_id) else None
    )
    return staff_object(agency, "id")


@bp.route("/admin/letters/settings", methods=["GET", "POST"])
@staff_required(Role.AGENCY_ADMIN)
def settings():
    agency = _admin_agency()
    row = letters.settings_for(agency)
    form_class = settings_form_class()
    form = form_class()
    if request.method == "GET":
        form.letterhead.data = row.letterhead
        form.signatory.data = row.signatory
        form.contact_block.data = row.contact_block
        form.reconsideration_body.data = agency.reconsideration_body
        form.litigation_court.data = agency.litigation_court
        for series in SERIES_LABELS:
            getattr(form, f"prefix_{series}").data = (agency.doc_number_prefixes or {}).get(series, "")
        current = row.paragraphs or {}
        for kind, slots in SLOTS.items():
            for slot in slots:
                own = (current.get(kind.value) or {}).get(slot.key)
                getattr(form, f"para_{kind.value}_{slot.key}").data = own if own is not None else slot.default
    if form.validate_on_submit():
        upload = request.files.get(form.seal.name)
        seal = upload.read() if upload and upload.filename else None
        try:
            ops.update_letter_settings(
                agency,
                letterhead=form.letterhead.data or "",
                signatory=form.signatory.data or "",
                contact_block=form.contact_block.data or "",
                reconsideration_body=form.reconsideration_body.data,
                litigation_court=form.litigation_court.data,
                prefixes={s: getattr(form, f"prefix_{s}").data or "" for s in SERIES_LABELS},
                paragraphs={
                    kind.value: {s.key: getattr(form, f"para_{kind.value}_{s.key}").data or "" for s in slots}
                    for kind, slots in SLOTS.items()
                },
                seal=seal,
                remove_seal=form.remove_seal.data,
            )
        except DomainError as exc:
            field = exc.field if exc.field and hasattr(form, exc.field) else "letterhead"
            _form_error(form, exc, field)
        else:
            flash(_("The letter settings are saved."), "success")
            return redirect(
                url_for("letters.settings", **({"agency_id": agency.id} if current_user.is_sys_admin else {}))
            )
    return render_template(
        "correspondence/settings.html",
        form=form,
        agency=agency,
        row=row,
        SLOTS=SLOTS,
        SERIES_LABELS=SERIES_LABELS,
        KINDS=KINDS,
        events=agency.audit_events(),
    )


@bp.route("/admin/letters/sample/<kind>")
@bp.route("/admin/letters/sample/<kind>.<fmt>")
@staff_required(Role.AGENCY_ADMIN, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER)
def sample(kind: str, fmt: str = "html"):
    """Every letter kind with realistic sample data and this agency's settings, as HTML or as the exact PDF."""
    try:
        kind = LetterKind(kind)
    except ValueError:
        abort(404)
    agency = _admin_agency()
    context = samples.sample_context(kind)
    if fmt == "pdf":
        return draft_pdf_response(kind, agency, context)
    if fmt != "html":
        abort(404)
    return preview_response(kind, agency, context)
