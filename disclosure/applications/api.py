"""JSON API for external portals: file an application on an applicant's behalf, and read its state.

`POST /api/v1/applications` (scope `applications:write`) and `GET /api/v1/applications/<reference>` (scope
`applications:read`). The token names the agency; the same validation as the forms decides (条例 Art. 29).
"""

from __future__ import annotations

from apiflask import APIBlueprint, Schema, abort
from apiflask.fields import Boolean, Date, List, Nested, String
from apiflask.validators import Length, OneOf
from flask import Flask
from flask_babel import gettext as _

from disclosure.accounts.roles import ApplicantCategory, ApplicantType
from disclosure.api import current_token, require_scope, token_auth
from disclosure.applications import letters, operations
from disclosure.applications.models import Application, DeliveryChannel, ProvisionForm
from disclosure.extensions import csrf
from workflows.application import States

bp = APIBlueprint("applications_api", __name__, url_prefix="/api/v1/applications", tag="Applications")


class ItemIn(Schema):
    description = String(required=True, validate=Length(min=1, max=4000))
    document_ref = String(load_default="", validate=Length(max=300))


class ApplicantIn(Schema):
    type = String(required=True, validate=OneOf([t.value for t in ApplicantType]))
    category = String(
        load_default=ApplicantCategory.NATURAL_PERSON.value, validate=OneOf([c.value for c in ApplicantCategory])
    )
    name = String(required=True, validate=Length(min=1, max=200))
    doc_type = String(load_default=None, allow_none=True)
    doc_number = String(load_default=None, allow_none=True)
    credit_code = String(load_default=None, allow_none=True)
    legal_representative = String(load_default=None, allow_none=True)
    contact_person = String(load_default=None, allow_none=True)
    phone = String(load_default="")
    email = String(load_default="")
    postal_address = String(load_default="")
    postal_code = String(load_default="")


class ApplicationIn(Schema):
    applicant = Nested(ApplicantIn, required=True)
    items = List(Nested(ItemIn), required=True, validate=Length(min=1, max=operations.MAX_ITEMS))
    provision_form = String(required=True, validate=OneOf([p.value for p in ProvisionForm]))
    delivery_channel = String(required=True, validate=OneOf([d.value for d in DeliveryChannel]))
    needs_assistance = Boolean(load_default=False)


class LetterOut(Schema):
    number = String()
    title = String()
    kind = String()
    issue_date = Date()
    status = String()


class ApplicationOut(Schema):
    reference = String()
    state = String()
    received_date = Date(allow_none=True)
    due_date = Date(allow_none=True)
    due_provisional = Boolean()
    deadline_status = String()
    outcome = String(allow_none=True)
    letters = List(Nested(LetterOut))


class ErrorOut(Schema):
    error = String()
    field = String(allow_none=True)


def _out(app: Application, letters_issued: list | None = None) -> dict:
    issued = letters.letters_for(app, applicant_view=True) if letters_issued is None else letters_issued
    return {
        "reference": app.reference,
        "state": app.state,
        "received_date": app.received_date,
        "due_date": app.due_date,
        "due_provisional": app.due_provisional,
        "deadline_status": app.deadline_status,
        "outcome": app.outcome,
        "letters": [
            {"number": lt.number, "title": lt.title, "kind": lt.kind, "issue_date": lt.issue_date, "status": lt.status}
            for lt in issued
        ],
    }


@bp.post("")
@bp.auth_required(token_auth)
@bp.input(ApplicationIn, arg_name="body")
@bp.output(ApplicationOut, status_code=201)
@bp.doc(
    summary="File an application on behalf of an applicant",
    responses={
        400: "refused by a business rule (invalid ID number, …)",
        401: "missing or invalid token",
        403: "token without applications:write",
        422: "malformed body",
    },
)
@require_scope("applications:write")
def create(body):
    token = current_token()
    a = body["applicant"]
    data = operations.ApplicationInput(
        applicant_type=a["type"],
        applicant_category=a["category"],
        applicant_name=a["name"],
        doc_type=a["doc_type"],
        doc_number=a["doc_number"],
        org_credit_code=a["credit_code"],
        legal_representative=a["legal_representative"],
        contact_person=a["contact_person"],
        phone=a["phone"],
        email=a["email"],
        postal_address=a["postal_address"],
        postal_code=a["postal_code"],
        provision_form=body["provision_form"],
        delivery_channel=body["delivery_channel"],
        needs_assistance=body["needs_assistance"],
        items=[operations.ItemInput(i["description"], i["document_ref"]) for i in body["items"]],
    )
    # A DomainError becomes {"error", "field"} with status 400 at the request boundary (and rolls back).
    app = operations.file_via_portal(token.agency, data, portal=f"api:{token.name}")
    # A filing waiting for the office's confirmation has no letter yet (the receipt comes with the confirmation):
    # no query while its reference number's counter row stays locked, until the commit after this response.
    return _out(app, [] if app.state == States.SUBMITTED else None), 201


@bp.get("/<reference>")
@bp.auth_required(token_auth)
@bp.output(ApplicationOut)
@bp.doc(
    summary="State, dates, outcome and letters of an application",
    responses={401: "missing or invalid token", 403: "token without applications:read", 404: "not found"},
)
@require_scope("applications:read")
def show(reference: str):
    app = operations.by_reference(reference)
    if app is None or app.agency_id != current_token().agency_id:
        abort(404, _("No such application."))
    return _out(app)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(bp)  # bearer token, no cookie: CSRF does not apply
