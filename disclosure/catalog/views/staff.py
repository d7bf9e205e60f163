"""Staff pages of the catalogue: the agency's list, the entry form, the entry page with its actions, reviews,
versions and history, and the workbench panel (issue 11 §1).

An agency sees the entries it issued, as lead or joint issuer (联合发文); only the lead agency's staff act on an
entry (`entries.actors_for`). Another agency's entry is a 404.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

import workflows.catalog as wf
from disclosure.accounts.models import Agency, Department
from disclosure.accounts.roles import Role
from disclosure.catalog import sweep
from disclosure.catalog.classification import CATEGORIES
from disclosure.catalog.forms import (
    ATTACHMENT_ROLE_LABELS,
    ATTRIBUTE_LABELS,
    DOC_KIND_LABELS,
    STATE_LABELS,
    ActionForm,
    AttachmentEditForm,
    AttachmentUploadForm,
    ConfirmForm,
    EntryForm,
    FilterForm,
    LegalityForm,
    category_text,
)
from disclosure.catalog.history import entry_history
from disclosure.catalog.models import DocKind, Entry, EntryAttachment, EntryVersion
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations.settings import genres, themes_tree
from disclosure.catalog.timeliness import TIMELINESS_LABELS, Timeliness, judge
from disclosure.catalog.views.common import EDITORS, READERS, own_agency, staff_bp
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import DomainError, NotAllowed
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.web.access import staff_required
from disclosure.web.forms import choices, show_errors
from disclosure.web.paging import paginate
from disclosure.web.params import parse_id, parse_int
from workflows.catalog import Attribute, States

# The buttons of the entry page, in the words of each step; import and system triggers have no button.
ACTION_LABELS = {
    "submit": _l("Submit for attribute review"),
    "confirm_attribute": _l("Confirm the disclosure attribute"),
    "return_attribute": _l("Return to the editor"),
    "pass_secrecy": _l("Secrecy review passed"),
    "return_secrecy": _l("Return with comments"),
    "publish": _l("Approve and publish"),
    "record": _l("Approve and record in the catalogue (not public)"),
    "return_approval": _l("Return to the editor"),
    "revise": _l("Start a new version"),
    "withdraw": _l("Withdraw"),
    "abandon": _l("Abandon the draft"),
}
COMMENT_REQUIRED = {"return_attribute", "return_secrecy", "return_approval"}
COMMENT_OPTIONAL = {"confirm_attribute", "pass_secrecy", "publish", "record"}
REASON_REQUIRED = {"withdraw", "abandon"}
DONE = {
    "submit": _l("The entry was submitted to the disclosure office."),
    "confirm_attribute": _l("The attribute was confirmed; the entry is with the secrecy reviewer."),
    "pass_secrecy": _l("The secrecy review was recorded; the entry awaits approval."),
    "publish": _l("The entry was published."),
    "record": _l("The entry was recorded in the catalogue."),
    "revise": _l("A new version was started; the published version stays public until the next publication."),
    "withdraw": _l("The entry was withdrawn."),
    "abandon": _l("The draft was abandoned."),
}
# The steps a role takes on the entries "waiting for me" (no revise/withdraw/abandon: those are not waiting).
WAITING_TRIGGERS = {"submit", "confirm_attribute", "pass_secrecy", "publish", "record"}
TIMELINESS_FILTERS = ("overdue", "due_soon")


def load_entry(entry_id: int) -> Entry:
    """The entry, if the user's agency issued it (as lead or joint issuer); 404 otherwise."""
    entry = db.session.get(Entry, entry_id)
    if entry is None or not (current_user.is_sys_admin or current_user.agency_id in ops.issuing_agency_ids(entry)):
        abort(404)
    return entry


def timeliness_of(entry: Entry, today: dt.date) -> Timeliness | None:
    """Art. 26 for a 主动公开 entry: pending / due soon / overdue while prepared, on time / late once published."""
    if entry.attribute != Attribute.PROACTIVE.value:
        return None
    if entry.state in sweep.EDITING_STATES:
        return judge(entry.due_on, None, today)
    if entry.state == States.PUBLISHED.value:
        return judge(entry.due_on, entry.published_on, today)
    return None


def my_roles(user) -> set[str]:
    """The workflow roles the user holds on the entries of their own agency."""
    return {r.value for r in user.roles}


