"""Forms for login, registration, password reset and the applicant profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from disclosure.accounts.roles import (
    APPLICANT_CATEGORY_LABELS,
    ORGANISATION_CATEGORIES,
    ApplicantType,
)
from disclosure.core import validators as v
from disclosure.web.forms import choices

MIN_PASSWORD = 10


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _password_strength(form, field):
    pw = field.data or ""
    if len(pw) < MIN_PASSWORD:
        raise ValidationError(_l("The password must have at least %(n)s characters.", n=MIN_PASSWORD))
    if pw.isdigit() or pw.isalpha():
        raise ValidationError(_l("Use both letters and digits (or other characters) in the password."))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[_strip], validators=[DataRequired(), Email(check_deliverability=False)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Stay logged in on this computer"))


class RegisterForm(FlaskForm):
    applicant_type = SelectField(
        _l("I am registering as"),
        choices=choices(
            [
                (ApplicantType.PERSON.value, _l("A citizen (natural person)")),
                (ApplicantType.ORGANISATION.value, _l("An organisation")),
            ]
        ),
    )
    name = StringField(
        _l("Full name (for organisations: the contact person)"), validators=[DataRequired(), Length(max=120)]
    )
    email = EmailField(
        _l("Email"), filters=[_strip], validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), _password_strength])
    password2 = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    doc_type = SelectField(_l("Identity document"), choices=[], validators=[Optional()])
    doc_number = StringField(_l("Identity document number"), validators=[Optional(), Length(max=40)])
    org_name = StringField(_l("Organisation name"), validators=[Optional(), Length(max=200)])
    org_credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), Length(max=18)])
    category = SelectField(_l("Kind of organisation"), choices=[], validators=[Optional()])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=40)])
    postal_address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=500)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=10)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.doc_type.choices = choices((k.value, label) for k, label in v.DOCUMENT_TYPE_LABELS.items())
        self.category.choices = choices((c.value, APPLICANT_CATEGORY_LABELS[c]) for c in ORGANISATION_CATEGORIES)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return identity_checks(self) and ok


def identity_checks(form) -> bool:
    """条例 Art. 29(1): the applicant's identity. Persons give a valid document; organisations a valid credit code."""
    ok = True
    if form.applicant_type.data == ApplicantType.ORGANISATION:
        if not (form.org_name.data or "").strip():
            form.org_name.errors.append(_l("Enter the organisation's name."))
            ok = False
        try:
            form.org_credit_code.data = v.validate_uscc(form.org_credit_code.data or "")
        except v.ValidationError as exc:
            form.org_credit_code.errors.append(exc.message)
            ok = False
        if form.category.data not in {c.value for c in ORGANISATION_CATEGORIES}:
            form.category.errors.append(_l("Choose the kind of organisation."))
            ok = False
    else:
        if not (form.doc_number.data or "").strip():
            form.doc_number.errors.append(_l("Enter the number of your identity document."))
            return False
        try:
            form.doc_number.data = v.validate_document(form.doc_type.data, form.doc_number.data)
        except v.ValidationError as exc:
            form.doc_number.errors.append(exc.message)
            ok = False
    return ok


class ProfileForm(RegisterForm):
    """The same fields as registration, without email and password."""

    email = None
    password = None
    password2 = None


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[_strip], validators=[DataRequired(), Email(check_deliverability=False)])


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), _password_strength])
    password2 = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
