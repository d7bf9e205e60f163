"""The case page's actions: one POST endpoint per action. Each parses its form, loads, authorises (the operation
asks the workflow) and calls one operation, then says what was done.

Most actions only hand form fields to their operation with the form's version: `_calls` is that adapter, and the
ACTIONS table names, per action, the fields and the message. The few that load another object, read an upload or
word their message from the result have their own adapter below."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from disclosure.accounts.models import Department, User
from disclosure.applications import forms, operations
from disclosure.applications.models import Application, Remedy, RequestedItem
from disclosure.applications.operations import proactive
from disclosure.applications.views.common import (
    CASE_ROLES,
    clarified_items,
    form_error,
    keep_field_errors,
    uploads_in,
    version_of,
)
from disclosure.applications.views.staff import item_outcome_choices, staff_bp, staff_case
from disclosure.core.errors import DomainError, field_errors
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.web.params import parse_id

Handler = Callable[[Application, Any], str]


def _data(name: str) -> Callable[[Any], Any]:
    return lambda form: form[name].data


def _text(name: str) -> Callable[[Any], str]:
    return lambda form: form[name].data or ""


def _calls(operation: Callable, done: str, *, versioned: bool = True, **args: Callable[[Any], Any]) -> Handler:
    """The adapter most actions share: `operation(case, current_user, <argument>=<read from the form>, …,
    expected_version=<the form's version>)`, then the message `done`."""

    def handler(app: Application, form) -> str:
        kwargs = {name: read(form) for name, read in args.items()}
        if versioned:
            kwargs["expected_version"] = version_of(form)
        operation(app, current_user, **kwargs)
        return str(done)

    return handler


def _do_assign(app, form):
    operations.assign(
        app,
        current_user,
        department=db.session.get(Department, form.department_id.data),
        handler=db.session.get(User, form.handler_id.data),
        note=form.reason.data or "",
        expected_version=version_of(form),
    )
    return _("Assigned.")


def _do_receive_supplement(app, form):
    operations.receive_supplement(
        app,
        current_user,
        received_on=form.received_on.data,
        note=form.reason.data or "",
        items=clarified_items(app),
        expected_version=version_of(form),
    )
    return _("Supplement recorded; the period restarts.")


def _do_decide_item(app, form):
    item_id = parse_id(form.item_id.data)
    item = db.session.get(RequestedItem, item_id) if item_id else None
    if item is None or item.application_id != app.id:
        abort(404)
    proactive.decide_item(
        item,
        current_user,
        public_entry=form.public_entry.data or "",
        outcome=form.outcome.data,
        reasons=form.reasons.data or "",
        withheld_parts=form.withheld_parts.data or "",
        withheld_outcome=form.withheld_outcome.data or None,
        responsible_agency=form.responsible_agency.data or "",
        responsible_contact=form.responsible_contact.data or "",
        public_location=form.public_location.data or "",
        redirect_channel=form.redirect_channel.data or "",
        pages=form.pages.data,
        expected_version=version_of(form),
    )
    return _("Decision saved.")


def _do_issue(app, form):
    letter = operations.issue(app, current_user, version_of(form))
    return _("The reply letter %(number)s was issued.", number=letter.number)


def _do_deliver(app, form):
    receipt = uploads_in(form.receipt.name)
    operations.deliver(
        app,
        current_user,
        channel=form.channel.data,
        tracking_number=form.tracking_number.data or "",
        receipt=receipt[0] if receipt else None,
        expected_version=version_of(form),
    )
    return _("Delivery recorded.")


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
        app, current_user, changes=changes, reason=form.reason.data or "", expected_version=version_of(form)
    )
    return _("The applicant's details were corrected.")


def _do_attach(app, form):
    ups = uploads_in(form.file.name)
    if not ups:
        raise DomainError(_l("Choose a file."), field="file")
    operations.attach_information(
        app, current_user, upload=ups[0], purpose=form.purpose.data, title=form.title.data or ""
    )
    return _("File attached.")


def _do_remove_file(app, form):
    attachment_id = parse_id(form.attachment_id.data)
    if attachment_id is None:
        raise DomainError(_l("This file cannot be removed."), field="attachment_id")
    operations.remove_attachment(app, current_user, attachment_id)
    return _("The file was removed from the case.")


def _do_remedy_update(app, form):
    remedy_id = parse_id(form.remedy_id.data)
    row = db.session.get(Remedy, remedy_id) if remedy_id else None
    if row is None or row.application_id != app.id:
        abort(404)
    operations.update_remedy(row, current_user, result=form.result.data, decided_date=form.decided_date.data)
    return _("Remedy updated.")


ACTIONS: dict[str, tuple[type, Handler]] = {
    "confirm": (
        forms.ConfirmForm,
        _calls(operations.confirm, _l("Receipt confirmed."), confirmed_on=_data("confirmed_on")),
    ),
    "assign": (forms.AssignForm, _do_assign),
    "start_handling": (forms.VersionForm, _calls(operations.start_handling, _l("Handling started."))),
    "request_supplement": (
        forms.SupplementRequestForm,
        _calls(
            operations.request_supplement,
            _l("The supplementation notice was issued and sent."),
            what=_data("what"),
            answer_days=_data("days"),
        ),
    ),
    "receive_supplement": (forms.SupplementReceivedForm, _do_receive_supplement),
    "abandon_unsupplemented": (
        forms.VersionForm,
        _calls(operations.abandon_unsupplemented, _l("The case was closed as not supplemented.")),
    ),
    "start_consultation": (
        forms.ConsultationForm,
        _calls(
            operations.start_consultation,
            _l("Consultation recorded; the reply period is paused."),
            kind=_data("kind"),
            party=_data("party"),
            letter_date=_data("letter_date"),
        ),
    ),
    "end_consultation": (
        forms.ConsultationEndForm,
        _calls(
            operations.end_consultation,
            _l("Consultation answer recorded."),
            answered_on=_data("answered_on"),
            answer=_text("answer"),
        ),
    ),
    "notify_fee": (
        forms.FeeForm,
        _calls(
            operations.notify_fee,
            _l("The fee notice was issued and sent."),
            method=_data("method"),
            pages=_data("pages"),
        ),
    ),
    "record_payment": (
        forms.PaymentForm,
        _calls(operations.record_payment, _l("Payment recorded."), paid_on=_data("paid_on"), receipt=_data("receipt")),
    ),
    "waive_fee": (
        forms.VersionForm,
        _calls(operations.waive_fee, _l("The fee was waived; handling continues."), reason=_text("reason")),
    ),
    "abandon_unpaid": (forms.VersionForm, _calls(operations.abandon_unpaid, _l("The case was closed as unpaid."))),
    "extend_deadline": (
        forms.ExtensionForm,
        _calls(
            operations.extend_deadline,
            _l("The deadline was extended and the applicant notified."),
            days=_data("days"),
            reason=_text("reason"),
        ),
    ),
    "set_custom_deadline": (
        forms.ExtensionForm,
        _calls(
            operations.set_custom_deadline,
            _l("The longer deadline was set and the applicant notified."),
            days=_data("days"),
            reason=_text("reason"),
        ),
    ),
    "decide_item": (forms.ItemDecisionForm, _do_decide_item),
    "draft_reply": (forms.VersionForm, _calls(operations.draft_reply, _l("The reply is drafted."))),
    "revise_draft": (forms.VersionForm, _calls(operations.revise_draft, _l("The draft is open for revision."))),
    "submit_for_review": (forms.VersionForm, _calls(operations.submit_for_review, _l("Sent to the office review."))),
    **{
        f"{stage}_review": (
            forms.ReviewForm,
            _calls(
                partial(operations.review, stage=stage),
                _l("Review recorded."),
                approve=lambda form: form.decision.data == "approve",
                comment=_text("comment"),
            ),
        )
        for stage in ("office", "legal")
    },
    "issue": (forms.VersionForm, _do_issue),
    "deliver": (forms.DeliveryForm, _do_deliver),
    "archive": (forms.VersionForm, _calls(operations.archive, _l("Archived."))),
    "record_withdrawal": (
        forms.VersionForm,
        _calls(operations.withdraw, _l("Withdrawal recorded."), reason=_text("reason")),
    ),
    "reopen": (
        forms.ReopenForm,
        _calls(
            operations.reopen,
            _l("The case was reopened with a new deadline."),
            received_on=_data("received_on"),
            reason=_text("reason"),
        ),
    ),
    "note": (forms.NoteForm, _calls(operations.add_note, _l("Note added."), versioned=False, body=_data("body"))),
    "correct_applicant": (forms.CorrectApplicantForm, _do_correct_applicant),
    "attach": (forms.AttachForm, _do_attach),
    "remove_file": (forms.RemoveFileForm, _do_remove_file),
    "remedy": (
        forms.RemedyForm,
        _calls(
            operations.record_remedy,
            _l("Remedy recorded."),
            versioned=False,
            kind=_data("kind"),
            body=_data("body"),
            filed_date=_data("filed_date"),
            result=_data("result"),
            decided_date=_data("decided_date"),
        ),
    ),
    "remedy_update": (forms.RemedyUpdateForm, _do_remedy_update),
}


@staff_bp.route("/<int:case_id>/act/<action>", methods=["POST"])
@staff_required(*CASE_ROLES)
def act(case_id: int, action: str):
    app = staff_case(case_id)
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
        form.outcome.choices, form.withheld_outcome.choices = item_outcome_choices()
    if isinstance(form, forms.CorrectApplicantForm):  # the page shows the fields that apply to this applicant
        for name in ("applicant_category", "doc_type"):
            if name not in request.form:
                delattr(form, name)
    back = url_for("applications_staff.case", case_id=app.id) + f"#act-{action}"
    if not form.validate_on_submit():
        form_error(form)
        keep_field_errors(action, prefix, {name: [str(e) for e in errs] for name, errs in form.errors.items()})
        return redirect(back)
    try:
        done = handler(app, form)
    except DomainError as exc:
        # The rule that refused names its field: the case page shows the message beside it, the form in view.
        db.session.rollback()
        flash(str(exc.message), "error")
        named = {name: [str(message)] for name, message in field_errors(exc).items() if name}
        if named:
            keep_field_errors(action, prefix, named)
        return redirect(back)
    flash(done, "success")
    return redirect(url_for("applications_staff.case", case_id=app.id))
