"""Forms of the notice pages, and the words for the notices' states and steps. The forms render fields and carry
the CSRF token; the rules live in the operations, which check the whole input at once (every problem beside its
field). Select fields therefore do not judge their own choices (`validate_choice=False`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField

from workflows.supervision_notice import States

STATE_LABELS = {
    States.ISSUED.value: _l("Waiting for the agency's answer"),
    States.ANSWERED.value: _l("Answered, waiting for the supervisor"),
    States.CLOSED.value: _l("Closed"),
    States.WITHDRAWN.value: lazy_pgettext("supervision", "Withdrawn"),
}
ACTION_WORDS = {
    "supervision_notice.issued": _l("Supervision notice issued"),
    "supervision_notice.answered": _l("Supervision notice answered"),
    "supervision_notice.closed": _l("Supervision notice closed"),
    "supervision_notice.reissued": _l("Supervision notice reissued"),
    "supervision_notice.withdrawn": _l("Supervision notice withdrawn"),
    "supervision_notice.reminded": _l("Reminder sent: the answer is due tomorrow"),
    "supervision_notice.late": _l("Marked late: not answered by its due date"),
}


def state_label(state: str):
    return STATE_LABELS.get(state, state)


class NewNoticeForm(FlaskForm):
    agency_id = SelectField(_l("Agency"), validate_choice=False)
    matters = SelectMultipleField(_l("The agency's current problems"), choices=[], validate_choice=False)
    other = TextAreaField(_l("Other matters, one a line"), render_kw={"rows": 3})
    due_on = StringField(_l("Answer due by"), render_kw={"type": "date"})
    text = TextAreaField(_l("What the agency must do"), render_kw={"rows": 6})


class AnswerForm(FlaskForm):
    version = HiddenField()
    answer = TextAreaField(_l("What was done, overall"), render_kw={"rows": 6})
    attachment = FileField(_l("Attachment (optional: PDF, OFD, Word, Excel or an image)"))


class CloseForm(FlaskForm):
    version = HiddenField()
    comment = TextAreaField(_l("Comment (optional)"), render_kw={"rows": 2})


class ReissueForm(FlaskForm):
    version = HiddenField()
    comment = TextAreaField(_l("What is still to be done"), render_kw={"rows": 3})
    due_on = StringField(_l("New due date"), render_kw={"type": "date"})


class WithdrawForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(_l("Why the notice is withdrawn"), render_kw={"rows": 2})
