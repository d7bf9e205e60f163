"""The public platform's annual reports (政府信息公开年报): every published version of every year, read from what was
frozen when it was published (never recomputed), as HTML, PDF (the stored file) and XLSX."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.extensions import db
from disclosure.reports import operations, rendering
from disclosure.reports.models import AnnualReport
from disclosure.reports.views.staff import XLSX
from disclosure.web.access import public
from disclosure.web.downloads import send_download, send_pdf
from workflows.report import States

public_bp = Blueprint("reports_public", __name__, url_prefix="/catalog")
SHOWN = (States.PUBLISHED.value, States.SUPERSEDED.value)


def _agency(slug: str) -> Agency:
    agency = db.session.execute(select(Agency).where(Agency.slug == slug, Agency.active.is_(True))).scalar_one_or_none()
    if agency is None:
        abort(404)
    return agency


def _published(agency: Agency, report_id: int) -> AnnualReport:
    report = db.session.get(AnnualReport, report_id)
    if report is None or report.agency_id != agency.id or report.state not in SHOWN:
        abort(404)
    return report


@public_bp.route("/<slug>/annual-reports")
@public
def index(slug: str):
    agency = _agency(slug)
    return render_template("reports/public_index.html", agency=agency, reports=operations.published_reports(agency.id))


@public_bp.route("/<slug>/annual-reports/<int:report_id>")
@public
def show(slug: str, report_id: int):
    agency = _agency(slug)
    report = _published(agency, report_id)
    return render_template(
        "reports/public_show.html",
        agency=agency,
        report=report,
        title=rendering.title(report.frozen_numbers),
        body=rendering.body_html(report.frozen_numbers),
    )


@public_bp.route("/<slug>/annual-reports/<int:report_id>/report.pdf")
@public
def pdf(slug: str, report_id: int):
    report = _published(_agency(slug), report_id)
    name = f"{slug}-{report.year}-v{report.number}.pdf"
    return send_pdf(report.pdf_file.read_bytes(), name=name, ascii_name=name, etag=report.pdf_sha256)


@public_bp.route("/<slug>/annual-reports/<int:report_id>/report.xlsx")
@public
def xlsx(slug: str, report_id: int):
    report = _published(_agency(slug), report_id)
    name = f"{slug}-{report.year}-v{report.number}.xlsx"
    return send_download(rendering.report_xlsx(report.frozen_numbers), mimetype=XLSX, name=name, ascii_name=name)