def can_edit(entry: Entry) -> bool:
    return entry.state == States.DRAFT.value and bool(
        {wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & ops.actors_for(entry, current_user)
    )


def waiting_condition(agency_id: int, roles: set[str]):
    """Entries of the agency on which these roles take the next step."""
    states = {
        source for t in wf.TRANSITIONS if t.trigger in WAITING_TRIGGERS and t.roles & roles for source in t.source
    }
    conds = []
    if states:
        conds.append(Entry.state.in_(sorted(states)))
    if wf.LEGAL_REVIEWER in roles:
        conds.append(
            Entry.doc_kind.in_([k.value for k in DocKind if k.normative])
            & Entry.state.in_([States.ATTRIBUTE_REVIEW.value, States.SECRECY_REVIEW.value, States.APPROVAL.value])
        )
    if not conds:
        return Entry.id.is_(None)
    cond = conds[0]
    for c in conds[1:]:
        cond = cond | c
    return (Entry.agency_id == agency_id) & cond


def _fill_filters(form: FilterForm) -> None:
    any_ = ("", _l("Any"))
    form.state.choices = choices([any_, *STATE_LABELS.items()])
    form.attribute.choices = choices([any_, *ATTRIBUTE_LABELS.items()])
    form.category.choices = choices([any_, *((code, category_text(code)) for code in CATEGORIES)])
    form.theme.choices = choices([any_, *((str(t.id), t.path) for top, subs in themes_tree() for t in (top, *subs))])
    form.genre.choices = choices([any_, *((str(g.id), g.name) for g in genres())])
    form.kind.choices = choices([any_, *DOC_KIND_LABELS.items()])
    form.timeliness.choices = choices([any_, *((t, TIMELINESS_LABELS[Timeliness(t)]) for t in TIMELINESS_FILTERS)])


@staff_bp.route("/")
@staff_required(*READERS)
def index():
    agency = own_agency()
    today = today_china()
    form = FilterForm(request.args)
    _fill_filters(form)
    query = select(Entry).where(sweep.in_catalogue_of(agency.id))
    args = request.args
    if args.get("state") in STATE_LABELS:
        query = query.where(Entry.state == args["state"])
    if args.get("attribute") in ATTRIBUTE_LABELS:
        query = query.where(Entry.attribute == args["attribute"])
    if args.get("category") in CATEGORIES:
        query = query.where(Entry.category == args["category"])
    if args.get("kind") in DOC_KIND_LABELS:
        query = query.where(Entry.doc_kind == args["kind"])
    for name, column in (("theme", Entry.theme_id), ("genre", Entry.genre_id)):
        chosen = parse_id(args.get(name))
        if chosen is not None:
            query = query.where(column == chosen)
    year_text = (args.get("year") or "").strip()
    if year_text:
        year = parse_int(year_text, min=1949, max=2999)
        if year is None:
            form.year.errors = [_("Enter a year such as %(year)s.", year=today.year)]
        else:
            query = query.where(Entry.made_on >= dt.date(year, 1, 1), Entry.made_on <= dt.date(year, 12, 31))
    condition = sweep.timeliness_condition(args.get("timeliness") or "", today)
    if condition is not None:
        query = query.where(condition)
    if form.mine.data:
        query = query.where(waiting_condition(agency.id, my_roles(current_user)))
    text = (args.get("q") or "").strip()[:200]
    if text:
        key = normalise_document_number(text)
        match = (
            Entry.title.contains(text, autoescape=True)
            | Entry.document_number.contains(text, autoescape=True)
            | Entry.index_number.contains(text, autoescape=True)
        )
        if key:
            match = match | (Entry.document_number_key == key)
        query = query.where(match)
    page = paginate(query.order_by(Entry.updated_at.desc(), Entry.id.desc()))
    return render_template(
        "catalog/staff/index.html",
        form=form,
        page=page,
        today=today,
        timeliness_of=timeliness_of,
        may_create=bool({wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & my_roles(current_user)),
    )


# --- The entry form ----------------------------------------------------------------------------------------------


def _entry_form(agency: Agency, **kwargs) -> EntryForm:
    form = EntryForm(**kwargs)
    departments = db.session.execute(
        select(Department)
        .where(Department.agency_id == agency.id, Department.active.is_(True))
        .order_by(Department.name)
    ).scalars()
    others = db.session.execute(
        select(Agency).where(Agency.id != agency.id, Agency.active.is_(True)).order_by(Agency.full_name)
    ).scalars()
    form.fill_choices(
        themes=themes_tree(active_only=True), genres=genres(active_only=True), departments=departments, agencies=others
    )
    return form


def _values_of(entry: Entry) -> dict:
    values = {}
    for name in (*ops.SNAPSHOT_FIELDS, "summary", "body_html", "entry_type"):
        value = getattr(entry, name, None)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        values[name] = "" if value is None else value
    values["issuer_ids"] = [str(i.agency_id) for i in entry.issuers if not i.lead]
    values["version"] = str(entry.version)
    return values


def _form_page(form: EntryForm, entry: Entry | None, loose: list[str], status: int):
    return render_template("catalog/staff/entry_form.html", form=form, entry=entry, loose=loose), status


@staff_bp.route("/new", methods=["GET", "POST"])
@staff_required(*EDITORS)
def new_entry():
    agency = own_agency()
    form = _entry_form(agency)
    if request.method == "GET" or not form.validate():
        return _form_page(form, None, [], 400 if request.method == "POST" else 200)
    try:
        entry = ops.create_entry(agency, form.operation_data(), actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        return _form_page(form, None, show_errors(form, exc), 400)
    flash(_("The draft was saved."), "success")
    return redirect(url_for(".entry", entry_id=entry.id))


@staff_bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@staff_required(*EDITORS)
def edit_entry(entry_id: int):
    entry = load_entry(entry_id)
    if entry.state != States.DRAFT.value:
        flash(_("Only a draft can be changed; start a new version of a published entry first."), "error")
        return redirect(url_for(".entry", entry_id=entry.id))
    if not can_edit(entry):
        abort(403)
    agency = db.session.get(Agency, entry.agency_id)
    if request.method == "GET":
        return _form_page(_entry_form(agency, data=_values_of(entry)), entry, [], 200)
    form = _entry_form(agency)
    if not form.validate():
        return _form_page(form, entry, [], 400)
    try:
        ops.update_entry(
            entry, form.operation_data(), actor=current_user, expected_version=parse_int(form.version.data, min=0)
        )
    except DomainError as exc:
        db.session.rollback()
        loose = show_errors(form, exc)
        return _form_page(form, db.session.get(Entry, entry_id), loose, 409 if exc.status_code == 409 else 400)
    flash(_("The draft was saved."), "success")
    return redirect(url_for(".entry", entry_id=entry.id))


# --- The entry page ----------------------------------------------------------------------------------------------


def _action_form(entry: Entry, trigger: str, form: ActionForm | None = None) -> ActionForm:
    if form is None:
        form = ActionForm(prefix=trigger, formdata=None)
        form.version.data = str(entry.version)
    form.needs_comment = trigger in COMMENT_REQUIRED
    form.takes_comment = trigger in COMMENT_REQUIRED | COMMENT_OPTIONAL
    form.needs_reason = trigger in REASON_REQUIRED
    form.label = ACTION_LABELS[trigger]
    form.trigger_name = trigger
    return form


def entry_page(entry: Entry, *, posted: dict | None = None, loose: list[str] | None = None, status: int = 200):
    """The entry page; `posted` holds a form sent back with its errors (by name: an action's trigger, "legality",
    "upload"), the others are fresh."""
    posted = posted or {}
    today = today_china()
    actors = ops.actors_for(entry, current_user)
    actions = [t for t in ops.allowed_actions(entry, current_user) if t in ACTION_LABELS]
    editing = entry.state in sweep.EDITING_STATES
    legality_open = (
        wf.LEGAL_REVIEWER in actors and entry.kind.normative and editing and ops.legality_review_of(entry) is None
    )
    attachments = sorted(entry.attachments, key=lambda a: (a.removed_at is not None, a.position, a.id))
    editable = can_edit(entry)
    edit_forms = {}
    if editable:
        for att in attachments:
            if att.removed_at is None:
                f = posted.get(f"attachment-{att.id}") or AttachmentEditForm(
                    prefix=f"att{att.id}",
                    formdata=None,
                    data={"role": att.role, "title": att.title, "position": str(att.position)},
                )
                f.role.choices = choices(_attachment_roles(entry))
                edit_forms[att.id] = f
    upload = posted.get("upload")
    if upload is None and editable:
        upload = AttachmentUploadForm(formdata=None)
        upload.version.data = str(entry.version)
    if upload is not None:
        upload.role.choices = choices(_attachment_roles(entry))
    return render_template(
        "catalog/staff/entry.html",
        entry=entry,
        today=today,
        timeliness=timeliness_of(entry, today),
        actions=[_action_form(entry, t, posted.get(t)) for t in actions],
        legality_form=posted.get("legality") or (LegalityForm(formdata=None) if legality_open else None),
        legality_review=ops.legality_review_of(entry) if entry.kind.normative else None,
        reviews=ops.reviews_of(entry),
        versions=ops.versions_of(entry),
        history=entry_history(entry),
        attachments=attachments,
        editable=editable,
        edit_forms=edit_forms,
        upload_form=upload,
        remove_form=ConfirmForm(formdata=None),
        issuers=[db.session.get(Agency, i.agency_id) for i in entry.issuers],
        department=db.session.get(Department, entry.department_id) if entry.department_id else None,
        loose=loose or [],
        ATTACHMENT_ROLE_LABELS=ATTACHMENT_ROLE_LABELS,
    ), status


def refused_page(entry_id: int, operation, form, key: str, *, default=None, after=None):
    """Run `operation()`. A refusal for the user's role is a 403; a refused input is the entry page again (400)
    with every problem beside its field of `form` (sent back under `key`: see `entry_page`), a problem naming no
    field beside `default` (a field name, or a function of the error giving one) or above the page. `after()`
    adjusts the form's errors. None when the operation succeeded."""
    try:
        operation()
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        db.session.rollback()
        loose = show_errors(form, exc, default=default(exc) if callable(default) else default)
        if after is not None:
            after()
        return entry_page(load_entry(entry_id), posted={key: form}, loose=loose, status=400)
    return None


def _attachment_roles(entry: Entry) -> list[tuple[str, object]]:
    return [(k, v) for k, v in ATTACHMENT_ROLE_LABELS.items() if k != "media" or entry.entry_type == "interpretation"]


@staff_bp.route("/entries/<int:entry_id>")
@staff_required(*READERS)
def entry(entry_id: int):
    return entry_page(load_entry(entry_id))


@staff_bp.route("/entries/<int:entry_id>/act/<trigger>", methods=["POST"])
@staff_required(*READERS)
def act(entry_id: int, trigger: str):
    entry = load_entry(entry_id)
    if trigger not in ACTION_LABELS:
        abort(404)
    form = ActionForm(prefix=trigger)
    beside = {str(ops.REFUSALS["has_comment"]): "comment", str(ops.REFUSALS["has_reason"]): "reason"}
    refused = refused_page(
        entry_id,
        lambda: ops.act(
            entry,
            trigger,
            actor=current_user,
            comment=(form.comment.data or "") if trigger in COMMENT_REQUIRED | COMMENT_OPTIONAL else "",
            reason=(form.reason.data or "") if trigger in REASON_REQUIRED else "",
            expected_version=parse_int(form.version.data, min=0),
            today=today_china(),
        ),
        form,
        trigger,
        default=lambda exc: beside.get(str(exc.message)),
    )
    if refused is not None:
        return refused
    flash(str(DONE.get(trigger, _("Done."))), "success")
    return redirect(url_for(".entry", entry_id=entry.id))


@staff_bp.route("/entries/<int:entry_id>/legality", methods=["POST"])
@staff_required(Role.LEGAL_REVIEWER)
def legality(entry_id: int):
    entry = load_entry(entry_id)
    form = LegalityForm()
    text = (form.reviewed_on.data or "").strip()
    try:
        reviewed_on = dt.date.fromisoformat(text) if text else None
        bad_date = False
    except ValueError:
        reviewed_on, bad_date = None, True

    def date_message():
        if bad_date:
            form.reviewed_on.errors = [_("Enter a date as YYYY-MM-DD.")]

    refused = refused_page(
        entry_id,
        lambda: ops.record_legality_review(
            entry,
            actor=current_user,
            reviewer_name=form.reviewer_name.data or "",
            reviewed_on=reviewed_on,
            opinion=form.opinion.data or "",
        ),
        form,
        "legality",
        after=date_message,
    )
    if refused is not None:
        return refused
    flash(_("The legality review was recorded."), "success")
    return redirect(url_for(".entry", entry_id=entry.id))


@staff_bp.route("/entries/<int:entry_id>/versions/<int:revision>")
@staff_required(*READERS)
def version(entry_id: int, revision: int):
    entry = load_entry(entry_id)
    row = db.session.execute(
        select(EntryVersion).where(EntryVersion.entry_id == entry.id, EntryVersion.revision == revision)
    ).scalar_one_or_none()
    if row is None:
        abort(404)
    ids = list(row.attachment_ids or [])
    files = (
        db.session.execute(select(EntryAttachment).where(EntryAttachment.id.in_(ids))).scalars().all() if ids else []
    )
    files = sorted(files, key=lambda a: ids.index(a.id))
    return render_template(
        "catalog/staff/version.html",
        entry=entry,
        version=row,
        meta=row.metadata_json or {},
        files=files,
        current=row.id == entry.published_version_id,
        ATTACHMENT_ROLE_LABELS=ATTACHMENT_ROLE_LABELS,
    )
