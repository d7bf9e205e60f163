"""Forms of the catalogue's staff and admin pages.

The forms render fields and carry the CSRF token; the rules live in the operations (`clean_entry_input`,
`add_attachments`, `save_settings` …), which check the whole input at once and report every problem by field
(`FieldErrors`), shown beside each field by `web.forms.show_errors`. So the select fields do not judge their own
choices (`validate_choice=False`): a value the operation refuses is reported with the operation's message.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from disclosure.catalog.classification import CATEGORIES, WITHHOLDING_BASES, basis_label
from disclosure.catalog.models import AttachmentRole, DocKind, EntryType, InterpretationForm
from disclosure.web.forms import choices
from disclosure.web.params import parse_id
from workflows.catalog import Attribute, States

DATE = {"type": "date", "placeholder": "YYYY-MM-DD"}

ENTRY_TYPE_LABELS = {
    EntryType.DOCUMENT.value: _l("Government information (a document, plan, notice …)"),
    EntryType.INTERPRETATION.value: _l("Policy interpretation (政策解读)"),
}
DOC_KIND_LABELS = {
    DocKind.REGULATION.value: _l("Rule (规章)"),
    DocKind.NORMATIVE.value: _l("Administrative normative document (行政规范性文件)"),
    DocKind.OTHER.value: _l("Other official document or information"),
}
ATTRIBUTE_LABELS = {
    Attribute.PROACTIVE.value: _l("Disclosed proactively (主动公开)"),
    Attribute.ON_REQUEST.value: _l("Disclosed on request (依申请公开)"),
    Attribute.NOT_DISCLOSED.value: _l("Not disclosed (不予公开)"),
}
FORM_LABELS = {
    InterpretationForm.TEXT.value: _l("Text (文字解读)"),
    InterpretationForm.GRAPHIC.value: _l("Graphic (图解)"),
    InterpretationForm.AUDIO_VIDEO.value: _l("Audio or video (音视频)"),
    InterpretationForm.EXPERT.value: _l("Expert interpretation (专家解读)"),
    InterpretationForm.MEDIA.value: _l("Media interpretation (媒体解读)"),
    InterpretationForm.QA.value: _l("Questions and answers (问答)"),
    InterpretationForm.INTERVIEW.value: _l("Interview or press conference (在线访谈)"),
}
ATTACHMENT_ROLE_LABELS = {
    AttachmentRole.ORIGINAL.value: _l("Signed original (全真版)"),
    AttachmentRole.TEXT.value: _l("Text version (文字版)"),
    AttachmentRole.ATTACHMENT.value: _l("Attachment (附件)"),
    AttachmentRole.MEDIA.value: _l("Interpretation media (图解 / 音视频)"),
}
STATE_LABELS = {
    States.DRAFT.value: _l("Draft"),
    States.ATTRIBUTE_REVIEW.value: _l("Attribute review (disclosure office)"),
    States.SECRECY_REVIEW.value: _l("Secrecy review"),
    States.APPROVAL.value: _l("Awaiting approval"),
    States.PUBLISHED.value: lazy_pgettext("catalog", "Published"),
    States.RECORDED.value: _l("Recorded (not public)"),
    States.WITHDRAWN.value: _l("Withdrawn"),
    States.ABANDONED.value: _l("Abandoned"),
}


def category_choices(blank=True):
    pairs = [("", _l("— choose —"))] if blank else []
    return choices(pairs + [(code, category_text(code)) for code in CATEGORIES])


def category_text(code: str) -> str:
    """`Art. 20(1) · Administrative regulations, rules …`: the article with its words."""
    label = CATEGORIES.get(code)
    if label is None:
        return code
    article, _, item = code.removeprefix("art").partition("_")
    where = _l("Art. %(a)s(%(i)s)", a=article, i=item) if item.isdigit() else _l("Art. %(a)s", a=article)
    return f"{where} · {label}"


class EntryForm(FlaskForm):
    """Every field of a catalogue entry; the view fills the choices that come from the database."""

    version = HiddenField()
    entry_type = SelectField(
        _l("Kind of entry"), choices=choices(ENTRY_TYPE_LABELS.items()), validate_choice=False, default="document"
    )
    title = StringField(_l("Title (标题)"), render_kw={"maxlength": 300})
    document_number = StringField(_l("Document number (发文字号)"), render_kw={"maxlength": 80})
    made_on = StringField(_l("Date made (成文日期)"), render_kw=DATE)
    changed_on = StringField(_l("Date changed (变更日期)"), render_kw=DATE)
    summary = TextAreaField(_l("Summary (内容概述)"), render_kw={"rows": 3})
    keywords = StringField(_l("Keywords"), render_kw={"maxlength": 300})
    category = SelectField(_l("Statutory category (法定主动公开内容)"), validate_choice=False)
    theme_id = SelectField(_l("Theme (主题分类)"), validate_choice=False)
    genre_id = SelectField(_l("Genre (体裁分类)"), validate_choice=False)
    doc_kind = SelectField(
        _l("Type of document (文件类型)"),
        choices=choices(DOC_KIND_LABELS.items()),
        validate_choice=False,
        default=DocKind.OTHER.value,
    )
    department_id = SelectField(_l("Responsible department"), validate_choice=False)
    issuer_ids = SelectMultipleField(_l("Joint issuers (联合发文机关)"), validate_choice=False, render_kw={"size": 6})
    attribute = SelectField(
        _l("Disclosure attribute (公开属性)"), choices=choices(ATTRIBUTE_LABELS.items()), validate_choice=False
    )
    attribute_basis = SelectField(_l("Basis in the Regulations"), validate_choice=False)
    attribute_reason = TextAreaField(_l("Reasons"), render_kw={"rows": 3})
    body_html = TextAreaField(_l("Body (正文)"))
    # 规章 and 行政规范性文件
    registration_number = StringField(_l("Registration number (登记号)"), render_kw={"maxlength": 80})
    in_force_on = StringField(_l("In force from (施行日期)"), render_kw=DATE)
    valid_until = StringField(_l("Valid until (有效期至)"), render_kw=DATE)
    provisional = BooleanField(_l("Provisional or trial (暂行 / 试行)"))
    filed_with = StringField(_l("Filed with (备案机关)"), render_kw={"maxlength": 200})
    filed_on = StringField(_l("Filed on (备案日期)"), render_kw=DATE)
    filing_number = StringField(_l("Filing number (备案号)"), render_kw={"maxlength": 80})
    # 政策解读
    interpretation_form = SelectField(_l("Form of interpretation (解读形式)"), validate_choice=False)
    interpreter = StringField(_l("Interpreted by (解读单位 / 解读人)"), render_kw={"maxlength": 200})
    interpreter_contact = StringField(_l("Contact (联系方式)"), render_kw={"maxlength": 200})
    publish_with_documents = BooleanField(_l("Publish together with its documents (同步发布)"))

    def fill_choices(self, *, themes, genres, departments, agencies) -> None:
        """Choices from the database: themes grouped by their first level (二级主题 under 一级主题)."""
        blank = ("", _l("— choose —"))
        theme_choices = [choices([blank])[0]]
        for top, subs in themes:
            if subs:
                theme_choices += choices([(str(t.id), t.name) for t in subs])
                for c in theme_choices[-len(subs) :]:
                    c.optgroup = top.name
            else:
                theme_choices += choices([(str(top.id), top.name)])
        self.theme_id.choices = theme_choices
        self.genre_id.choices = choices([blank, *((str(g.id), g.name) for g in genres)])
        self.category.choices = category_choices()
        self.department_id.choices = choices([("", _l("— none —")), *((str(d.id), d.name) for d in departments)])
        self.issuer_ids.choices = choices([(str(a.id), a.full_name) for a in agencies])
        self.attribute_basis.choices = choices([blank, *((key, basis_label(key)) for key in WITHHOLDING_BASES)])
        self.interpretation_form.choices = choices([blank, *FORM_LABELS.items()])

    def operation_data(self) -> dict:
        """What the operation reads (strings as typed; the operation parses and judges them)."""
        names = [f.name for f in self if f.name not in ("csrf_token", "version")]
        data = {name: getattr(self, name).data for name in names}
        for name in ID_FIELDS:  # an id beyond a database integer is no choice at all (refused as such)
            data[name] = _bounded_id(data[name])
        data["issuer_ids"] = [_bounded_id(v) for v in self.issuer_ids.data or []]
        return data


ID_FIELDS = ("theme_id", "genre_id", "department_id")
NOT_A_CHOICE = "-"


def _bounded_id(value):
    """A chosen id as posted, or a value the operation refuses as "choose from the list" when it cannot be an id
    (web.params: never a number beyond 64 bits handed to the database driver)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    return text if parse_id(text) is not None else NOT_A_CHOICE


