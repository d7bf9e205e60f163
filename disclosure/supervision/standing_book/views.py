"""The standing book's pages (issue 14 §2): choose an agency the user may see (`scope.visible_agency_ids`) and a
period; a book of up to `book.sync_rows()` rows is downloaded at once, a larger one is prepared by the worker (a
POST with its CSRF token starts it) and downloaded from its page when ready. An agency the user may not see, or a
job of one, is a 404; a period that does not parse is shown beside its field."""

from __future__ import annotations

from collections.abc import Mapping

from babel.dates import get_month_names
from flask import abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.core.errors import DomainError
from disclosure.core.storage import StoredFile
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision import periods, scope
from disclosure.supervision.blueprints import staff_bp
from disclosure.supervision.standing_book import book, operations
from disclosure.supervision.standing_book.models import JobStatus, StandingBookJob
from disclosure.web.access import staff_required
from disclosure.web.downloads import content_disposition, send_download
from disclosure.web.params import parse_id

PERIOD_FIELDS = ("period", "year", "month", "quarter", "from", "to")
# The job routes take ids a database integer holds (`<int(max=…)>`): PostgreSQL refuses a larger one as a value of
# the column's type, so a larger number names no job (404) instead of a database error.
RECENT = 10
STATUS_LABELS = {
    JobStatus.QUEUED.value: lazy_pgettext("catalog", "Waiting"),
    JobStatus.RUNNING.value: lazy_pgettext("catalog", "Running"),
    JobStatus.DONE.value: _l("Ready"),
    JobStatus.FAILED.value: _l("Failed"),
}


class StartForm(FlaskForm):
    """Starts a book in the worker: its CSRF token; the agency and period come as hidden fields."""


def _args(source: Mapping) -> dict[str, str]:
    """The agency and period fields of a query string or a form, as text."""
    return {name: (source.get(name) or "") for name in ("agency", *PERIOD_FIELDS)}


def _query_args() -> dict[str, str]:
    return _args(
        {
            "agency": request.args.get("agency"),
            "period": request.args.get("period"),
            "year": request.args.get("year"),
            "month": request.args.get("month"),
            "quarter": request.args.get("quarter"),
            "from": request.args.get("from"),
            "to": request.args.get("to"),
        }
    )


def _form_args() -> dict[str, str]:
    return _args(
        {
            "agency": request.form.get("agency"),
            "period": request.form.get("period"),
            "year": request.form.get("year"),
            "month": request.form.get("month"),
            "quarter": request.form.get("quarter"),
            "from": request.form.get("from"),
            "to": request.form.get("to"),
        }
    )


def _agency(text: str, errors: dict[str, str]) -> Agency | None:
    """The agency chosen: a message when none is; 404 for one that is not a number or not visible to the user."""
    if not text.strip():
        errors["agency"] = _("Choose an agency.")
        return None
    return scope.agency_or_404(current_user, parse_id(text))


def _chosen(values: dict[str, str], today) -> tuple[Agency | None, periods.Period | None, dict[str, str]]:
    errors: dict[str, str] = {}
    agency = _agency(values["agency"], errors)
    period = None
    try:
        period = periods.parse(values, today)
    except periods.PeriodError as exc:
        errors.update(exc.errors)
    return agency, period, errors


def _defaults(agencies: list[Agency], today) -> dict[str, str]:
    own = next((a for a in agencies if a.id == current_user.agency_id), None)
    values = dict.fromkeys(("agency", *PERIOD_FIELDS), "")
    values.update(periods.parse({}, today).as_args())
    values["agency"] = str(own.id if own else agencies[0].id) if agencies else ""
    return values


def _recent(agency_ids: list[int]) -> list[StandingBookJob]:
    if not agency_ids:
        return []
    return list(
        db.session.execute(
            select(StandingBookJob)
            .where(StandingBookJob.created_by_id == current_user.id, StandingBookJob.agency_id.in_(agency_ids))
            .order_by(StandingBookJob.id.desc())
            .limit(RECENT)
        ).scalars()
    )


