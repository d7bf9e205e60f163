"""Public appraisal's forms. They render the fields and carry the CSRF token; the rules live in the operations,
which check the whole input at once (FieldErrors beside each field), so the radio buttons do not judge their own
choices (`validate_choice=False`). The survey's questions are data (`questions.QUESTIONS`): one radio group each."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField

from disclosure.supervision.appraisal.questions import QUESTIONS, SCALE
from disclosure.web.forms import choices

NO_ANSWER = _l("No answer")
HONEYPOT = "reference_code"  # the field people never see; bots fill it


class SurveyForm(FlaskForm):
    submission_key = HiddenField()
    comment = TextAreaField(
        _l("Comment or suggestion (optional; never published)"), render_kw={"rows": 5, "maxlength": 1000}
    )
    # The honeypot: hidden from people (and from screen readers), filled by bots; see the survey template.
    reference_code = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})


for _question in QUESTIONS:
    _pairs = [(str(score), words) for score, (words, _zh) in SCALE.items()]
    if not _question.required:
        _pairs.append(("", NO_ANSWER))
    setattr(
        SurveyForm,
        _question.key,
        RadioField(_question.label, choices=choices(_pairs), validate_choice=False, default=""),
    )


class SettingsForm(FlaskForm):
    survey_open = BooleanField(_l("The satisfaction survey is open on the public platform"))