class FilterForm(FlaskForm):
    """The catalogue list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Title, document number or index number"))
    state = SelectField(_l("State"), validate_choice=False)
    attribute = SelectField(_l("Attribute"), validate_choice=False)
    category = SelectField(_l("Statutory category"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    genre = SelectField(_l("Genre"), validate_choice=False)
    kind = SelectField(_l("Type of document"), validate_choice=False)
    year = StringField(_l("Year made"), render_kw={"inputmode": "numeric", "maxlength": 4, "size": 6})
    timeliness = SelectField(_l("Timeliness (Art. 26)"), validate_choice=False)
    mine = BooleanField(_l("Only entries waiting for me"))


class ActionForm(FlaskForm):
    version = HiddenField()
    trigger = HiddenField()
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 2})
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 2})


class LegalityForm(FlaskForm):
    reviewer_name = StringField(_l("Reviewed by (legal department)"), render_kw={"maxlength": 200})
    reviewed_on = StringField(_l("Date of the review"), render_kw=DATE)
    opinion = TextAreaField(_l("Opinion"), render_kw={"rows": 3})


class AttachmentUploadForm(FlaskForm):
    version = HiddenField()
    files = MultipleFileField(_l("Files (PDF, OFD, DOC, DOCX, XLS, XLSX, images)"))
    role = SelectField(_l("Role of the files"), validate_choice=False)
    title = StringField(_l("Title (when one file is uploaded; the file name otherwise)"), render_kw={"maxlength": 200})
    position = StringField(_l("Place in the list"), validators=[Optional()], render_kw={"inputmode": "numeric"})


class AttachmentEditForm(FlaskForm):
    role = SelectField(_l("Role"), validate_choice=False)
    title = StringField(_l("Title"), render_kw={"maxlength": 200})
    position = StringField(_l("Place in the list"), render_kw={"inputmode": "numeric", "size": 4})


class ConfirmForm(FlaskForm):
    """A button that changes something (remove a file, delete an unused theme): its CSRF token only."""


class SettingsForm(FlaskForm):
    version = HiddenField()
    index_format = StringField(_l("Index number format (索引号)"), render_kw={"maxlength": 80})
    publish_due_days = StringField(_l("Publish within (working days, Art. 26)"), render_kw={"inputmode": "numeric"})
    interpretation_due_days = StringField(
        _l("Interpretations within (working days after the document)"), render_kw={"inputmode": "numeric"}
    )
    validity_years = StringField(
        _l("Validity period of normative documents (years)"), render_kw={"inputmode": "numeric"}
    )
    provisional_validity_years = StringField(
        _l("Validity period of provisional (暂行 / 试行) documents (years)"), render_kw={"inputmode": "numeric"}
    )
    review_months_before_expiry = StringField(_l("Review before expiry (months)"), render_kw={"inputmode": "numeric"})
    list_on_request_entries = BooleanField(_l("List entries disclosed on request on the public site"))


class ClassificationForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": 60})
    parent_id = SelectField(_l("Under"), validate_choice=False)
    position = StringField(_l("Place in the list"), render_kw={"inputmode": "numeric", "size": 4})
    active = BooleanField(_l("Offered for new entries"), default=True)
