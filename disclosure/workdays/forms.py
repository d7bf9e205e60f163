"""Forms of the calendar pages and the deadline calculator. Dates are typed or picked as YYYY-MM-DD and read
by `parsing`, so every mistake gets one clear message in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import DateInput

from disclosure.web.forms import IntegerField, choices
from disclosure.workdays import parsing


class IsoDateField(StringField):
    """A date as YYYY-MM-DD; `parsed` holds the date after validation."""

    widget = DateInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = None

    def pre_validate(self, form):
        self.parsed = None
        if (self.data or "").strip():
            try:
                self.parsed = parsing.parse_date(self.data)
            except parsing.InputError as exc:
                raise ValidationError(exc.message) from None


class _Parsed(TextAreaField):
    """A text area whose content `parse` turns into `parsed`, with its errors shown on the field."""

    parse = staticmethod(parsing.parse_ranges)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = []

    def pre_validate(self, form):
        try:
            self.parsed = self.parse(self.data or "")
        except parsing.InputError as exc:
            self.parsed = []
            raise ValidationError(exc.message) from None


class RangesField(_Parsed):
    parse = staticmethod(parsing.parse_ranges)


class DatesField(_Parsed):
    parse = staticmethod(parsing.parse_dates)


# DataRequired, not InputRequired: a date of blanks (a tab, a line break) is no date; InputRequired would let it
# through with nothing parsed.
_REQUIRED_DATE = _l("Enter a date.")


class CalculatorForm(FlaskForm):
    """A GET form: the result page can be bookmarked, and nothing changes, so no CSRF token is needed."""

    class Meta:
        csrf = False

    received = IsoDateField(_l("Received on"), validators=[DataRequired(message=_REQUIRED_DATE)])
    # Left out of the query, the number of days is the default (20, 条例 Art. 33); empty, it is refused.
    days = IntegerField(
        _l("Working days"),
        default=20,
        validators=[NumberRange(min=0, max=400, message=_l("Enter a number from 0 to 400."))],
    )
    extension = IntegerField(
        _l("Extension (working days)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=400, message=_l("Enter a number from 0 to 400."))],
    )
    pauses = RangesField(_l("Pauses (days that do not count)"))


class NoticeForm(FlaskForm):
    reference = StringField(
        _l("Notice document number"),
        validators=[InputRequired(message=_l("Enter the notice's document number.")), Length(max=120)],
    )
    title = StringField(
        _l("Title"), validators=[InputRequired(message=_l("Enter the notice's title.")), Length(max=300)]
    )
    issued_on = IsoDateField(_l("Issued on"))
    holidays = RangesField(_l("Days off"), validators=[InputRequired(message=_l("Enter at least one holiday range."))])
    workdays = DatesField(_l("Make-up working days"))
    accept_differences = BooleanField(_l("The notice really differs from the statutory holidays"))


class OverrideForm(FlaskForm):
    day = IsoDateField(_l("Date"), validators=[DataRequired(message=_REQUIRED_DATE)])
    status = RadioField(
        _l("Status"),
        choices=choices([("holiday", _l("Holiday")), ("work", _l("Working day"))]),
        validators=[InputRequired(message=_l("Choose holiday or working day."))],
    )
    source = StringField(
        _l("Notice it comes from"),
        validators=[InputRequired(message=_l("Name the notice this day comes from.")), Length(max=300)],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class DeleteForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
