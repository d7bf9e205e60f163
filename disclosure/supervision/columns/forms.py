"""The forms of the column pages. The fields do not judge their own values (`validate_choice=False`, text for
numbers): the operations check every field at once and say precisely what is wrong beside it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from disclosure.catalog.classification import CATEGORIES
from disclosure.supervision.columns.operations import applies_field, class_field, gap_field
from disclosure.supervision.columns.rules import THRESHOLDS, UPDATE_CLASSES
from disclosure.web.forms import choices


def _class_choices():
    return choices((key.value, info.label) for key, info in UPDATE_CLASSES.items())


def _column_fields(with_applies: bool) -> dict:
    fields: dict = {}
    for category in CATEGORIES:
        fields[class_field(category)] = SelectField(_l("Update class"), choices=_class_choices(), validate_choice=False)
        fields[gap_field(category)] = StringField(_l("Maximum gap in days"))
        if with_applies:
            fields[applies_field(category)] = BooleanField(_l("Applies to this agency"))
    return fields


# One row of fields per column, named `<category>_class`, `<category>_gap` (and `<category>_applies`).
AgencyColumnsForm = type("AgencyColumnsForm", (FlaskForm,), _column_fields(True))

DefaultsForm = type(
    "DefaultsForm",
    (FlaskForm,),
    {**_column_fields(False), **{key.value: StringField(info.label) for key, info in THRESHOLDS.items()}},
)
