"""What the applicant's and the staff's pages share: the staff roles that see cases, reading a form into an
operation's input, the version a form carries, form errors, and sending a letter or a stored file."""

from __future__ import annotations

from pathlib import PurePath

from flask import abort, flash, request, session
from sqlalchemy import select

from disclosure.accounts.roles import Role
from disclosure.applications import forms, letters, operations
from disclosure.applications.models import Application, Rating
from disclosure.applications.uploads import Upload
from disclosure.correspondence import pdf_download_response
from disclosure.extensions import db
from disclosure.web.downloads import send_download
from disclosure.web.params import parse_int

CASE_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER)


def uploads_in(name: str) -> list[Upload]:
    return [Upload(f.filename or "file", f.read()) for f in request.files.getlist(name) if f and f.filename]


def input_from(form: forms.ApplicationForm) -> operations.ApplicationInput:
    items = []
    for n in range(1, forms.ITEM_ROWS + 1):
        desc = getattr(form, f"item_{n}_description").data or ""
        ref = getattr(form, f"item_{n}_document_ref").data or ""
        if desc or ref:
            items.append(operations.ItemInput(desc, ref))
    files = [("identity", u) for u in uploads_in("identity_files")] + [
        ("supporting", u) for u in uploads_in("supporting_files")
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


def version_of(form) -> int | None:
    raw = getattr(form, "version", None)
    return parse_int(raw.data if raw is not None else None, min=0)  # malformed: no version check, not a 500


def form_error(form) -> None:
    for name, errs in form.errors.items():
        label = getattr(getattr(form, name, None), "label", None)
        flash(f"{label.text if label else name}: {' '.join(str(e) for e in errs)}", "error")


def clarified_items(app: Application) -> dict[int, str]:
    """The requested items as a supplement words them (the `clarified_<position>` fields of the answer and the
    staff's record of a supplement received, each shown filled with the item as it stands)."""
    return {i.position: request.form.get(f"clarified_{i.position}", "") for i in app.items}


def rating_of(app: Application) -> Rating | None:
    """The applicant's rating of the reply, if they gave one."""
    return db.session.execute(select(Rating).where(Rating.application_id == app.id)).scalar_one_or_none()


FIELD_ERRORS = "applications.field_errors"


def keep_field_errors(action: str, prefix: str, errors: dict[str, list[str]]) -> None:
    """Remember, for the page the action redirects to, which fields of which form were refused and why (the
    messages are short; the page shows each beside its field: `field_errors_for`)."""
    errors = {name: msgs for name, msgs in errors.items() if name != "csrf_token" and msgs}
    if errors:
        session[FIELD_ERRORS] = {"action": action, "prefix": prefix, "errors": errors}


def field_errors_for():
    """A function for the page's template: `apply(action, form, prefix)` puts the remembered messages of that
    action's form on its fields (once: they are taken from the session) and returns the form."""
    kept = session.pop(FIELD_ERRORS, None)

    def apply(action: str, form, prefix: str = ""):
        if not kept or kept.get("action") != action or (kept.get("prefix") or "") != (prefix or ""):
            return form
        for name, msgs in kept["errors"].items():
            fld = form._fields.get(name)
            if fld is not None:
                fld.errors = list(msgs)
        return form

    return apply


def send_letter(app: Application, letter_id: int, *, applicant_view: bool = False):
    found = next((lt for lt in letters.letters_for(app, applicant_view=applicant_view) if lt.id == letter_id), None)
    if found is None:
        abort(404)
    return pdf_download_response(found)


def send_stored(stored, title: str = ""):
    """A stored file, named by its title when it has one (the extension of the upload kept)."""
    suffix = PurePath(stored.original_name).suffix
    return send_download(
        stored.read_bytes(),
        mimetype=stored.content_type.split(";")[0],
        name=f"{title}{suffix}" if title else stored.original_name,
        ascii_name=f"file-{stored.id}{suffix if suffix.isascii() else ''}",
    )
