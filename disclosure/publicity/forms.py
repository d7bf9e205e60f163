"""Forms of the 双公示 pages. The record form is built from the field table, so it always matches the standard;
its values are checked by the same `RecordValidator` as imports and the API, and each error is shown beside
its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from disclosure.publicity.fields import FIELDS, FieldType, Kind
from disclosure.publicity.rules import INDIVIDUAL_BUSINESS, LEGAL_PERSON, NATURAL_PERSON, code_text
from disclosure.publicity.validation import EXTRA_MATTER, EXTRA_SEVERITY, EXTRA_SIMPLIFIED
from disclosure.web.forms import choices as _choices

KIND_CHOICES = _choices(
    [(Kind.LICENSING.value, _l("Administrative licensing")), (Kind.PENALTY.value, _l("Administrative penalty"))]
)
COUNTERPART_CHOICES = _choices(
    [
        (LEGAL_PERSON, _l("Legal person or other organisation")),
        (NATURAL_PERSON, _l("Natural person")),
        (INDIVIDUAL_BUSINESS, _l("Individual business")),
    ]
)
SCOPE_CHOICES = _choices([("public", _l("Public")), ("government", _l("Government only"))])
WITHDRAWAL_CHOICES = _choices(
    [
        ("changed", _l("Decision changed")),
        ("revoked", _l("Decision revoked")),
        ("unlawful", _l("Confirmed unlawful")),
        ("void", _l("Confirmed void")),
    ]
)
SEVERITY_CHOICES = _choices(
    [
        ("", _l("Determined from the penalty")),
        ("minor", _l("Minor")),
        ("general", _l("General")),
        ("serious", _l("Serious")),
    ]
)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def field_name(code: str) -> str:
    return "f_" + code


def record_form_class(kind: Kind, rules, matters, departments):
    """A form class with one input per field of the standard, named f_<field code>."""

    class RecordForm(FlaskForm):
        pass

    for f in FIELDS[kind]:
        label = f"{f.name} ({f.code})"
        labels = rules.codes[f.code_list].labels.items() if f.code_list in rules.codes else ()
        labels = [(value, code_text(f.code_list, value, text)) for value, text in labels]
        if f.type is FieldType.CODE and f.code_list in rules.codes and f.attr != "penalty_categories":
            choices = _choices([("", "—"), *labels])
            setattr(RecordForm, field_name(f.code), SelectField(label, choices=choices, validate_choice=False))
        elif f.type is FieldType.CODE and f.attr == "penalty_categories":
            choices = _choices(labels)
            setattr(RecordForm, field_name(f.code), MultiCheckboxField(label, choices=choices, validate_choice=False))
        elif f.type is FieldType.DATE:
            setattr(RecordForm, field_name(f.code), StringField(label, render_kw={"type": "date"}))
        elif f.max_length > 300:
            setattr(RecordForm, field_name(f.code), TextAreaField(label, render_kw={"rows": 3}))
        else:
            setattr(RecordForm, field_name(f.code), StringField(label))
    RecordForm.matter = SelectField(
        _l("Matter of the catalogue"),
        choices=_choices([("", "—")] + [(m.name, m.name) for m in matters]),
        validate_choice=False,
    )
    RecordForm.department = SelectField(
        _l("Department"),
        choices=_choices([("", "—")] + [(str(d.id), d.name) for d in departments]),
        validate_choice=False,
    )
    if kind is Kind.PENALTY:
        RecordForm.severity = SelectField(_l("Severity"), choices=SEVERITY_CHOICES, validate_choice=False)
        RecordForm.simplified = BooleanField(_l("Decided by simplified procedure (never public)"))
    RecordForm.publish = BooleanField(_l("Publish now"), default=True)
    return RecordForm


def form_to_raw(form, kind: Kind) -> dict:
    """The form's values keyed by field code, as the validator takes them from every channel."""
    raw: dict[str, object] = {}
    for f in FIELDS[kind]:
        value = getattr(form, field_name(f.code)).data
        if isinstance(value, list):
            value = ";".join(value)
        raw[f.code] = value
    raw[EXTRA_MATTER] = form.matter.data
    if kind is Kind.PENALTY:
        raw[EXTRA_SEVERITY] = form.severity.data
        raw[EXTRA_SIMPLIFIED] = "是" if form.simplified.data else "否"
    return raw


def attach_errors(form, errors) -> None:
    targets = {"MATTER": "matter", "SEVERITY": "severity", "SIMPLIFIED": "simplified"}
    for code, message in errors:
        name = targets.get(code) or field_name(code)
        target = getattr(form, name, None)
        if target is None:
            form.form_errors.append(message)
        else:
            target.errors = [*list(target.errors or []), message]


