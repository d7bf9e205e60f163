"""Forms of the report pages; the rules live in the operations (every problem reported beside its field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from disclosure.web.forms import choices


class StartForm(FlaskForm):
    year = IntegerField(_l("Report year"), validators=[InputRequired()])


class SectionsForm(FlaskForm):
    version = HiddenField()
    overview = TextAreaField(_l("Section 1: general situation"), render_kw={"rows": 10})
    problems = TextAreaField(_l("Section 5: main problems and improvements"), render_kw={"rows": 6})
    other_matters = TextAreaField(_l("Section 6: other matters to report"), render_kw={"rows": 6})


class FiguresForm(FlaskForm):
    version = HiddenField()
    coercion_decisions = StringField(_l("Administrative coercion decisions of the year"), validators=[Optional()])
    coercion_source = StringField(_l("Source of the coercion figure"))
    fees_yuan = StringField(_l("Administrative fees collected in the year, in yuan"), validators=[Optional()])
    fees_source = StringField(_l("Source of the fees figure"))
    cross_year_explanation = TextAreaField(
        _l("Why currently valid documents differ from last year's figure (optional)"), render_kw={"rows": 3}
    )


class ActionForm(FlaskForm):
    version = HiddenField()


class ReturnForm(FlaskForm):
    version = HiddenField()
    comment = TextAreaField(_l("Why the report goes back"), render_kw={"rows": 3})


class CorrectForm(FlaskForm):
    reason = TextAreaField(_l("What is corrected and why"), render_kw={"rows": 3})


class SettingsForm(FlaskForm):
    version = HiddenField()
    agency_kind = SelectField(
        _l("This agency reports as"),
        choices=choices(
            [
                ("department", _l("A government department (due 31 January)")),
                ("government", _l("A county-level or higher government (due 31 March)")),
            ]
        ),
    )
