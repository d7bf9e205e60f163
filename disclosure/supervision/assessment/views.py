"""The assessment pages (issue 14 §4): the indicators editor (a supervisor for their agency; a system administrator
for the defaults), the supervisor's assessments with their results, adjustments and workflow actions, an assessed
agency's own finalised scores, the XLSX export, and the public platform's published tables.

Views parse and authorise; the operations decide. Access: only the assessing agency's supervisors and system
administrators see drafts; an assessed agency's office head sees their own agency's finalised scores; the public
sees published tables only (a withdrawn one says so, with the reason). Anything else is a 404.
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.core.audit import events_for
from disclosure.core.errors import DomainError, field_errors
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision import periods, scope
from disclosure.supervision.assessment import export, forms, indicators, operations
from disclosure.supervision.assessment.models import Assessment
from disclosure.supervision.assessment.scoring import Indicator
from disclosure.supervision.blueprints import admin_bp, public_bp, staff_bp
from disclosure.web.access import public, staff_required
from disclosure.web.downloads import send_download
from disclosure.web.forms import show_errors
from disclosure.web.params import parse_int
from workflows.assessment import WORKFLOW, Facts, States

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEWERS = (Role.SUPERVISOR, *scope.AGENCY_VIEWERS)


def _version(form) -> int | None:
    return parse_int(form.version.data, min=0)


def _assessment(assessment_id: int) -> Assessment:
    """An assessment the user manages (404 otherwise: no probing)."""
    a = db.session.get(Assessment, assessment_id)
    if a is None or not operations.can_manage(current_user, a):
        abort(404)
    return a


# --- Indicators ---------------------------------------------------------------------------------------------------


def _indicator_page(agency_id: int | None, endpoint: str):
    """The indicators editor of an agency (agency None: the defaults). GET shows the set in force with blank rows
    to add; POST replaces it, or shows every problem beside its field with what was typed, nothing saved."""
    row = operations.scheme_of(agency_id)
    stored, source = operations.indicators_for(agency_id)
    if request.method == "POST":
        form = forms.IndicatorsForm()
    else:
        data = [dict(i) for i in stored] + [{} for _ in range(forms.EXTRA_ROWS)]
        form = forms.IndicatorsForm(data={"version": row.version if row else 0, "rows": data})
    form.set_figure_choices()
    weights_error = None
    loose: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            rows = [{name: r.form[name].data for name in (*indicators.FIELDS, "remove")} for r in form.rows]
            try:
                operations.save_indicators(agency_id, current_user, rows, expected_version=_version(form))
            except DomainError as exc:
                db.session.rollback()
                problems = field_errors(exc)
                weights_error = problems.pop("weights", None)
                fields = {f.name: f for r in form.rows for f in r.form}
                for name, message in problems.items():
                    if name in fields:
                        fields[name].errors = [*fields[name].errors, str(message)]
                    else:
                        loose.append(str(message))
                for message in loose:
                    flash(message, "error")
                status = exc.status_code if exc.status_code in (403, 409) else 422
            else:
                flash(_("The indicators were saved."), "success")
                return redirect(url_for(endpoint))
    total = sum((Decimal(str(i["weight"])) for i in stored), Decimal(0))
    return render_template(
        "supervision/assessment/indicators.html",
        form=form,
        source=source,
        defaults=agency_id is None,
        weights_error=weights_error,
        total=total,
        action=url_for(endpoint),
    ), status


@staff_bp.route("/assessment/indicators", methods=["GET", "POST"])
@staff_required(Role.SUPERVISOR)
def assessment_indicators():
    if not current_user.agency_id or not operations.can_edit_indicators(current_user, current_user.agency_id):
        abort(404)
    return _indicator_page(current_user.agency_id, "supervision.assessment_indicators")


@admin_bp.route("/assessment/indicators", methods=["GET", "POST"], endpoint="assessment_indicators")
@staff_required(Role.SYS_ADMIN)
def default_indicators():
    return _indicator_page(None, "supervision_admin.assessment_indicators")


# --- The lists ----------------------------------------------------------------------------------------------------


@staff_bp.route("/assessments")
@staff_required(*VIEWERS)
def assessments():
    managed = operations.managed(current_user) if scope.is_supervisor(current_user) else []
    own = operations.assessed(current_user.agency_id) if current_user.has_role(*scope.AGENCY_VIEWERS) else []
    return render_template(
        "supervision/assessment/index.html",
        managed=managed,
        own=own,
        can_start=scope.is_supervisor(current_user) and bool(current_user.agency_id),
        can_edit=bool(current_user.agency_id) and operations.can_edit_indicators(current_user, current_user.agency_id),
    )


@staff_bp.route("/assessments/new", methods=["GET", "POST"])
@staff_required(Role.SUPERVISOR)
def assessment_new():
    if not current_user.agency_id or not scope.is_supervisor(current_user):
        abort(404)
    today = today_china()
    if request.method == "GET":
        form = forms.StartForm(data={"period": "year", "year": str(today.year - 1)})
        return render_template("supervision/assessment/new.html", form=form), 200
    form = forms.StartForm()
    if form.validate_on_submit():
        try:
            period = periods.parse(form.period_args(), today)
        except periods.PeriodError as exc:
            for name, message in exc.errors.items():
                target = getattr(form, forms.StartForm.PERIOD_FIELDS.get(name, "period"))
                target.errors = [*target.errors, message]
        else:
            try:
                a = operations.start(
                    current_user.agency,
                    current_user,
                    title=form.title.data or "",
                    period=period,
                    include_own=bool(form.include_own.data),
                    today=today,
                )
            except DomainError as exc:
                db.session.rollback()
                for message in show_errors(form, exc):
                    flash(message, "error")
            else:
                flash(_("The assessment was started and its scores computed."), "success")
                return redirect(url_for("supervision.assessment", assessment_id=a.id))
    return render_template("supervision/assessment/new.html", form=form), 422


# --- An assessment ------------------------------------------------------------------------------------------------


def _indicators(a: Assessment) -> list[Indicator]:
    return [Indicator.from_json(i) for i in a.indicators]


def _page(a: Assessment, *, reason_forms: dict | None = None, status: int = 200):
    actors = operations.actors_for(current_user, a)
    facts = Facts(has_results=True, has_reason=True)
    allowed = [t for t in WORKFLOW.allowed_triggers(a.state, facts, actors) if t != "adjust"]
    reasons = {t: forms.ReasonForm(data={"version": a.version}) for t in ("reopen", "withdraw")}
    reasons.update(reason_forms or {})
    return render_template(
        "supervision/assessment/show.html",
        a=a,
        inds=_indicators(a),
        entries=operations.ranked(a),
        allowed=allowed,
        action=forms.ActionForm(data={"version": a.version}),
        reasons=reasons,
        events=events_for(a.audit_type, a.id),
    ), status


@staff_bp.route("/assessments/<int:assessment_id>")
@staff_required(*VIEWERS)
def assessment(assessment_id: int):
    a = db.session.get(Assessment, assessment_id)
    if a is None:
        abort(404)
    if not operations.can_manage(current_user, a):
        # An assessed agency's head reads their own agency's scores, once final.
        if operations.entry_of(a, current_user.agency_id) and operations.can_see_entry(
            current_user, a, current_user.agency_id
        ):
            return redirect(
                url_for("supervision.assessment_agency", assessment_id=a.id, agency_id=current_user.agency_id)
            )
        abort(404)
    return _page(a)


def _act(assessment_id: int, trigger: str, done: str):
    a = _assessment(assessment_id)
    form = forms.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    getattr(operations, trigger)(a, current_user, expected_version=_version(form))
    flash(done, "success")
    return redirect(url_for("supervision.assessment", assessment_id=a.id))


@staff_bp.route("/assessments/<int:assessment_id>/recompute", methods=["POST"])
@staff_required(Role.SUPERVISOR)
def assessment_recompute(assessment_id: int):
    return _act(assessment_id, "recompute", _("The scores were computed again from the current figures."))


@staff_bp.route("/assessments/<int:assessment_id>/finalise", methods=["POST"])
@staff_required(Role.SUPERVISOR)
def assessment_finalise(assessment_id: int):
    return _act(assessment_id, "finalise", _("The assessment was finalised: its scores are frozen."))


@staff_bp.route("/assessments/<int:assessment_id>/publish", methods=["POST"])
@staff_required(Role.SUPERVISOR)
def assessment_publish(assessment_id: int):
    return _act(assessment_id, "publish", _("The results table was published on the public platform."))


@staff_bp.route("/assessments/<int:assessment_id>/discard", methods=["POST"])
@staff_required(Role.SUPERVISOR)
def assessment_discard(assessment_id: int):
    return _act(assessment_id, "discard", _("The draft was discarded."))


def _with_reason(assessment_id: int, trigger: str, done: str):
    a = _assessment(assessment_id)
    form = forms.ReasonForm()
    if form.validate_on_submit():
        try:
            getattr(operations, trigger)(a, current_user, form.reason.data, expected_version=_version(form))
        except DomainError as exc:
            db.session.rollback()
            a = _assessment(assessment_id)
            for message in show_errors(form, exc, default="reason"):
                flash(message, "error")
            return _page(a, reason_forms={trigger: form}, status=exc.status_code if exc.status_code != 400 else 422)
        flash(done, "success")
        return redirect(url_for("supervision.assessment", assessment_id=a.id))
    return _page(a, reason_forms={trigger: form}, status=422)


@staff_bp.route("/assessments/<int:assessment_id>/reopen", methods=["POST"])
@staff_required(Role.SUPERVISOR)
def assessment_reopen(assessment_id: int):
    return _with_reason(assessment_id, "reopen", _("The assessment is a draft again."))


@staff_bp.route("/assessments/<int:assessment_id>/withdraw", methods=["POST"])
@staff_required(Role.SUPERVISOR)
def assessment_withdraw(assessment_id: int):
    return _with_reason(assessment_id, "withdraw", _("The results table was withdrawn from the public platform."))


# --- One agency's scores ------------------------------------------------------------------------------------------


def _agency_page(a: Assessment, agency_id: int, form=None, status: int = 200):
    entry = operations.entry_of(a, agency_id)
    manage = operations.can_manage(current_user, a)
    inds = _indicators(a)
    can_adjust = manage and a.state == States.DRAFT
    if can_adjust and form is None:
        form = forms.AdjustForm(data={"version": a.version})
    if form is not None:
        form.position.choices = [(str(s.position), inds[s.position].name) for s in entry.scores if not s.excluded]
    return render_template(
        "supervision/assessment/agency.html",
        a=a,
        entry=entry,
        inds=inds,
        manage=manage,
        form=form if can_adjust else None,
        of=len(a.entries),
    ), status


def _entry_or_404(assessment_id: int, agency_id: int) -> Assessment:
    a = db.session.get(Assessment, assessment_id)
    if (
        a is None
        or operations.entry_of(a, agency_id) is None
        or not operations.can_see_entry(current_user, a, agency_id)
    ):
        abort(404)
    return a


@staff_bp.route("/assessments/<int:assessment_id>/agencies/<int:agency_id>")
@staff_required(*VIEWERS)
def assessment_agency(assessment_id: int, agency_id: int):
    return _agency_page(_entry_or_404(assessment_id, agency_id), agency_id)


@staff_bp.route("/assessments/<int:assessment_id>/agencies/<int:agency_id>/adjust", methods=["POST"])
@staff_required(Role.SUPERVISOR)
def assessment_adjust(assessment_id: int, agency_id: int):
    a = _assessment(assessment_id)
    if operations.entry_of(a, agency_id) is None:
        abort(404)
    form = forms.AdjustForm()
    if form.validate_on_submit():
        try:
            operations.adjust(
                a,
                current_user,
                agency_id=agency_id,
                position=parse_int(form.position.data, min=0, max=1000),
                points=form.points.data,
                reason=form.reason.data,
                expected_version=_version(form),
            )
        except DomainError as exc:
            db.session.rollback()
            a = _assessment(assessment_id)
            for message in show_errors(form, exc, default="points"):
                flash(message, "error")
            return _agency_page(a, agency_id, form, exc.status_code if exc.status_code in (403, 409) else 422)
        flash(_("The score was adjusted; the reason is shown beside it."), "success")
        return redirect(url_for("supervision.assessment_agency", assessment_id=a.id, agency_id=agency_id))
    return _agency_page(a, agency_id, form, 422)


@staff_bp.route("/assessments/<int:assessment_id>/results.xlsx")
@staff_required(Role.SUPERVISOR)
def assessment_xlsx(assessment_id: int):
    a = _assessment(assessment_id)
    name = f"{a.title}.xlsx"
    return send_download(export.results_xlsx(a), mimetype=XLSX, name=name, ascii_name=f"assessment-{a.id}.xlsx")


# --- The public platform ------------------------------------------------------------------------------------------


def _public(assessment_id: int) -> Assessment:
    a = db.session.get(Assessment, assessment_id)
    if a is None or a.state not in (States.PUBLISHED, States.WITHDRAWN):
        abort(404)
    return a


@public_bp.route("/assessments", endpoint="assessments")
@public
def public_assessments():
    return render_template("supervision/assessment/public_index.html", items=operations.published())


@public_bp.route("/assessments/<int:assessment_id>", endpoint="assessment")
@public
def public_assessment(assessment_id: int):
    a = _public(assessment_id)
    if a.state == States.WITHDRAWN:
        return render_template("supervision/assessment/public_withdrawn.html", a=a), 410
    return render_template(
        "supervision/assessment/public_show.html", a=a, inds=_indicators(a), entries=operations.ranked(a)
    )


@public_bp.route("/assessments/<int:assessment_id>/results.xlsx", endpoint="assessment_xlsx")
@public
def public_assessment_xlsx(assessment_id: int):
    a = _public(assessment_id)
    if a.state != States.PUBLISHED:
        abort(410)
    name = f"{a.title}.xlsx"
    return send_download(export.results_xlsx(a), mimetype=XLSX, name=name, ascii_name=f"assessment-{a.id}.xlsx")