def _page(values: dict[str, str], *, errors=None, pending=None, status=200, today=None):
    visible = scope.visible_agency_ids(current_user)
    agencies = scope.agencies(visible)
    months = get_month_names("wide", locale=get_locale() or "zh_Hans_CN")
    return render_template(
        "supervision/standing_book/index.html",
        values=values,
        errors=errors or {},
        agencies=agencies,
        kinds=[(k.value, label) for k, label in periods.PERIOD_KIND_LABELS.items()],
        months=[(str(n), months[n]) for n in range(1, 13)],
        quarters=[(str(n), _("Q%(quarter)d", quarter=n)) for n in range(1, 5)],
        first_year=periods.FIRST_YEAR,
        last_year=(today or today_china()).year + 1,
        pending=pending,
        jobs=_recent(visible),
        agency_names={a.id: a.short_name for a in agencies},
        labels=STATUS_LABELS,
        sync_rows=book.sync_rows(),
    ), status


@staff_bp.route("/standing-book")
@staff_required(*scope.DASHBOARD_ROLES)
def standing_book():
    """The form, or the book: downloaded at once when small, offered to the worker when large."""
    today = today_china()
    if not any(request.args.get(name) is not None for name in ("agency", *PERIOD_FIELDS)):
        agencies = scope.agencies(scope.visible_agency_ids(current_user))
        return _page(_defaults(agencies, today), today=today)
    values = _query_args()
    agency, period, errors = _chosen(values, today)
    if errors:
        return _page(values, errors=errors, status=422, today=today)
    rows = book.count_rows(agency, period, today=today)
    if rows > book.sync_rows():
        return _page(values, pending={"rows": rows, "agency": agency, "period": period, "form": StartForm()})
    name, ascii_name = book.book_name(agency, period)
    return send_download(
        book.build_book(agency, period, today=today), mimetype=book.XLSX, name=name, ascii_name=ascii_name
    )


@staff_bp.route("/standing-book/jobs", methods=["POST"])
@staff_required(*scope.DASHBOARD_ROLES)
def standing_book_start():
    """Start a large book in the worker (the agency and period as the form posts them)."""
    today = today_china()
    values = _form_args()
    form = StartForm()
    agency, period, errors = _chosen(values, today)
    if not errors and not form.validate_on_submit():
        token = getattr(form, "csrf_token", None)
        errors["form"] = " ".join(str(e) for e in getattr(token, "errors", ())) or _("The form has expired. Try again.")
    if not errors:
        try:
            job = operations.start_book(agency, period, current_user, today=today)
        except DomainError as exc:
            db.session.rollback()
            errors[exc.field or "period"] = str(exc.message)
        else:
            return redirect(url_for(".standing_book_job", job_id=job.id), code=303)
    return _page(values, errors=errors, status=400, today=today)


def _job(job_id: int) -> StandingBookJob:
    """404 unless the book is of an agency the user may see."""
    job = db.session.get(StandingBookJob, job_id)
    if job is None or job.agency_id not in scope.visible_agency_ids(current_user):
        abort(404)
    return job


@staff_bp.route("/standing-book/jobs/<int(max=2147483647):job_id>")
@staff_required(*scope.DASHBOARD_ROLES)
def standing_book_job(job_id: int):
    job = _job(job_id)
    agency = db.session.get(Agency, job.agency_id)
    return render_template("supervision/standing_book/job.html", job=job, agency=agency, labels=STATUS_LABELS)


@staff_bp.route("/standing-book/jobs/<int(max=2147483647):job_id>/status.json")
@staff_required(*scope.DASHBOARD_ROLES)
def standing_book_status(job_id: int):
    job = _job(job_id)
    return jsonify(
        {
            "status": job.status,
            "status_label": str(STATUS_LABELS.get(job.status, job.status)),
            "percent": job.progress_percent,
            "processed": job.processed_rows,
            "total": job.total_rows,
            "failure": job.failure,
            "done": job.finished,
        }
    )


@staff_bp.route("/standing-book/jobs/<int(max=2147483647):job_id>/download")
@staff_required(*scope.DASHBOARD_ROLES)
def standing_book_download(job_id: int):
    job = _job(job_id)
    if job.status != JobStatus.DONE.value or job.file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, job.file_id)
    agency = db.session.get(Agency, job.agency_id)
    name, ascii_name = book.book_name(agency, job.period)
    resp = send_file(stored.path, mimetype=book.XLSX, max_age=0, etag=stored.sha256)  # streamed from storage
    resp.headers["Content-Disposition"] = content_disposition("attachment", name, ascii_name)
    return resp
