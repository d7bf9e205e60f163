"""The notice pages (issue 14 §3), on the supervision staff blueprint: the supervisor's list (filters: agency,
state, late) and the form to issue a notice about the agency's current problems; the agency's list; a notice with
its items, rounds, answers, the steps the reader may take and its history; an answer's attachment. Views parse and
authorise; each step is one operation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError, field_errors
from disclosure.core.storage import StoredFile
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision import scope
from disclosure.supervision.blueprints import staff_bp
from disclosure.supervision.measures import AREAS, REGISTRY
from disclosure.supervision.notices import access, forms, operations, problems
from disclosure.supervision.notices.models import OTHER, Notice
from disclosure.web.access import staff_required
from disclosure.web.downloads import send_download
from disclosure.web.forms import choices, show_errors
from disclosure.web.paging import paginate
from disclosure.web.params import parse_id, parse_int
from workflows.supervision_notice import States

SUPERVISORS = (Role.SUPERVISOR,)
AGENCY = (Role.OFFICE_HEAD, Role.AGENCY_ADMIN)
READERS = (*SUPERVISORS, *AGENCY)
PER_PAGE = 50


def kind_label(kind: str):
    """The words for an item's kind: the figure that counted it, or 'other matter'."""
    if kind == OTHER:
        return _("Other matter")
    measure = REGISTRY.get(kind)
    return measure.label if measure is not None else kind


def _notice(notice_id: int, *, for_update: bool = False) -> Notice:
    if not 0 < notice_id <= operations.MAX_ID:
        abort(404)
    notice = operations.load_for_update(notice_id) if for_update else db.session.get(Notice, notice_id)
    if not access.can_see(current_user, notice):
        abort(404)
    return notice


# --- Lists --------------------------------------------------------------------------------------------------------


def _filtered(condition, *, agency_ids: list[int] | None):
    """The list's query under its filters (`agency`, `state`, `late`) and the problems with them, by field."""
    today = today_china()
    errors: dict[str, str] = {}
    q = select(Notice).where(condition)
    raw_agency = (request.args.get("agency") or "").strip()
    if agency_ids is not None and raw_agency:
        agency_id = parse_id(raw_agency)
        if agency_id is None or agency_id not in agency_ids:
            errors["agency"] = _("Choose one of the agencies you supervise.")
        else:
            q = q.where(Notice.agency_id == agency_id)
    state = (request.args.get("state") or "").strip()
    if state:
        if state in forms.STATE_LABELS:
            q = q.where(Notice.state == state)
        else:
            errors["state"] = _("Choose one of the states listed.")
    late = (request.args.get("late") or "").strip() == "1"
    if late:
        q = q.where(Notice.state == States.ISSUED.value, Notice.due_on < today)
    q = q.options(joinedload(Notice.agency), joinedload(Notice.issuer_agency)).order_by(Notice.id.desc())
    return q, errors, {"agency": raw_agency, "state": state, "late": late}, today


@staff_bp.route("/notices/")
@staff_required(*SUPERVISORS)
def notices():
    supervised = scope.supervised_agency_ids(current_user)
    q, errors, chosen, today = _filtered(access.issued_condition(current_user), agency_ids=supervised)
    return render_template(
        "supervision/notices/index.html",
        page=paginate(q, per_page=PER_PAGE),
        agencies=scope.agencies(supervised),
        errors=errors,
        chosen=chosen,
        today=today,
        issuing=True,
        can_issue=bool(current_user.agency_id),
    )


@staff_bp.route("/notices/received")
@staff_required(*AGENCY)
def notices_received():
    q, errors, chosen, today = _filtered(access.received_condition(current_user), agency_ids=None)
    return render_template(
        "supervision/notices/index.html",
        page=paginate(q, per_page=PER_PAGE),
        agencies=[],
        errors=errors,
        chosen=chosen,
        today=today,
        issuing=False,
        can_issue=False,
    )


# --- Issuing ------------------------------------------------------------------------------------------------------


def _agency_choices(form: forms.NewNoticeForm, supervised: list[int]) -> None:
    form.agency_id.choices = choices(
        [("", _("Choose an agency")), *((str(a.id), a.full_name) for a in scope.agencies(supervised))]
    )


def _chosen_agency(raw: str, supervised: list[int]) -> tuple[Agency | None, str | None]:
    """The agency named in the page's address, or the problem with it."""
    if not raw.strip():
        return None, None
    agency_id = parse_int(raw, min=1, max=operations.MAX_ID)
    agency = db.session.get(Agency, agency_id) if agency_id is not None else None
    if agency is None:
        return None, _("There is no such agency.")
    if agency.id not in supervised:
        return None, _("You do not supervise %(agency)s.", agency=agency.full_name)
    return agency, None


@staff_bp.route("/notices/new", methods=["GET", "POST"])
@staff_required(*SUPERVISORS)
def notice_new():
    today = today_china()
    supervised = scope.supervised_agency_ids(current_user)
    form = forms.NewNoticeForm()
    _agency_choices(form, supervised)
    status = 200
    if request.method == "POST":
        raw = form.agency_id.data or ""
        if form.validate_on_submit():
            data = {
                "agency_id": raw,
                "matters": form.matters.data or [],
                "other": form.other.data or "",
                "due_on": form.due_on.data or "",
                "text": form.text.data or "",
            }
            try:
                notice = operations.issue_notice(current_user, data, today=today)
            except DomainError as exc:
                db.session.rollback()
                for message in show_errors(form, exc, default="text"):
                    flash(message, "error")
            else:
                flash(_("Notice %(number)s was issued.", number=notice.number), "success")
                return redirect(url_for("supervision.notice", notice_id=notice.id))
        status = 422
    else:
        raw = request.args.get("agency") or ""
        form.agency_id.data = raw
    agency, agency_error = _chosen_agency(raw if isinstance(raw, str) else "", supervised)
    if agency_error and not form.agency_id.errors:
        form.agency_id.errors = [agency_error]
    groups = problems.current_problems(agency.id, today) if agency is not None else []
    return render_template(
        "supervision/notices/new.html",
        form=form,
        agency=agency,
        groups=groups,
        chosen=set(form.matters.data or []),
        today=today,
        can_issue=bool(current_user.agency_id),
    ), status


