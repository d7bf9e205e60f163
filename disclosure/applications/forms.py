"""Forms for filing, registering and acting on cases. Business rules live in operations; forms parse."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from disclosure.accounts.roles import APPLICANT_CATEGORY_LABELS, ApplicantType
from disclosure.applications.labels import ATTACHMENT_LABELS, REMEDY_KIND_LABELS, REMEDY_RESULT_LABELS
from disclosure.applications.models import (
    CHANNEL_LABELS,
    DELIVERY_LABELS,
    PROVISION_LABELS,
    Channel,
    ConsultationKind,
)
from disclosure.applications.operations import ApplicationInput, ItemInput, validate_input
from disclosure.core.errors import DomainError, field_errors
from disclosure.core.validators import DOCUMENT_TYPE_LABELS
from disclosure.web.forms import choices

ITEM_ROWS = 5


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ApplicantDetailsForm(FlaskForm):
    """Who the applicant is and how to reach them (条例 Art. 29(1)); also used by staff to correct them."""

    applicant_category = SelectField(
        _l("Category (organisations, for the annual report)"),
        choices=choices([(k.value, v) for k, v in APPLICANT_CATEGORY_LABELS.items()]),
    )
    applicant_name = StringField(
        _l("Name (organisations: full registered name)"), filters=[_strip], validators=[Length(max=200)]
    )
    doc_type = SelectField(
        _l("Identity document"),
        choices=choices([(k.value, v) for k, v in DOCUMENT_TYPE_LABELS.items()]),
        validators=[Optional()],
    )
    doc_number = StringField(_l("Identity document number"), filters=[_strip], validators=[Length(max=40)])
    org_credit_code = StringField(_l("Unified social credit code"), filters=[_strip], validators=[Length(max=18)])
    legal_representative = StringField(_l("Legal representative"), filters=[_strip], validators=[Length(max=120)])
    contact_person = StringField(_l("Contact person"), filters=[_strip], validators=[Length(max=120)])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[Length(max=40)])
    email = StringField(_l("Email"), filters=[_strip], validators=[Length(max=254)])
    postal_address = StringField(_l("Postal address"), filters=[_strip], validators=[Length(max=1000)])
    postal_code = StringField(_l("Postal code"), filters=[_strip], validators=[Length(max=10)])
    delivery_channel = SelectField(
        _l("How to receive the reply"), choices=choices([(k.value, v) for k, v in DELIVERY_LABELS.items()])
    )


class ApplicationForm(ApplicantDetailsForm):
    """条例 Art. 29: who asks, what is asked for, and in which form and by which channel it is provided."""

    agency_id = SelectField(_l("Agency addressed"), coerce=int, validators=[InputRequired()])
    applicant_type = SelectField(
        _l("Applicant"),
        choices=choices(
            [
                (ApplicantType.PERSON.value, _l("A citizen (natural person)")),
                (ApplicantType.ORGANISATION.value, _l("An organisation")),
            ]
        ),
    )
    provision_form = SelectField(
        _l("Form of provision"), choices=choices([(k.value, v) for k, v in PROVISION_LABELS.items()])
    )
    needs_assistance = BooleanField(_l("I need assistance (reading difficulty, visual or hearing impairment)"))
    identity_files = MultipleFileField(_l("Proof of identity (a scan or photo: PDF, JPEG, PNG or TIFF)"))
    supporting_files = MultipleFileField(_l("Supporting papers"))
    version = HiddenField()

    # Where the operation's problems are shown: its input names mapped to this form's fields.
    ERROR_FIELDS = {"items": "item_1_description", "files": "identity_files"}

    def complete_on_submit(self) -> bool:
        """Whether this submission must be complete (sending, not saving a draft)."""
        return request.form.get("action") == "submit"

    def to_input(self) -> ApplicationInput:
        """The fields as the operations' input (without the uploaded files, which the view reads)."""
        items = []
        for n in range(1, ITEM_ROWS + 1):
            desc = getattr(self, f"item_{n}_description").data or ""
            ref = getattr(self, f"item_{n}_document_ref").data or ""
            if desc or ref:
                items.append(ItemInput(desc, ref))
        return ApplicationInput(
            **{
                name: getattr(self, name).data or default
                for name, default in (
                    ("applicant_type", ""),
                    ("applicant_category", ""),
                    ("applicant_name", ""),
                    ("doc_type", None),
                    ("doc_number", None),
                    ("org_credit_code", None),
                    ("legal_representative", None),
                    ("contact_person", None),
                    ("phone", ""),
                    ("email", ""),
                    ("postal_address", ""),
                    ("postal_code", ""),
                    ("provision_form", ""),
                    ("delivery_channel", ""),
                )
            },
            needs_assistance=bool(self.needs_assistance.data),
            items=items,
        )

    def validate(self, extra_validators=None) -> bool:
        """The form's own checks, then the operation's rules on the same input, so that every problem is shown
        beside its field at once (not one per submission)."""
        ok = super().validate(extra_validators)
        try:
            validate_input(self.to_input(), complete=self.complete_on_submit())
        except DomainError as exc:
            self.add_errors(exc)
            ok = False
        return ok

    def add_errors(self, exc: DomainError) -> None:
        """Put each problem of a DomainError (or FieldErrors) beside its field; one without a field goes to
        `form_errors`."""
        for name, message in field_errors(exc).items():
            fld = getattr(self, self.ERROR_FIELDS.get(name, name or ""), None)
            if fld is None or not hasattr(fld, "errors"):
                self.form_errors.append(message)
            elif message not in fld.errors:
                fld.errors = [*list(fld.errors or []), message]


