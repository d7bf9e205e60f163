"""The report office's pages: the reports of the agency, a report with its checks and figures (each figure of a
working version links to what it counts), its sections and hand-entered figures, the workflow actions, the
drill-down lists, the PDF and XLSX, and the agency's report settings."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disclosure.accounts.roles import Role
from disclosure.core import signals
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from disclosure.reports import drilldown, dues, forms, labels, operations, rendering
from disclosure.reports.checks import blocking
from disclosure.reports.models import AgencyKind, AnnualReport
from disclosure.web.access import staff_object, staff_required
from disclosure.web.downloads import send_download, send_pdf
from disclosure.web.forms import show_errors
from disclosure.web.params import parse_int
from workflows.report import WORKFLOW, Facts, States

bp = Blueprint("reports", __name__, url_prefix="/staff/reports")
OFFICE = (Role.REGISTRAR, Role.OFFICE_HEAD)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(report_id: int) -> AnnualReport:
    return staff_object(db.session.get(AnnualReport, report_id))


def _agency_id() -> int:
    if not current_user.agency_id:
        abort(404)
    return current_user.agency_id


def _version(form) -> int | None:
    return parse_int(form.version.data, min=0)


def staff_link(report: AnnualReport, *, external: bool = False):
    """The drill-down URL of each figure of a working version (a frozen report's figures link nowhere); `external`
    gives absolute addresses, for the draft's PDF."""
    if report.is_frozen:
        return None

    def link(table: str, row: str, col: str) -> str | None:
        if not drilldown.valid_cell(table, row, col):
            return None
        return url_for("reports.cell", report_id=report.id, table=table, row=row, col=col, _external=external)

    return link


@bp.route("/")
@staff_required(*OFFICE)
def index():
    agency_id = _agency_id()
    year, due, published, overdue = dues.status(agency_id)
    return render_template(
        "reports/index.html",
        reports=operations.reports_of(agency_id),
        form=forms.StartForm(data={"year": year}),
        pending=(year, due, published, overdue),
    )


@bp.route("/start", methods=["POST"])
@staff_required(*OFFICE)
def start():
    form = forms.StartForm()
    agency_id = _agency_id()
    if form.validate_on_submit():
        try:
            report = operations.start_report(current_user.agency, form.year.data, current_user)
        except DomainError as exc:
            show_errors(form, exc, default="year")
        else:
            flash(_("The draft report was started with the facts the system knows."), "success")
            return redirect(url_for("reports.show", report_id=report.id))
    year, due, published, overdue = dues.status(agency_id)
    return render_template(
        "reports/index.html",
        reports=operations.reports_of(agency_id),
        form=form,
        pending=(year, due, published, overdue),
    ), 422


def _page(report: AnnualReport, *, sections=None, figures=None, returning=None, correcting=None, status=200):
    numbers = operations.numbers_of(report)
    checks = numbers["checks"]
    actors = operations.actors_for(current_user)
    facts = Facts(checks_pass=not blocking(checks), has_comment=True, has_frozen_copy=True)
    allowed = [t for t in WORKFLOW.allowed_triggers(report.state, facts, actors) if t != "supersede"]
    if sections is None:
        sections = forms.SectionsForm(obj=report)
        sections.version.data = report.version
    if figures is None:
        figures = forms.FiguresForm(
            data={
                "version": report.version,
                "coercion_decisions": "" if report.coercion_decisions is None else report.coercion_decisions,
                "coercion_source": report.coercion_source,
                "fees_yuan": "" if report.fees_yuan is None else format(report.fees_yuan, "f"),
                "fees_source": report.fees_source,
                "cross_year_explanation": report.cross_year_explanation,
            }
        )
    content = (
        numbers
        if report.is_frozen
        else {
            **numbers,
            "sections": {n: getattr(report, n) for n in ("overview", "problems", "other_matters")},
            "agency_name": report.agency.full_name,
        }
    )
    return render_template(
        "reports/show.html",
        report=report,
        checks=checks,
        body=rendering.body_html(content, link=staff_link(report), heading_level=3),
        allowed=allowed,
        can_edit=report.state == States.DRAFT and bool(actors),
        can_correct=report.state == States.PUBLISHED and bool(actors),
        sections=sections,
        figures=figures,
        action=forms.ActionForm(data={"version": report.version}),
        returning=returning or forms.ReturnForm(data={"version": report.version}),
        correcting=correcting or forms.CorrectForm(),
        others=operations.versions(report.agency_id, report.year),
        # 条例 Art. 50(4): a people's government's report includes public appraisal's results; its figures are
        # offered to the writer as a sentence to use (issue 14 §4). None: not a government, or not a draft.
        appraisal=_appraisal(report) if report.state == States.DRAFT and _is_government(report.agency_id) else None,
    ), status


def _is_government(agency_id: int) -> bool:
    return operations.settings_for(agency_id).agency_kind == AgencyKind.GOVERNMENT


def _appraisal(report: AnnualReport) -> str:
    """The sentence on public appraisal that supervision offers (signals.report_appraisal), "" when none."""
    app = current_app._get_current_object()
    answers = signals.report_appraisal.send(app, agency_id=report.agency_id, year=report.year)
    return next((sentence for _receiver, sentence in answers if sentence), "")


@bp.route("/<int:report_id>")
@staff_required(*OFFICE)
def show(report_id: int):
    return _page(_report(report_id))


def _save(report_id: int, form, slot: str, default: str, save, done: str, anchor: str | None = None):
    """One POST of the report page: validate `form`, call `save(report, form)` (an operation); on success flash
    `done` and go back to the page (at `anchor`), on a refusal show every message beside its field and the page
    again with what was typed (`slot`: the form's name in `_page`), nothing saved."""
    report = _report(report_id)
    if form.validate_on_submit():
        try:
            result = save(report, form)
        except DomainError as exc:
            db.session.rollback()
            report = _report(report_id)
            for message in show_errors(form, exc, default=default):
                flash(message, "error")
        else:
            flash(done, "success")
            target = result if isinstance(result, AnnualReport) else report
            return redirect(url_for("reports.show", report_id=target.id, _anchor=anchor))
    return _page(report, **{slot: form}, status=422)


@bp.route("/<int:report_id>/sections", methods=["POST"])
@staff_required(*OFFICE)
def save_sections(report_id: int):
    def save(report, form):
        operations.save_sections(report, current_user, form.data, expected_version=_version(form))

    return _save(report_id, forms.SectionsForm(), "sections", "overview", save, _("Sections saved."), "edit-sections")


@bp.route("/<int:report_id>/figures", methods=["POST"])
@staff_required(*OFFICE)
def save_figures(report_id: int):
    def save(report, form):
        operations.save_figures(report, current_user, form.data, expected_version=_version(form))

    return _save(
        report_id, forms.FiguresForm(), "figures", "coercion_decisions", save, _("Figures saved."), "edit-figures"
    )


def _act(report_id: int, action: str, done: str):
    report = _report(report_id)
    form = forms.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    getattr(operations, action)(report, current_user, expected_version=_version(form))
    flash(done, "success")
    return redirect(url_for("reports.show", report_id=report.id))


@bp.route("/<int:report_id>/submit", methods=["POST"])
@staff_required(*OFFICE)
def submit(report_id: int):
    return _act(report_id, "submit", _("Report submitted."))


@bp.route("/<int:report_id>/approve", methods=["POST"])
@staff_required(*OFFICE)
def approve(report_id: int):
    return _act(report_id, "approve", _("Report approved."))


@bp.route("/<int:report_id>/publish", methods=["POST"])
@staff_required(*OFFICE)
def publish(report_id: int):
    return _act(report_id, "publish", _("Report published."))


@bp.route("/<int:report_id>/return", methods=["POST"])
@staff_required(*OFFICE)
def return_report(report_id: int):
    def save(report, form):
        operations.return_report(report, current_user, form.comment.data or "", expected_version=_version(form))

    return _save(report_id, forms.ReturnForm(), "returning", "comment", save, _("Report returned to draft."))


@bp.route("/<int:report_id>/correct", methods=["POST"])
@staff_required(*OFFICE)
def correct(report_id: int):
    def save(report, form):
        return operations.start_correction(report, current_user, form.reason.data or "")

    return _save(report_id, forms.CorrectForm(), "correcting", "reason", save, _("A corrected version was started."))


@bp.route("/<int:report_id>/cells/<table>/<row>/<col>")
@staff_required(*OFFICE)
def cell(report_id: int, table: str, row: str, col: str):
    report = _report(report_id)
    if not drilldown.valid_cell(table, row, col):
        abort(404)
    cases = remedies = records = None
    if table == "table3":
        cases = drilldown.cases_behind(report.agency_id, report.year, row, col)
    elif table == "table4":
        remedies = drilldown.remedies_behind(report.agency_id, report.year, row, col)
    else:
        records = drilldown.records_behind(report.agency_id, report.year, row)
    return render_template(
        "reports/cell.html",
        report=report,
        table=table,
        row=row,
        col=col,
        cases=cases,
        remedies=remedies,
        records=records,
        labels=labels,
        limit=drilldown.LIMIT,
    )


@bp.route("/<int:report_id>/report.pdf")
@staff_required(*OFFICE)
def pdf(report_id: int):
    report = _report(report_id)
    if report.is_frozen:
        data = report.pdf_file.read_bytes()
    else:
        content = {**operations.numbers_of(report), "agency_name": report.agency.full_name, "number": report.number}
        content["sections"] = {n: getattr(report, n) for n in ("overview", "problems", "other_matters")}
        data = rendering.report_pdf(content, link=staff_link(report, external=True))  # figures link to their cases
    name = f"{report.agency.slug}-{report.year}-v{report.number}.pdf"
    return send_pdf(data, name=name, ascii_name=name)


@bp.route("/<int:report_id>/report.xlsx")
@staff_required(*OFFICE)
def xlsx(report_id: int):
    report = _report(report_id)
    content = dict(operations.numbers_of(report))
    content.setdefault("sections", {n: getattr(report, n) for n in ("overview", "problems", "other_matters")})
    name = f"{report.agency.slug}-{report.year}-v{report.number}.xlsx"
    return send_download(rendering.report_xlsx(content), mimetype=XLSX, name=name, ascii_name=name)


@bp.route("/settings", methods=["GET", "POST"])
@staff_required(Role.OFFICE_HEAD, Role.AGENCY_ADMIN)
def settings():
    agency_id = _agency_id()
    row = operations.settings_for(agency_id)
    form = forms.SettingsForm(
        data={"version": row.version, "agency_kind": row.agency_kind} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        try:
            operations.save_settings(
                agency_id, current_user, agency_kind=form.agency_kind.data, expected_version=_version(form)
            )
        except DomainError as exc:
            db.session.rollback()
            for message in show_errors(form, exc, default="agency_kind"):
                flash(message, "error")
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("reports.settings"))
    return render_template("reports/settings.html", form=form), (422 if request.method == "POST" else 200)
