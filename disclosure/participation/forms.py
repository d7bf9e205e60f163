"""Forms of the participation pages. They render fields and carry the CSRF token; the rules live in the
operations, which check the whole input at once (FieldErrors, shown beside each field by `show_errors`). Select
fields therefore do not judge their own choices (`validate_choice=False`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from disclosure.participation.models import Channel, EventKind, Moderation, PeriodUnit, Result, SubmitterType
from disclosure.web.forms import choices
from workflows.consultation import States

STATE_LABELS = {
    States.DRAFT.value: _l("Draft"),
    States.APPROVED.value: _l("Approved, opens at its start time"),
    States.OPEN.value: _l("Open for comments"),
    States.CLOSED.value: _l("Closed, feedback in preparation"),
    States.FEEDBACK_DRAFTED.value: _l("Feedback submitted, awaiting approval"),
    States.FEEDBACK_APPROVED.value: _l("Feedback approved"),
    States.FEEDBACK_PUBLISHED.value: _l("Feedback published"),
    States.CONCLUDED.value: _l("Concluded"),
    States.WITHDRAWN.value: _l("Withdrawn"),
}
ACTION_LABELS = {
    "approve": _l("Approve"),
    "return_draft": _l("Return to draft"),
    "extend": _l("Extend the period"),
    "draft_feedback": _l("Submit the feedback for approval"),
    "return_feedback": _l("Return the feedback"),
    "approve_feedback": _l("Approve the feedback"),
    "publish_feedback": _l("Publish the feedback and every answer"),
    "conclude": _l("Conclude with the final document"),
    "withdraw": _l("Withdraw the draft"),
    "open": _l("Open"),
    "close": _l("Close"),
}
RESULT_LABELS = {
    Result.ADOPTED.value: _l("Adopted (采纳)"),
    Result.PARTLY.value: _l("Partly adopted (部分采纳)"),
    Result.NOT_ADOPTED.value: _l("Not adopted (未采纳)"),
    Result.EXPLAINED.value: _l("Already provided for / explained (已有相关规定/说明)"),
}
SUBMITTER_LABELS = {
    SubmitterType.CITIZEN.value: _l("Citizen"),
    SubmitterType.ENTERPRISE.value: _l("Enterprise"),
    SubmitterType.ORGANISATION.value: _l("Social organisation"),
    SubmitterType.ASSOCIATION.value: _l("Industry association or chamber of commerce"),
    SubmitterType.EXPERT.value: _l("Expert"),
    SubmitterType.OTHER.value: _l("Other"),
}
CHANNEL_LABELS = {
    Channel.ONLINE.value: _l("Online"),
    Channel.EMAIL.value: _l("Email"),
    Channel.POST.value: _l("Post"),
    Channel.FAX.value: _l("Fax"),
    Channel.HEARING.value: _l("Hearing or symposium"),
}
MODERATION_LABELS = {
    Moderation.PENDING.value: _l("Not yet moderated"),
    Moderation.PUBLISHED.value: _l("Shown publicly"),
    Moderation.HIDDEN.value: _l("Not shown publicly"),
}
EVENT_LABELS = {EventKind.HEARING.value: _l("Hearing (听证会)"), EventKind.SYMPOSIUM.value: _l("Symposium (座谈会)")}
UNIT_LABELS = {PeriodUnit.DAYS.value: _l("calendar days"), PeriodUnit.WORKING_DAYS.value: _l("working days")}


class CommentForm(FlaskForm):
    submission_key = HiddenField()
    article = SelectField(_l("Which part do you comment on?"), validate_choice=False)
    paragraph = StringField(_l("Paragraph or item (optional), e.g. 第二款"))
    body = TextAreaField(_l("Your comment"), render_kw={"rows": 8})
    submitter_type = SelectField(_l("You comment as"), choices=choices(SUBMITTER_LABELS.items()), validate_choice=False)
    name = StringField(_l("Name (never published)"), render_kw={"autocomplete": "name"})
    email = StringField(
        _l("Email, for the receipt and the answer (never published)"),
        render_kw={"autocomplete": "email", "type": "email"},
    )
    phone = StringField(_l("Telephone (never published)"), render_kw={"autocomplete": "tel"})
    id_number = StringField(_l("Resident ID number (never published)"))
    attachment = FileField(_l("Attachment (optional: PDF, OFD, Word, Excel or an image)"))


class StaffCommentForm(CommentForm):
    channel = SelectField(
        _l("Received through"),  # how the comment came in (email, post, fax)
        choices=choices((k, v) for k, v in CHANNEL_LABELS.items() if k != Channel.ONLINE.value),
        validate_choice=False,
    )
    received_on = StringField(_l("Date received"), render_kw={"type": "date", "placeholder": "YYYY-MM-DD"})


class ConsultationForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Title of the draft"))
    kind_id = SelectField(_l("Kind of draft"), validate_choice=False)
    market_related = BooleanField(_l("Closely related to market entities (at least 30 days: 优化营商环境条例 Art. 62)"))
    matter_id = SelectField(_l("Item of the list of major decisions (optional)"), validate_choice=False)
    catalog_draft_id = StringField(_l("Catalogue entry number of the draft (optional)"))
    summary = TextAreaField(_l("Summary"), render_kw={"rows": 3})
    draft_html = TextAreaField(_l("Text of the draft (articles 第一条, 第二条 … are detected)"))
    explanation_html = TextAreaField(_l("Drafting explanation (起草说明)"))
    questions = TextAreaField(_l("Questions the agency asks"), render_kw={"rows": 3})
    opens_at = StringField(_l("Opens at (Beijing time)"), render_kw={"type": "datetime-local"})
    period_length = StringField(_l("Period length (in the kind's unit)"), render_kw={"inputmode": "numeric"})
    shortened_reason = TextAreaField(
        _l("Reason for a period shorter than the minimum (shown publicly)"), render_kw={"rows": 2}
    )
    accept_online = BooleanField(_l("Take comments online on this site"), default=True)
    email_address = StringField(_l("Email address for comments"))
    postal_address = StringField(_l("Postal address for comments"))
    fax = StringField(_l("Fax"))
    contact = StringField(_l("Contact department and telephone"))


class ActionForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 2})
    period_length = StringField(_l("New period length (in the kind's unit)"), render_kw={"inputmode": "numeric"})
    final_entry_id = StringField(_l("Catalogue entry number of the final document"))


class ModerateForm(FlaskForm):
    moderation = SelectField(_l("Public page"), choices=choices(MODERATION_LABELS.items()), validate_choice=False)
    duplicate_of = StringField(_l("Duplicate of comment number"))
    group_id = SelectField(_l("Group"), validate_choice=False)
    result = SelectField(lazy_pgettext("participation", "Result"), validate_choice=False)
    reason = TextAreaField(_l("Reason (required when not adopted)"), render_kw={"rows": 2})


class GroupForm(FlaskForm):
    group_title = StringField(_l("Summary of the group's comments (意见摘要)"))


class GroupAnswerForm(FlaskForm):
    result = SelectField(
        lazy_pgettext("participation", "Result"), choices=choices(RESULT_LABELS.items()), validate_choice=False
    )
    reason = TextAreaField(_l("Reason (required when not adopted)"), render_kw={"rows": 2})


class FeedbackIntroForm(FlaskForm):
    feedback_intro_html = TextAreaField(_l("Introduction of the feedback report"))


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(EVENT_LABELS.items()), validate_choice=False)
    starts_at = StringField(_l("Starts at (Beijing time)"), render_kw={"type": "datetime-local"})
    place = StringField(_l("Place"))
    selection_method = TextAreaField(_l("How participants are chosen"), render_kw={"rows": 2})
    participants = TextAreaField(_l("Participants (published in advance)"), render_kw={"rows": 3})
    materials_html = TextAreaField(_l("Materials (available 7 days before)"), render_kw={"rows": 4})


class MinutesForm(FlaskForm):
    minutes_html = TextAreaField(_l("Minutes"), render_kw={"rows": 6})


class MatterForm(FlaskForm):
    year = StringField(_l("Year"), render_kw={"inputmode": "numeric"})
    title = StringField(_l("Decision matter"))
    lead_unit = StringField(_l("Lead unit (承办单位)"))
    planned_time = StringField(_l("Planned completion"))
    methods = StringField(_l("Ways of public participation"))
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})


class PublishListForm(FlaskForm):
    year = StringField(_l("Year"), render_kw={"inputmode": "numeric"})


class SettingsForm(FlaskForm):
    require_account = BooleanField(_l("Only registered users may comment online"))
    require_name = BooleanField(_l("A name is required"))
    require_email = BooleanField(_l("An email address is required"))
    require_phone = BooleanField(_l("A telephone number is required"))
    require_id_number = BooleanField(_l("A resident ID number is required"))
    publish_comments = BooleanField(_l("Comments approved by moderation are shown on the public page"))


class KindForm(FlaskForm):
    name_zh = StringField(_l("Name (Chinese)"))
    name_en = StringField(_l("Name (English)"))
    min_period = StringField(_l("Minimum period"), render_kw={"inputmode": "numeric"})
    unit = SelectField(_l("Counted in"), choices=choices(UNIT_LABELS.items()), validate_choice=False)
    roll_to_working_day = BooleanField(_l("A period ending on a holiday runs to the next working day"))
    legal_basis = StringField(_l("Legal basis"))
    active = BooleanField(_l("In use"))