# --- One notice ---------------------------------------------------------------------------------------------------


def _page(notice: Notice, *, status: int = 200, **slots):
    version = {"version": notice.version}
    return render_template(
        "supervision/notices/show.html",
        notice=notice,
        today=today_china(),
        allowed=operations.allowed_actions(notice, current_user),
        answering=slots.get("answering") or forms.AnswerForm(data=version),
        item_values=slots.get("item_values") or {},
        item_errors=slots.get("item_errors") or {},
        closing=slots.get("closing") or forms.CloseForm(prefix="close", data=version),
        reissuing=slots.get("reissuing") or forms.ReissueForm(prefix="reissue", data=version),
        withdrawing=slots.get("withdrawing") or forms.WithdrawForm(prefix="withdraw", data=version),
        kind_label=kind_label,
        areas=AREAS,
        issuing_side=access.is_issuing_side(current_user, notice),
    ), status


@staff_bp.route("/notices/<int:notice_id>")
@staff_required(*READERS)
def notice(notice_id: int):
    return _page(_notice(notice_id))


def _step(notice_id: int, form, slot: str, default: str, do, done: str, **extra):
    """One POST of the notice page: the operation `do(notice, form)`; on a refusal every message beside its field
    and the page again with what was typed, nothing saved."""
    notice = _notice(notice_id, for_update=True)
    if not form.validate_on_submit():
        abort(400)
    try:
        do(notice, form)
    except DomainError as exc:
        db.session.rollback()
        notice = _notice(notice_id)
        problems_by_field = field_errors(exc)
        item_errors = {k: v for k, v in problems_by_field.items() if k and str(k).startswith("item-")}
        rest = {k: v for k, v in problems_by_field.items() if k and k not in item_errors}
        if None in problems_by_field:  # the step itself is refused (the notice's state, the reader's role)
            flash(str(problems_by_field[None]), "error")
        if rest:
            for message in show_errors(form, _Refusal(rest), default=default):
                flash(message, "error")
        return _page(
            notice,
            status=exc.status_code if exc.status_code != 400 else 422,
            **{slot: form},
            item_errors=item_errors,
            **extra,
        )
    flash(done, "success")
    return redirect(url_for("supervision.notice", notice_id=notice.id))


class _Refusal(DomainError):
    """The refusal's problems that stand beside the form's own fields."""

    def __init__(self, errors: dict):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)))
        self.errors = errors


def _version(form) -> int | None:
    return parse_int(form.version.data, min=0)


@staff_bp.route("/notices/<int:notice_id>/answer", methods=["POST"])
@staff_required(*AGENCY)
def notice_answer(notice_id: int):
    form = forms.AnswerForm()
    item_values = {
        key[len("item-") :]: value for key, value in request.form.items() if key.startswith("item-") and value
    }

    def do(notice, form):
        upload = form.attachment.data
        data = {"answer": form.answer.data or "", "item_answers": item_values}
        if upload is not None and getattr(upload, "filename", ""):
            data["attachment"] = (upload.read(), upload.filename)
        operations.answer_notice(notice, current_user, data, expected_version=_version(form))

    return _step(notice_id, form, "answering", "answer", do, _("The answer was sent."), item_values=item_values)


@staff_bp.route("/notices/<int:notice_id>/close", methods=["POST"])
@staff_required(*SUPERVISORS)
def notice_close(notice_id: int):
    def do(notice, form):
        operations.close_notice(notice, current_user, form.comment.data or "", expected_version=_version(form))

    return _step(notice_id, forms.CloseForm(prefix="close"), "closing", "comment", do, _("The notice was closed."))


@staff_bp.route("/notices/<int:notice_id>/reissue", methods=["POST"])
@staff_required(*SUPERVISORS)
def notice_reissue(notice_id: int):
    def do(notice, form):
        operations.reissue_notice(
            notice, current_user, form.comment.data or "", form.due_on.data or "", expected_version=_version(form)
        )

    return _step(
        notice_id, forms.ReissueForm(prefix="reissue"), "reissuing", "comment", do, _("The notice was reissued.")
    )


@staff_bp.route("/notices/<int:notice_id>/withdraw", methods=["POST"])
@staff_required(*SUPERVISORS)
def notice_withdraw(notice_id: int):
    def do(notice, form):
        operations.withdraw_notice(notice, current_user, form.reason.data or "", expected_version=_version(form))

    return _step(
        notice_id, forms.WithdrawForm(prefix="withdraw"), "withdrawing", "reason", do, _("The notice was withdrawn.")
    )


@staff_bp.route("/notices/<int:notice_id>/rounds/<int:number>/attachment")
@staff_required(*READERS)
def notice_attachment(notice_id: int, number: int):
    notice = _notice(notice_id)
    found = next((r for r in notice.rounds if r.number == number), None)
    if found is None or found.attachment_id is None:
        abort(404)
    stored = db.session.get(StoredFile, found.attachment_id)
    if stored is None:
        abort(404)
    return send_download(
        stored.read_bytes(),
        name=found.attachment_name or "attachment",
        ascii_name=f"notice-{notice.id}-round-{number}-attachment",
        mimetype=stored.content_type or "application/octet-stream",
    )