def _add_item_fields(cls):
    for n in range(1, ITEM_ROWS + 1):
        setattr(
            cls,
            f"item_{n}_description",
            TextAreaField(
                _l("Item %(n)s: description of the information", n=n), filters=[_strip], validators=[Length(max=4000)]
            ),
        )
        setattr(
            cls,
            f"item_{n}_document_ref",
            StringField(
                _l("Item %(n)s: document name or number (optional)", n=n),
                filters=[_strip],
                validators=[Length(max=300)],
            ),
        )
    return cls


_add_item_fields(ApplicationForm)


class RegisterForm(ApplicationForm):
    """Staff registration of an application received in person, by post, fax, email or orally (Art. 31)."""

    channel = SelectField(
        _l("How the application arrived"),
        choices=choices(
            [(k.value, v) for k, v in CHANNEL_LABELS.items() if k not in (Channel.ONLINE, Channel.API, Channel.LEDGER)]
        ),
    )
    received_date = DateField(_l("Received date"), validators=[InputRequired()])
    evidence = StringField(
        _l("How the date was established (tracking number, confirmation call, …)"),
        filters=[_strip],
        validators=[Length(max=300)],
    )

    def complete_on_submit(self) -> bool:
        return True  # staff register a received application as it is: complete


class VersionForm(FlaskForm):
    """Actions without input: only the case version the page was loaded with."""

    version = HiddenField()
    reason = TextAreaField(_l("Reason or note (optional)"), filters=[_strip], validators=[Length(max=2000)])


class CorrectApplicantForm(ApplicantDetailsForm):
    """Staff correct the details recorded at registration; the reason is kept in the audit log."""

    version = HiddenField()
    reason = TextAreaField(
        _l("Reason for the correction"), filters=[_strip], validators=[DataRequired(), Length(max=2000)]
    )


class ConfirmForm(VersionForm):
    confirmed_on = DateField(_l("Confirmed on"), validators=[Optional()])


class AssignForm(VersionForm):
    department_id = SelectField(_l("Department"), coerce=int, validators=[InputRequired()])
    handler_id = SelectField(_l("Handler"), coerce=int, validators=[InputRequired()])


class SupplementRequestForm(VersionForm):
    what = TextAreaField(
        _l("What the applicant must supplement (all of it, in one notice)"),
        filters=[_strip],
        validators=[DataRequired(), Length(max=4000)],
    )
    days = IntegerField(_l("Working days to supplement"), validators=[Optional(), NumberRange(1, 60)])


class SupplementReceivedForm(VersionForm):
    received_on = DateField(_l("Supplement received on"), validators=[InputRequired()])


