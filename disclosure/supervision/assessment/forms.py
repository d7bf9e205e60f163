"""Forms of the assessment pages; the rules live in the operations and in `indicators.check` (every problem reported
beside its field, nothing saved changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from disclosure.supervision import measures
from disclosure.supervision.assessment.indicators import NO_DATA_LABELS, RULE_LABELS
from disclosure.supervision.periods import PERIOD_KIND_LABELS, PeriodKind
from disclosure.web.forms import choices

EXTRA_ROWS = 3  # blank rows under the indicators, to add new ones


def figure_choices(current: list[str] = ()) -> list:
    """Every registered figure, grouped by area, with any key a stored indicator names that is no longer
    registered (so the page shows it and the check says so)."""
    out = [SelectChoice(value="", label=str(_l("Choose a figure")))]
    for area, area_label in measures.AREAS.items():
        for f in measures.REGISTRY.in_area(area):
            kind = _l("percentage") if isinstance(f, measures.Ratio) else _l("count")
            out.append(SelectChoice(value=f.key, label=f"{f.label} ({kind})", optgroup=str(area_label)))
    known = {c.value for c in out}
    for key in current:
        if key and key not in known:
            out.append(SelectChoice(value=key, label=str(_l("Unknown figure: %(key)s", key=key))))
            known.add(key)
    return out


class IndicatorRow(Form):
    """One indicator of the set (no CSRF of its own: the set's form has it)."""

    name = StringField(_l("Indicator"))
    figure = SelectField(_l("Figure it reads"), validate_choice=False)
    weight = StringField(_l("Weight (points)"))
    rule = SelectField(_l("Scoring rule"), choices=choices(RULE_LABELS.items()), validate_choice=False)
    target = StringField(_l("Full marks at (%)"))
    floor = StringField(_l("Zero marks at (%)"))
    per_item = StringField(_l("Points off per item"))
    no_data = SelectField(_l("Without data"), choices=choices(NO_DATA_LABELS.items()), validate_choice=False)
    remove = BooleanField(_l("Remove"))


class IndicatorsForm(FlaskForm):
    version = HiddenField()
    rows = FieldList(FormField(IndicatorRow, separator="_"), separator="_", min_entries=0, max_entries=40)

    def set_figure_choices(self) -> None:
        current = [r.form.figure.data for r in self.rows]
        options = figure_choices(current)
        for r in self.rows:
            r.form.figure.choices = options


class StartForm(FlaskForm):
    title = StringField(_l("Title (blank: the period's name, e.g. 2025年度政务公开工作考核)"))
    period = SelectField(
        _l("Period"),
        choices=choices((k.value, label) for k, label in PERIOD_KIND_LABELS.items()),
        validate_choice=False,
    )
    year = StringField(_l("Year"))
    month = StringField(_l("Month (1–12, for a month)"))
    quarter = StringField(_l("Quarter (1–4, for a quarter)"))
    start = StringField(_l("From (YYYY-MM-DD, for a custom range)"), name="from")
    end = StringField(_l("To (YYYY-MM-DD, for a custom range)"), name="to")
    include_own = BooleanField(_l("Assess my own agency too"))

    PERIOD_FIELDS = {
        "period": "period",
        "year": "year",
        "month": "month",
        "quarter": "quarter",
        "from": "start",
        "to": "end",
    }

    def period_args(self) -> dict[str, str]:
        return {
            "period": self.period.data or PeriodKind.YEAR.value,
            "year": self.year.data or "",
            "month": self.month.data or "",
            "quarter": self.quarter.data or "",
            "from": self.start.data or "",
            "to": self.end.data or "",
        }


class ActionForm(FlaskForm):
    version = HiddenField()


class ReasonForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 3})


class AdjustForm(FlaskForm):
    version = HiddenField()
    position = SelectField(_l("Indicator"), validate_choice=False)
    points = StringField(_l("Points (blank: back to the computed score)"))
    reason = TextAreaField(_l("Why the score is adjusted"), render_kw={"rows": 3})
