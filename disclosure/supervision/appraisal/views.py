"""Public appraisal's pages (社会评议, issue 14 §4).

- public (/supervision/appraisal/<slug>): the agency's satisfaction survey, anonymous, rate limited per address,
  with a honeypot field; its thank-you page;
- staff (/staff/supervision/appraisal): the figures per agency and period for the agencies the user may see
  (`scope.visible_agency_ids`: an agency's own office, a supervisor over its tree), the responses with their
  comments, one response, and the applicants' ratings behind the figures;
- admin (/admin/supervision/appraisal): the agency's administrator opens or closes its survey.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from disclosure import applications
from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db, limiter
from disclosure.supervision import periods, scope
from disclosure.supervision.appraisal import aggregate, operations
from disclosure.supervision.appraisal.forms import HONEYPOT, SettingsForm, SurveyForm
from disclosure.supervision.appraisal.models import SurveyResponse
from disclosure.supervision.appraisal.questions import ASPECTS, OVERALL, QUESTIONS
from disclosure.supervision.blueprints import admin_bp, public_bp, staff_bp
from disclosure.web.access import public, staff_required
from disclosure.web.forms import show_errors
from disclosure.web.paging import Page, page_number, paginate
from disclosure.web.params import arg_id

PER_PAGE = 50


# --- the public survey --------------------------------------------------------------------------------------------


def _public_agency(slug: str) -> Agency:
    agency = db.session.execute(select(Agency).where(Agency.slug == slug[:40])).scalar_one_or_none()
    if agency is None or not agency.active:
        abort(404)
    return agency


def _survey_page(agency: Agency, form: SurveyForm, status: int = 200):
    if not form.submission_key.data:
        form.submission_key.data = operations.new_submission_key()
    return render_template(
        "supervision/appraisal/survey.html",
        agency=agency,
        form=form,
        open=operations.survey_open(agency.id),
        overall=OVERALL,
        aspects=ASPECTS,
        honeypot=HONEYPOT,
    ), status


@public_bp.route("/appraisal/<slug>", methods=["GET", "POST"])
@public
@limiter.limit("5/minute;30/hour", methods=["POST"])
def appraisal_survey(slug: str):
    """The agency's satisfaction survey. Nothing that names the visitor is read or kept (not the account of a
    signed-in visitor, not the address: only its keyed hash with the day, for the daily ceiling)."""
    agency = _public_agency(slug)
    form = SurveyForm()
    if request.method == "GET":
        return _survey_page(agency, form)
    if not operations.survey_open(agency.id):
        flash(str(operations.CLOSED), "error")
        return _survey_page(agency, form, 400)
    if not form.validate_on_submit():
        return _survey_page(agency, form, 400)
    if (form[HONEYPOT].data or "").strip():
        # A bot filled the field people never see: it is thanked and nothing is kept.
        return redirect(url_for("supervision_public.appraisal_thanks", slug=agency.slug))
    data = {q.key: form[q.key].data for q in QUESTIONS}
    data.update(comment=form.comment.data, submission_key=form.submission_key.data)
    try:
        operations.submit_response(agency, data, address=request.remote_addr)
    except DomainError as exc:
        for message in show_errors(form, exc):
            flash(message, "error")
        return _survey_page(agency, form, 400)
    return redirect(url_for("supervision_public.appraisal_thanks", slug=agency.slug))


@public_bp.route("/appraisal/<slug>/thanks")
@public
def appraisal_thanks(slug: str):
    agency = _public_agency(slug)
    return render_template("supervision/appraisal/thanks.html", agency=agency)


# --- staff: figures and the records behind them -------------------------------------------------------------------


def _period(today: dt.date):
    """The period of the query string, or (None, errors by field)."""
    try:
        return periods.parse(request.args, today), {}
    except periods.PeriodError as exc:
        return None, exc.errors


def _agencies() -> tuple[list[int], Agency | None]:
    """The agencies a page counts: the one named by `?agency=` (404 unless the user may see it), or every agency
    the user may see."""
    visible = scope.visible_agency_ids(current_user)
    if not visible:
        abort(404)
    raw = request.args.get("agency", "")
    if raw:
        agency = scope.agency_or_404(current_user, arg_id("agency"))
        return [agency.id], agency
    return visible, None


def _satisfied_arg() -> bool | None:
    return {"1": True, "0": False}.get(request.args.get("satisfied", ""))


def _period_args(period) -> dict:
    return period.as_args() if period is not None else {}


@staff_bp.route("/appraisal/")
@staff_required(*scope.DASHBOARD_ROLES)
def appraisal():
    ids, agency = _agencies()
    today = today_china()
    period, errors = _period(today)
    rows, total = [], None
    if period is not None:
        figures = aggregate.appraisal(ids, period.start, period.end)
        rows = [(a, figures[a.id]) for a in scope.agencies(ids)]
        total = aggregate.combined(f for _a, f in rows) if len(rows) > 1 else None
    return render_template(
        "supervision/appraisal/index.html",
        agency=agency,
        period=period,
        errors=errors,
        rows=rows,
        total=total,
        questions=QUESTIONS,
        args=request.args,
        period_args=_period_args(period),
        this_year=today.year,
    ), 400 if errors else 200


@staff_bp.route("/appraisal/responses")
@staff_required(*scope.DASHBOARD_ROLES)
def appraisal_responses():
    ids, agency = _agencies()
    period, errors = _period(today_china())
    page = Page([], 1, PER_PAGE, 0)
    satisfied = _satisfied_arg()
    if period is not None:
        page = paginate(aggregate.responses_query(ids, period.start, period.end, satisfied=satisfied), PER_PAGE)
    names = {a.id: a.short_name for a in scope.agencies(ids)}
    return render_template(
        "supervision/appraisal/responses.html",
        agency=agency,
        period=period,
        errors=errors,
        page=page,
        names=names,
        satisfied=satisfied,
        aspects=ASPECTS,
        args=request.args,
        this_year=today_china().year,
    ), 400 if errors else 200


@staff_bp.route("/appraisal/responses/<int:response_id>")
@staff_required(*scope.DASHBOARD_ROLES)
def appraisal_response(response_id: int):
    response = db.session.get(SurveyResponse, response_id)
    if response is None or response.agency_id not in scope.visible_agency_ids(current_user):
        abort(404)
    return render_template(
        "supervision/appraisal/response.html",
        response=response,
        agency=db.session.get(Agency, response.agency_id),
        questions=QUESTIONS,
    )


@staff_bp.route("/appraisal/ratings")
@staff_required(*scope.DASHBOARD_ROLES)
def appraisal_ratings():
    ids, agency = _agencies()
    period, errors = _period(today_china())
    satisfied = _satisfied_arg()
    page = Page([], 1, PER_PAGE, 0)
    if period is not None:
        counts = applications.rating_counts(ids, period.start, period.end)
        if satisfied is None:
            total = sum(c.total for c in counts.values())
        elif satisfied:
            total = sum(c.satisfied for c in counts.values())
        else:
            total = sum(c.total - c.satisfied for c in counts.values())
        number = page_number()
        items = applications.ratings(
            ids, period.start, period.end, satisfied=satisfied, limit=PER_PAGE, offset=(number - 1) * PER_PAGE
        )
        page = Page(items, number, PER_PAGE, total)
    names = {a.id: a.short_name for a in scope.agencies(ids)}
    return render_template(
        "supervision/appraisal/ratings.html",
        agency=agency,
        period=period,
        errors=errors,
        page=page,
        names=names,
        satisfied=satisfied,
        args=request.args,
        this_year=today_china().year,
    ), 400 if errors else 200


# --- admin: the survey setting ------------------------------------------------------------------------------------


@admin_bp.route("/appraisal", methods=["GET", "POST"])
@staff_required(Role.AGENCY_ADMIN)
def appraisal_settings():
    agency = current_user.agency
    if agency is None:
        abort(403)
    row = operations.settings_for(agency.id)
    form = SettingsForm(obj=row if request.method == "GET" else None)
    if form.validate_on_submit():
        operations.save_settings(agency, survey_open=form.survey_open.data, actor=current_user)
        flash(_("The survey is open.") if form.survey_open.data else _("The survey is closed."), "success")
        return redirect(url_for("supervision_admin.appraisal_settings"))
    return render_template("supervision/appraisal/settings.html", form=form, agency=agency), (
        400 if request.method == "POST" else 200
    )
