"""Staff pages: the agency's consultations, the drafting form, the workflow's actions, moderation and answers,
comments received by other channels, hearings, the feedback report, the XLSX export and the list of matters."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user
from sqlalchemy import func, select

from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError, field_errors
from disclosure.core.storage import StoredFile
from disclosure.core.timeutil import CHINA_TZ, as_utc, today_china
from disclosure.core.validators import mask_resident_id
from disclosure.extensions import db
from disclosure.participation.articles import article_heads, article_label, split_articles
from disclosure.participation.export import comments_xlsx
from disclosure.participation.forms import (
    CHANNEL_LABELS,
    RESULT_LABELS,
    SUBMITTER_LABELS,
    ActionForm,
    ConsultationForm,
    EventForm,
    FeedbackIntroForm,
    GroupAnswerForm,
    GroupForm,
    MatterForm,
    MinutesForm,
    ModerateForm,
    PublishListForm,
    StaffCommentForm,
)
from disclosure.participation.models import Comment, CommentGroup, Consultation, HearingEvent
from disclosure.participation.operations import comments as cops
from disclosure.participation.operations import consultations as ops
from disclosure.participation.operations import feedback as fops
from disclosure.participation.operations.links import catalog_entry, entry_link
from disclosure.participation.views.common import EDITORS, READERS, own_agency, staff_bp, staff_consultation
from disclosure.web.access import staff_required
from disclosure.web.downloads import send_download
from disclosure.web.forms import choices, show_errors
from disclosure.web.paging import Page, page_number, paginate


def _flash_loose(messages) -> None:
    for message in messages:
        flash(message, "error")


def _form_choices(form: ConsultationForm, agency_id: int) -> None:
    ops.ensure_kinds()
    form.kind_id.choices = choices((str(k.id), k.name_zh) for k in ops.kinds())
    form.matter_id.choices = choices(
        [("", _("None")), *((str(m.id), f"{m.year} {m.title}") for m in fops.matters_for(agency_id))]
    )


def _back(target: str):
    """A refused action: nothing it wrote is kept (the redirect would otherwise commit), back to the page."""
    db.session.rollback()
    return redirect(target, 303)


def _one_step(form, do, done: str, target: str):
    """A small POST form: one operation, its problems flashed (and nothing kept), back to the page."""
    if not form.validate_on_submit():
        abort(400)
    try:
        do(form)
    except DomainError as exc:
        for message in field_errors(exc).values():
            flash(str(message), "error")
        return _back(target)
    flash(done, "success")
    return redirect(target)


def _local(moment) -> str:
    return as_utc(moment).astimezone(CHINA_TZ).strftime("%Y-%m-%dT%H:%M") if moment else ""


@staff_bp.route("/")
@staff_required(*READERS)
def index():
    agency = own_agency()
    q = select(Consultation).where(Consultation.agency_id == agency.id).order_by(Consultation.id.desc())
    page = paginate(q, per_page=50)
    # The comments of the page's consultations only, counted along their index (not every comment of the agency).
    counts = dict(
        db.session.execute(
            select(Comment.consultation_id, func.count(Comment.id))
            .where(Comment.consultation_id.in_([c.id for c in page.items]))
            .group_by(Comment.consultation_id)
        ).all()
    )
    return render_template("participation/staff/index.html", page=page, counts=counts)


@staff_bp.route("/new", methods=["GET", "POST"])
@staff_required(*EDITORS)
def new():
    agency = own_agency()
    form = ConsultationForm()
    _form_choices(form, agency.id)
    if request.method == "GET":
        form.opens_at.data = (dt.datetime.now(CHINA_TZ) + dt.timedelta(days=1)).strftime("%Y-%m-%dT09:00")
        form.accept_online.data = True
    if form.validate_on_submit():
        try:
            c = ops.create_consultation(agency, form.data, actor=current_user)
        except DomainError as exc:
            _flash_loose(show_errors(form, exc))
        else:
            flash(_("The consultation was saved as a draft."), "success")
            return redirect(url_for("participation.detail", cid=c.id))
    status = 400 if request.method == "POST" else 200
    return render_template("participation/staff/edit.html", form=form, c=None), status


@staff_bp.route("/<int:cid>/edit", methods=["GET", "POST"])
@staff_required(*EDITORS)
def edit(cid: int):
    c = staff_consultation(cid)
    form = ConsultationForm(obj=c if request.method == "GET" else None)
    _form_choices(form, c.agency_id)
    if request.method == "GET":
        form.opens_at.data = _local(c.opens_at)
        form.kind_id.data = str(c.kind_id)
        form.matter_id.data = str(c.matter_id or "")
        form.catalog_draft_id.data = str(c.catalog_draft_id or "")
        form.version.data = str(c.version)
    if form.validate_on_submit():
        try:
            version = ops.row_id(form.version.data)
            ops.update_consultation(c, form.data, actor=current_user, expected_version=version)
        except DomainError as exc:
            _flash_loose(show_errors(form, exc))
        else:
            flash(_("The consultation was saved."), "success")
            return redirect(url_for("participation.detail", cid=c.id))
    status = 400 if request.method == "POST" else 200
    return render_template("participation/staff/edit.html", form=form, c=c), status


@staff_bp.route("/<int:cid>")
@staff_required(*READERS)
def detail(cid: int):
    c = staff_consultation(cid)
    return render_template(
        "participation/staff/detail.html",
        c=c,
        actions=ops.allowed_actions(c, current_user),
        action_form=ActionForm(version=str(c.version)),
        event_form=EventForm(),
        minutes_form=MinutesForm(),
        intro_form=FeedbackIntroForm(feedback_intro_html=c.feedback_intro_html),
        count=cops.comment_count(c),
        unanswered=ops.unanswered_count(c),
        articles=split_articles(c.draft_html),
        draft=entry_link(c.catalog_draft_id),
        feedback=entry_link(c.feedback_entry_id),
        final=entry_link(c.final_entry_id),
        rows=fops.report_rows(c),
        events=list(c.events),
        local=_local,
    )


@staff_bp.route("/<int:cid>/act/<trigger>", methods=["POST"])
@staff_required(*EDITORS)
def act(cid: int, trigger: str):
    c = staff_consultation(cid)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    reason = (form.reason.data or "").strip()
    version = ops.row_id(form.version.data)
    try:
        if trigger == "extend":
            raw = (form.period_length.data or "").strip()
            length = ops.row_id(raw) or 0
            ops.check_version(c, version)
            ops.extend(c, new_length=length, reason=reason, actor=current_user)
        elif trigger == "publish_feedback":
            ops.check_version(c, version)
            fops.publish_feedback(c, actor=current_user)
        elif trigger in (
            "approve",
            "return_draft",
            "draft_feedback",
            "return_feedback",
            "approve_feedback",
            "withdraw",
        ):
            ops.act(c, trigger, actor=current_user, reason=reason, expected_version=version)
        elif trigger == "conclude":
            entry = catalog_entry(form.final_entry_id.data or "", c.agency_id)
            if entry is None:
                raise DomainError(_("No catalogue entry of this agency has this number."), field="final_entry_id")
            ops.act(c, trigger, actor=current_user, final_entry_id=entry.id, expected_version=version)
        else:
            abort(404)
    except DomainError as exc:
        flash(str(exc.message), "error")
        return _back(url_for("participation.detail", cid=c.id))
    flash(_("Done."), "success")
    return redirect(url_for("participation.detail", cid=c.id))


@staff_bp.route("/<int:cid>/feedback-intro", methods=["POST"])
@staff_required(*EDITORS)
def feedback_intro(cid: int):
    c = staff_consultation(cid)
    return _one_step(
        FeedbackIntroForm(),
        lambda f: fops.set_feedback_intro(c, f.feedback_intro_html.data or "", actor=current_user),
        _("The introduction was saved."),
        url_for("participation.detail", cid=c.id),
    )


def _comment_view(cm: Comment) -> dict:
    return {
        "cm": cm,
        "article": article_label(cm.article) or _("Whole draft"),
        "id_masked": mask_resident_id(cm.id_number),
    }


@staff_bp.route("/<int:cid>/comments")
@staff_required(*READERS)
def comments(cid: int):
    """The moderation list: one page of comments through the filters' indexes with the count, the beginning of
    each body, the labels translated once for the page rather than once per row."""
    c = staff_consultation(cid)
    filters = {k: request.args.get(k, "")[:100] for k in ("moderation", "article", "channel", "answer", "q")}
    groups = cops.groups_of(c)  # before the rows: their groups are then in the session
    number = page_number()
    found, total = cops.moderation_page(c, filters, page=number, per_page=50)
    page = Page([cm for cm, _preview in found], number, 50, total)
    channels = {k: str(v) for k, v in CHANNEL_LABELS.items()}
    submitters = {k: str(v) for k, v in SUBMITTER_LABELS.items()}
    results = {k: str(v) for k, v in RESULT_LABELS.items()}
    whole = _("Whole draft")
    rows = [
        {
            "cm": cm,
            "preview": preview,
            "article": article_label(cm.article) or whole,
            "id_masked": mask_resident_id(cm.id_number),
            "channel": channels.get(cm.channel, cm.channel),
            "submitter": submitters.get(cm.submitter_type, cm.submitter_type),
            "result": results.get(cm.answer[0], ""),
        }
        for cm, preview in found
    ]
    return render_template(
        "participation/staff/comments.html",
        c=c,
        page=page,
        rows=rows,
        filters=filters,
        groups=groups,
        group_form=GroupForm(),
        articles=article_heads(c.draft_html or ""),
        result_labels=results,
        channel_labels=channels,
    )


@staff_bp.route("/<int:cid>/comments/<int:comment_id>", methods=["GET", "POST"])
@staff_required(*EDITORS)
def moderate(cid: int, comment_id: int):
    c = staff_consultation(cid)
    cm = db.session.get(Comment, comment_id) if 0 < comment_id < 2**31 else None
    if cm is None or cm.consultation_id != c.id:
        abort(404)
    form = ModerateForm()
    form.group_id.choices = choices([("", _("No group")), *((str(g.id), g.title) for g in cops.groups_of(c))])
    form.result.choices = choices([("", _("Not answered yet")), *RESULT_LABELS.items()])
    if request.method == "GET":
        form.moderation.data = cm.moderation
        form.group_id.data = str(cm.group_id or "")
        form.result.data = cm.result
        form.reason.data = cm.reason
        dup = db.session.get(Comment, cm.duplicate_of_id) if cm.duplicate_of_id else None
        form.duplicate_of.data = dup.number if dup else ""
    if form.validate_on_submit():
        try:
            cops.set_moderation(cm, form.moderation.data or "", actor=current_user)
            cops.mark_duplicate(cm, form.duplicate_of.data or "", actor=current_user)
            group = None
            if form.group_id.data:
                group_id = ops.row_id(form.group_id.data)
                group = db.session.get(CommentGroup, group_id) if group_id else None
                if group is None:
                    raise DomainError(_("Choose a group of this consultation."), field="group_id")
            cops.set_group(cm, group, actor=current_user)
            answer = (form.result.data or "", (form.reason.data or "").strip())
            if any(answer) and answer != (cm.result, cm.reason):
                cops.answer_comment(cm, answer[0], answer[1], actor=current_user)
        except DomainError as exc:
            _flash_loose(show_errors(form, exc))
        else:
            flash(_("The comment was saved."), "success")
            return redirect(url_for("participation.comments", cid=c.id))
    status = 400 if request.method == "POST" else 200
    return render_template("participation/staff/moderate.html", c=c, form=form, **_comment_view(cm)), status


@staff_bp.route("/<int:cid>/comments/<int:comment_id>/attachment")
@staff_required(*READERS)
def attachment(cid: int, comment_id: int):
    c = staff_consultation(cid)
    cm = db.session.get(Comment, comment_id) if 0 < comment_id < 2**31 else None
    if cm is None or cm.consultation_id != c.id or cm.attachment_id is None:
        abort(404)
    stored = db.session.get(StoredFile, cm.attachment_id)
    return send_download(
        stored.read_bytes(),
        mimetype=stored.content_type or "application/octet-stream",
        name=cm.attachment_name or "attachment",
        ascii_name=f"comment-{cm.id}-attachment",
    )


@staff_bp.route("/<int:cid>/groups", methods=["POST"])
@staff_required(*EDITORS)
def new_group(cid: int):
    c = staff_consultation(cid)
    return _one_step(
        GroupForm(),
        lambda f: cops.create_group(c, f.group_title.data or "", actor=current_user),
        _("The group was created."),
        url_for("participation.comments", cid=c.id),
    )


@staff_bp.route("/<int:cid>/groups/<int:group_id>", methods=["GET", "POST"])
@staff_required(*EDITORS)
def group(cid: int, group_id: int):
    c = staff_consultation(cid)
    g = db.session.get(CommentGroup, group_id) if 0 < group_id < 2**31 else None
    if g is None or g.consultation_id != c.id:
        abort(404)
    form = GroupAnswerForm()
    if request.method == "GET":
        form.result.data, form.reason.data = g.result, g.reason
    if form.validate_on_submit():
        try:
            cops.answer_group(g, form.result.data or "", form.reason.data or "", actor=current_user)
        except DomainError as exc:
            _flash_loose(show_errors(form, exc))
        else:
            flash(_("The group's answer was saved."), "success")
            return redirect(url_for("participation.comments", cid=c.id))
    members = db.session.execute(select(Comment).where(Comment.group_id == g.id).order_by(Comment.id)).scalars()
    status = 400 if request.method == "POST" else 200
    return render_template("participation/staff/group.html", c=c, g=g, form=form, members=list(members)), status


@staff_bp.route("/<int:cid>/comments/new", methods=["GET", "POST"])
@staff_required(*EDITORS)
def enter_comment(cid: int):
    c = staff_consultation(cid)
    form = StaffCommentForm()
    articles = article_heads(c.draft_html or "")
    form.article.choices = choices([("0", _("The whole draft")), *((str(a.number), a.label) for a in articles)])
    if not form.submission_key.data:
        form.submission_key.data = cops.new_submission_key()
    if request.method == "GET":
        form.received_on.data = today_china().isoformat()
    if form.validate_on_submit():
        data = {k: form[k].data for k in form._fields if k not in ("attachment", "csrf_token")}
        upload = form.attachment.data
        if upload is not None and getattr(upload, "filename", ""):
            data["attachment"] = (upload.read(), upload.filename)
        try:
            cm = cops.enter_comment(c, data, actor=current_user)
        except DomainError as exc:
            _flash_loose(show_errors(form, exc, default="body"))
        else:
            flash(_("Comment %(number)s was entered.", number=cm.number), "success")
            return redirect(url_for("participation.comments", cid=c.id))
    status = 400 if request.method == "POST" else 200
    return render_template("participation/staff/enter_comment.html", c=c, form=form), status


@staff_bp.route("/<int:cid>/export.xlsx")
@staff_required(*READERS)
def export(cid: int):
    c = staff_consultation(cid)
    return send_download(
        comments_xlsx(c),
        name=f"意见汇总-{c.id}.xlsx",
        ascii_name=f"comments-{c.id}.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@staff_bp.route("/<int:cid>/events", methods=["POST"])
@staff_required(*EDITORS)
def add_event(cid: int):
    c = staff_consultation(cid)
    return _one_step(
        EventForm(),
        lambda f: fops.add_event(c, f.data, actor=current_user),
        _("The event was scheduled."),
        url_for("participation.detail", cid=c.id),
    )


def _event(c: Consultation, event_id: int) -> HearingEvent:
    e = db.session.get(HearingEvent, event_id) if 0 < event_id < 2**31 else None
    if e is None or e.consultation_id != c.id:
        abort(404)
    return e


@staff_bp.route("/<int:cid>/events/<int:event_id>/publish", methods=["POST"])
@staff_required(*EDITORS)
def publish_event(cid: int, event_id: int):
    c = staff_consultation(cid)
    e = _event(c, event_id)
    return _one_step(
        ActionForm(),
        lambda f: fops.publish_event(e, actor=current_user),
        _("The event, its participants and materials are public."),
        url_for("participation.detail", cid=c.id),
    )


@staff_bp.route("/<int:cid>/events/<int:event_id>/minutes", methods=["POST"])
@staff_required(*EDITORS)
def minutes(cid: int, event_id: int):
    c = staff_consultation(cid)
    e = _event(c, event_id)
    return _one_step(
        MinutesForm(),
        lambda f: fops.record_minutes(e, f.minutes_html.data or "", actor=current_user),
        _("The minutes are published."),
        url_for("participation.detail", cid=c.id),
    )


@staff_bp.route("/matters", methods=["GET", "POST"])
@staff_required(*READERS)
def matters():
    agency = own_agency()
    form = MatterForm()
    publish_form = PublishListForm(year=str(today_china().year))
    if request.method == "GET":
        form.year.data = str(today_china().year)
    if form.validate_on_submit():
        if not current_user.has_role(*EDITORS) and not current_user.is_sys_admin:
            abort(403)
        try:
            fops.save_matter(agency, form.data, actor=current_user)
        except DomainError as exc:
            _flash_loose(show_errors(form, exc))
        else:
            flash(_("The matter was added to the list."), "success")
            return redirect(url_for("participation.matters"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "participation/staff/matters.html",
        form=form,
        publish_form=publish_form,
        matters=fops.matters_for(agency.id),
    ), status


@staff_bp.route("/matters/publish", methods=["POST"])
@staff_required(Role.OFFICE_HEAD)
def publish_matters():
    agency = own_agency()
    form = PublishListForm()
    if not form.validate_on_submit():
        abort(400)
    raw = (form.year.data or "").strip()
    year = ops.row_id(raw) or 0
    if not 2000 <= year <= 2100:
        flash(_("Enter the year, e.g. 2026."), "error")
        return _back(url_for("participation.matters"))
    try:
        fops.publish_matter_list(agency, year, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "error")
        return _back(url_for("participation.matters"))
    flash(_("The list is published in the catalogue."), "success")
    return redirect(url_for("participation.matters"))


def staff_panel(user):
    """`signals.staff_panels`: the agency's consultations open now, closed and waiting for their feedback, and
    feedback waiting for the office head's approval or publication."""
    if user.agency_id is None or not user.has_role(*READERS):
        return None

    def count(*states: str) -> int:
        return db.session.execute(
            select(func.count(Consultation.id)).where(
                Consultation.agency_id == user.agency_id, Consultation.state.in_(states)
            )
        ).scalar_one()

    index = url_for("participation.index")
    return (
        _("Public consultations"),
        [
            (_("Open for comments"), count("open"), index),
            (_("Closed, feedback to draft"), count("closed"), index),
            (_("Feedback waiting for approval or publication"), count("feedback_drafted", "feedback_approved"), index),
        ],
    )
