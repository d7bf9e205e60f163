"""Forms: agency letter settings, verification, voiding, email and delivery records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from disclosure.correspondence.kinds import KINDS
from disclosure.correspondence.models import DeliveryMethod
from disclosure.correspondence.operations import SEAL_MAX_PX
from disclosure.correspondence.paragraphs import SLOTS
from disclosure.web.forms import ImageSize, choices

SERIES_LABELS = {
    "reply": _l("Prefix for reply letters"),
    "notice": _l("Prefix for notices"),
    "letter": _l("Prefix for letters to third parties and agencies"),
    "receipt": _l("Prefix for receipts"),
    "service": _l("Prefix for proofs of service"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _SettingsBase(FlaskForm):
    letterhead = StringField(
        _l("Letterhead (agency name printed in red)"), filters=[_strip], validators=[Optional(), Length(max=200)]
    )
    signatory = StringField(
        _l("Issuing organ printed above the date"), filters=[_strip], validators=[Optional(), Length(max=200)]
    )
    contact_block = TextAreaField(_l("Contact block"), filters=[_strip], validators=[Optional(), Length(max=2000)])
    reconsideration_body = StringField(
        _l("Administrative reconsideration body"), filters=[_strip], validators=[DataRequired(), Length(max=200)]
    )
    litigation_court = StringField(
        _l("Court for administrative litigation"), filters=[_strip], validators=[DataRequired(), Length(max=200)]
    )
    seal = FileField(_l("Seal image (PNG or JPEG)"), validators=[ImageSize(SEAL_MAX_PX)])
    remove_seal = BooleanField(_l("Remove the current seal image"))


def settings_form_class():
    """The settings form with one prefix field per series and one text area per standard paragraph."""
    attrs = {}
    for series, label in SERIES_LABELS.items():
        attrs[f"prefix_{series}"] = StringField(label, filters=[_strip], validators=[Optional(), Length(max=40)])
    for kind, slots in SLOTS.items():
        for slot in slots:
            attrs[f"para_{kind.value}_{slot.key}"] = TextAreaField(
                slot.label, filters=[_strip], validators=[Optional(), Length(max=2000)], default=slot.default
            )
    return type("LetterSettingsForm", (_SettingsBase,), attrs)


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup that changes nothing; rate limited instead

    number = StringField(_l("Document number"), filters=[_strip], validators=[DataRequired(), Length(max=120)])
    code = StringField(_l("Verification code"), filters=[_strip], validators=[DataRequired(), Length(max=20)])


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("Reason for voiding"), filters=[_strip], validators=[DataRequired(), Length(max=1000)])


class EmailForm(FlaskForm):
    to = StringField(
        _l("Email address"),
        filters=[_strip],
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class DeliveryForm(FlaskForm):
    method = SelectField(
        _l("Method"),
        choices=choices(
            [
                (DeliveryMethod.POST.value, _l("Post")),
                (DeliveryMethod.COLLECTION.value, _l("Collected at the office")),
                (DeliveryMethod.IN_PERSON.value, _l("Handed over in person")),
            ]
        ),
    )
    recipient = StringField(_l("Received by"), filters=[_strip], validators=[Optional(), Length(max=254)])
    tracking_number = StringField(
        _l("Postal tracking number"), filters=[_strip], validators=[Optional(), Length(max=60)]
    )
    delivered_on = DateField(_l("Date"), validators=[Optional()])
    note = TextAreaField(_l("Note"), filters=[_strip], validators=[Optional(), Length(max=1000)])


KIND_CHOICES = [(k.value, info.label) for k, info in KINDS.items()]