class ConsultationForm(VersionForm):
    kind = SelectField(
        _l("Consulted"),
        choices=choices(
            [
                (ConsultationKind.THIRD_PARTY.value, _l("A third party (Art. 32)")),
                (ConsultationKind.AGENCY.value, _l("Another agency (Art. 34)")),
            ]
        ),
    )
    party = StringField(
        _l("Name of the party consulted"), filters=[_strip], validators=[DataRequired(), Length(max=300)]
    )
    letter_date = DateField(_l("Letter sent on"), validators=[InputRequired()])


class ConsultationEndForm(VersionForm):
    answered_on = DateField(_l("Answer received on (or the 15th working day)"), validators=[InputRequired()])
    answer = TextAreaField(_l("Answer"), filters=[_strip], validators=[Length(max=8000)])


class FeeForm(VersionForm):
    method = SelectField(
        _l("Method"),
        choices=choices([("per_item", _l("Per item (109号 Art. 4)")), ("per_page", _l("Per page (109号 Art. 5)"))]),
    )
    pages = IntegerField(_l("Number of pages"), validators=[Optional(), NumberRange(1, 1_000_000)])


class PaymentForm(VersionForm):
    paid_on = DateField(_l("Paid on"), validators=[InputRequired()])
    receipt = StringField(_l("Fiscal receipt number"), filters=[_strip], validators=[DataRequired(), Length(max=100)])


class DaysForm(VersionForm):
    days = IntegerField(_l("Working days"), validators=[InputRequired()])


class ExtensionForm(DaysForm):
    """The Art. 33 extension and the Art. 35 longer period: the applicant is told why, so the reason is required
    (the operations refuse an empty one as well)."""

    reason = TextAreaField(
        _l("Reason (required: the applicant is told it)"),
        filters=[_strip],
        validators=[DataRequired(_l("State the reason for the extension.")), Length(max=2000)],
    )


class ItemDecisionForm(VersionForm):
    item_id = HiddenField(validators=[DataRequired()])
    outcome = SelectField(_l("Outcome"), choices=[])
    reasons = TextAreaField(_l("Reasons"), filters=[_strip], validators=[Length(max=8000)])
    withheld_parts = TextAreaField(
        _l("Withheld parts and why (partial disclosure)"), filters=[_strip], validators=[Length(max=8000)]
    )
    withheld_outcome = SelectField(_l("Exemption for the withheld parts"), choices=[], validators=[Optional()])
    responsible_agency = StringField(
        _l("Responsible agency (not ours)"), filters=[_strip], validators=[Length(max=300)]
    )
    responsible_contact = StringField(_l("Its contact"), filters=[_strip], validators=[Length(max=300)])
    public_location = TextAreaField(
        _l("Where, how and when it can be obtained or inspected"), filters=[_strip], validators=[Length(max=4000)]
    )
    redirect_channel = TextAreaField(_l("Procedure or channel to use"), filters=[_strip], validators=[Length(max=4000)])
    pages = IntegerField(_l("Number of pages"), validators=[Optional(), NumberRange(0, 1_000_000)])
    # Art. 36(1): the published catalogue entry that answers the item (fills where to obtain it).
    public_entry = StringField(
        _l("Published catalogue entry (index number or document number)"), filters=[_strip], validators=[Length(max=80)]
    )


class ReviewForm(VersionForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices([("approve", _l("Approve")), ("return", _l("Return with comments"))]),
        validators=[InputRequired()],
    )
    comment = TextAreaField(_l("Comments"), filters=[_strip], validators=[Length(max=8000)])


class DeliveryForm(VersionForm):
    channel = SelectField(_l("Delivered by"), choices=choices([(k.value, v) for k, v in DELIVERY_LABELS.items()]))
    tracking_number = StringField(_l("Postal tracking number"), filters=[_strip], validators=[Length(max=60)])
    receipt = FileField(_l("Signed receipt (collection)"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), filters=[_strip], validators=[DataRequired(), Length(max=8000)])