class ImportForm(FlaskForm):
    kind = RadioField(_l("Record type"), choices=KIND_CHOICES, validators=[InputRequired()])
    file = FileField(_l("XLSX or CSV file in the national template"), validators=[FileRequired()])
    matter = SelectField(_l("Matter for rows without a matter column"), choices=[], validate_choice=False)
    publish = BooleanField(_l("Publish valid records now"), default=True)


class WithdrawForm(FlaskForm):
    withdrawal_kind = SelectField(_l("Why the decision is withdrawn"), choices=WITHDRAWAL_CHOICES)
    changed_on = DateField(
        _l("Date the decision was changed, revoked or found unlawful or void"), validators=[InputRequired()]
    )
    reason = TextAreaField(_l("Reason (published on the site)"), validators=[DataRequired(), Length(max=2000)])


class RepairForm(FlaskForm):
    basis = TextAreaField(_l("Basis of the credit repair"), validators=[DataRequired(), Length(max=2000)])


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the revocation"), validators=[DataRequired(), Length(max=2000)])


class ActionForm(FlaskForm):
    """A button with CSRF protection and nothing else."""


class MatterForm(FlaskForm):
    kind = RadioField(_l("Record type"), choices=KIND_CHOICES, validators=[InputRequired()])
    code = StringField(_l("Matter code"), validators=[Optional(), Length(max=60)])
    name = StringField(_l("Matter name"), validators=[DataRequired(), Length(max=200)])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[DataRequired(), Length(max=4000)])
    counterpart_kinds = MultiCheckboxField(_l("Kinds of counterpart"), choices=COUNTERPART_CHOICES)
    scope = RadioField(_l("Publicity scope"), choices=SCOPE_CHOICES, default="public")
    active = BooleanField(_l("In use"), default=True)


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Confidentiality review"),
        choices=_choices([("approve", _l("Approve: nothing secret, publish")), ("reject", _l("Send back"))]),
        validators=[InputRequired()],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class ResponsibilityForm(FlaskForm):
    leader_name = StringField(_l("Leader in charge"), validators=[DataRequired(), Length(max=60)])
    leader_title = StringField(_l("Leader's position"), validators=[Optional(), Length(max=100)])
    section_name = StringField(_l("Responsible section"), validators=[DataRequired(), Length(max=120)])
    person_name = StringField(_l("Responsible person"), validators=[DataRequired(), Length(max=60)])
    person_phone = StringField(
        _l("Responsible person's phone"),
        validators=[DataRequired(), Regexp(r"^[0-9+\-() ]{7,40}$", message=_l("Enter a phone number."))],
    )


class SettingsForm(FlaskForm):
    due_working_days = IntegerField(
        _l("Publication deadline (working days after the decision)"), validators=[InputRequired(), NumberRange(1, 60)]
    )
    withdraw_working_days = IntegerField(
        _l("Withdrawal deadline (working days)"), validators=[InputRequired(), NumberRange(1, 30)]
    )
    latest_days = IntegerField(_l("Days in the latest list"), validators=[InputRequired(), NumberRange(1, 90)])
    long_term_date = DateField(_l("Date meaning long-term"), validators=[InputRequired()])


class CodeForm(FlaskForm):
    list_name = SelectField(_l("Code list"), choices=[])
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=60)])
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=120)])
    meaning = StringField(_l("Meaning used by the rules (optional)"), validators=[Optional(), Length(max=40)])
    active = BooleanField(_l("In use"), default=True)


class PeriodForm(FlaskForm):
    severity = SelectField(_l("Severity"), choices=SEVERITY_CHOICES[1:])
    effective_from = DateField(_l("In force from"), validators=[InputRequired()])
    published = BooleanField(_l("Published"), default=True)
    min_months = IntegerField(_l("Minimum period (months)"), validators=[InputRequired(), NumberRange(0, 120)])
    max_months = IntegerField(_l("Maximum period (months)"), validators=[InputRequired(), NumberRange(0, 120)])
    basis = StringField(_l("Basis"), validators=[DataRequired(), Length(max=200)])


class ExportForm(FlaskForm):
    kind = RadioField(_l("Record type"), choices=KIND_CHOICES, validators=[InputRequired()])
    fmt = RadioField(_l("Format"), choices=_choices([("xlsx", "XLSX"), ("csv", "CSV")]), default="xlsx")
    changed_only = BooleanField(_l("Only records changed since the last export"))
    agency = SelectField(_l("Agency"), choices=[], validate_choice=False)


class EntrustedOrganForm(FlaskForm):
    name = StringField(_l("Name of the organ (as on its decisions)"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(_l("Unified social credit code"), validators=[DataRequired(), Length(max=18)])
    basis = TextAreaField(
        _l("Basis (entrustment document or arrangement, with its number)"), validators=[Optional(), Length(max=500)]
    )
    active = BooleanField(_l("The agency may publish this organ's decisions"), default=True)
