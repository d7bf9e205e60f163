"""Administration forms: agencies, departments, staff users."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from disclosure.accounts.forms import _password_strength
from disclosure.accounts.operations import AGENCY_FIELDS
from disclosure.accounts.roles import ROLE_LABELS, Role
from disclosure.core import validators as v
from disclosure.web.forms import choices


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _uscc(form, field):
    try:
        field.data = v.validate_uscc(field.data)
    except v.ValidationError as exc:
        raise ValidationError(exc.message) from None


def _prefixes(form, field):
    if isinstance(field.data, dict):  # the field was not posted: keep the stored prefixes
        field.parsed = field.data
        return
    raw = (field.data or "").strip()
    if not raw:
        field.parsed = {}
        return
    out = {}
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        if "=" not in line:
            raise ValidationError(_l("Line %(n)s: write series=prefix, for example reply=X政公开答.", n=n))
        key, val = (s.strip() for s in line.split("=", 1))
        if not key or not val or any(c in val for c in "〔〕[]［］"):
            raise ValidationError(_l("Line %(n)s: the series and the prefix must not be empty or hold brackets.", n=n))
        out[key] = val
    field.parsed = out


class AgencyForm(FlaskForm):
    slug = StringField(
        _l("Short identifier (letters, digits, hyphens)"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use lower-case letters, digits and hyphens.")),
        ],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[DataRequired(), Length(max=80)])
    credit_code = StringField(_l("Unified social credit code"), validators=[DataRequired(), _uscc])
    division_code = StringField(
        _l("Administrative division code"),
        validators=[DataRequired(), Regexp(r"^\d{6}(\d{6})?$", message=_l("6 or 12 digits (GB/T 2260)."))],
    )
    parent_id = SelectField(_l("Parent agency"), coerce=int, choices=[], validators=[Optional()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=10)])
    office_hours = StringField(_l("Office hours"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    fax = StringField(_l("Fax"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(check_deliverability=False)])
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=200),
            Regexp(r"^https?://[^\s<>\"']+$", message=_l("Enter an address starting with http:// or https://.")),
        ],
    )
    reconsideration_body = StringField(
        _l("Administrative reconsideration body (full name)"), validators=[Optional(), Length(max=200)]
    )
    litigation_court = StringField(_l("Court for administrative litigation"), validators=[Optional(), Length(max=200)])
    doc_number_prefixes = TextAreaField(
        _l("Document-number prefixes, one per line: series=prefix"), validators=[_prefixes]
    )
    auto_confirm_online = BooleanField(_l("Confirm online applications automatically (Art. 31(3))"))
    active = BooleanField(_l("Active"), default=True)

    def data_for_save(self) -> dict:
        special = {"parent_id", "doc_number_prefixes"}
        d = {k: getattr(self, k).data for k in AGENCY_FIELDS if k not in special}
        d = {k: (val.strip() if isinstance(val, str) else val) for k, val in d.items()}
        d["email"] = d["email"] or ""
        d["parent_id"] = self.parent_id.data or None
        d["doc_number_prefixes"] = getattr(self.doc_number_prefixes, "parsed", {})
        return d

    @staticmethod
    def prefixes_text(prefixes: dict) -> str:
        return "\n".join(f"{k}={val}" for k, val in sorted((prefixes or {}).items()))


class DepartmentForm(FlaskForm):
    name = StringField(_l("Department name"), validators=[DataRequired(), Length(max=120)])
    is_legal = BooleanField(_l("This is the legal department (legal review)"))


class StaffForm(FlaskForm):
    name = StringField(_l("Person's name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False)])
    password = PasswordField(_l("Initial password"), validators=[Optional(), _password_strength])
    agency_id = SelectField(_l("Agency"), coerce=int, choices=[])
    department_id = SelectField(_l("Department"), coerce=int, choices=[], validators=[Optional()])
    roles = MultiCheckboxField(_l("Roles"), choices=[])
    active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = choices((r.value, ROLE_LABELS[r]) for r in Role)

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one role."))


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