class AttachForm(FlaskForm):
    purpose = SelectField(
        _l("Kind of file"),
        choices=choices([(p, ATTACHMENT_LABELS[p]) for p in ("provided", "redacted", "consultation", "other")]),
    )
    title = StringField(
        _l("Title in the reply letter"),
        validators=[Optional(), Length(max=200)],
        description=_l("How the letter lists the file as an attachment (附件); leave empty to use the file name."),
    )
    file = FileField(_l("File"), validators=[DataRequired()])


class RemoveFileForm(FlaskForm):
    attachment_id = HiddenField(validators=[DataRequired()])


class RemedyForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=choices(list(REMEDY_KIND_LABELS.items())),
    )
    body = StringField(
        _l("Reconsideration body or court"), filters=[_strip], validators=[DataRequired(), Length(max=200)]
    )
    filed_date = DateField(_l("Filed on"), validators=[InputRequired()])
    result = SelectField(
        _l("Result of the review or lawsuit"),
        choices=choices(list(REMEDY_RESULT_LABELS.items())),
    )
    decided_date = DateField(_l("Decided on"), validators=[Optional()])


class RemedyUpdateForm(FlaskForm):
    remedy_id = HiddenField(validators=[DataRequired()])
    result = RemedyForm.result
    decided_date = DateField(_l("Decided on"), validators=[Optional()])


class ReopenForm(VersionForm):
    received_on = DateField(_l("Decision received on"), validators=[InputRequired()])


class AnswerSupplementForm(FlaskForm):
    version = HiddenField()
    text = TextAreaField(_l("Your supplement"), filters=[_strip], validators=[Length(max=8000)])
    files = MultipleFileField(_l("Files"))


class WithdrawForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(_l("Reason (optional)"), filters=[_strip], validators=[Length(max=2000)])
    sure = BooleanField(
        _l("I understand that a withdrawn application cannot be taken up again"),
        validators=[DataRequired(_l("Tick the box to confirm the withdrawal."))],
    )


class RatingForm(FlaskForm):
    satisfied = RadioField(
        _l("Are you satisfied with the reply?"),
        choices=choices([("yes", _l("Satisfied")), ("no", _l("Not satisfied"))]),
        validators=[InputRequired()],
    )
    comment = TextAreaField(_l("Your comment"), filters=[_strip], validators=[Length(max=2000)])


class FilterForm(FlaskForm):
    """The workbench filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    queue = SelectField(_l("Queue"), choices=[], validators=[Optional()])
    q = StringField(_l("Search reference, applicant or text"), filters=[_strip], validators=[Optional()])
    state = SelectField(_l("State"), choices=[], validators=[Optional()])
    department_id = SelectField(_l("Department"), choices=[], validators=[Optional()])
    handler_id = SelectField(_l("Handler"), choices=[], validators=[Optional()])
    channel = SelectField(_l("Channel"), choices=[], validators=[Optional()])
    due_within = IntegerField(_l("Due within (days)"), validators=[Optional(), NumberRange(0, 365)])
    received_from = DateField(_l("Received from"), validators=[Optional()])
    received_to = DateField(_l("Received to"), validators=[Optional()])
    sort = SelectField(
        _l("Sort"),
        choices=choices([("due", _l("Reply deadline")), ("new", _l("Newest first"))]),
        validators=[Optional()],
    )


class SettingsForm(FlaskForm):
    version = HiddenField()
    fee_wait_pauses_clock = BooleanField(_l("The wait for the fee does not count towards the reply deadline"))
    due_soon_days = IntegerField(_l("Warn this many working days before a deadline"), validators=[InputRequired()])
    candidate_threshold = IntegerField(
        _l("Applicants asking the same information before it is a proactive-disclosure candidate (Art. 44)"),
        validators=[InputRequired()],
    )
    supplement_days = IntegerField(
        _l("Working days the applicant gets to supplement (Art. 30)"), validators=[InputRequired()]
    )
    fee_payment_instructions = TextAreaField(
        _l("How to pay the information processing fee (printed on the notice)"),
        filters=[_strip],
        validators=[Length(max=4000)],
    )
    fee_waiver_allowed = BooleanField(_l("The head of the disclosure office may waive a notified fee"))
