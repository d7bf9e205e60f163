"""`disclosure report annual --agency SLUG --year YYYY [--json] [--pdf FILE] [--xlsx FILE]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.extensions import db
from disclosure.reports import operations, rendering
from disclosure.reports.compute import compute

report_cli = AppGroup("report", help="Annual reports on government information disclosure.")


@report_cli.command("annual")
@click.option("--agency", "slug", required=True, help="The agency's slug.")
@click.option("--year", type=click.IntRange(2008, 2200), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report's numbers as one JSON object.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the PDF here.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the XLSX here.")
def annual(slug: str, year: int, as_json: bool, pdf_path: Path | None, xlsx_path: Path | None) -> None:
    """The report of an agency for a year: the published version when there is one (frozen), else the current
    draft's numbers, else the numbers computed from live data."""
    agency = db.session.execute(select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
    if agency is None:
        raise click.ClickException(f"no agency {slug!r}")
    found = operations.versions(agency.id, year)
    report = found[-1] if found else None
    if report is not None and report.is_frozen:
        content = dict(report.frozen_numbers)
    else:
        content = compute(agency, year, report)
        content["agency_name"] = agency.full_name
        if report is not None:
            content["sections"] = {n: getattr(report, n) for n in ("overview", "problems", "other_matters")}
    if pdf_path is not None:
        data = (
            report.pdf_file.read_bytes() if report is not None and report.is_frozen else rendering.report_pdf(content)
        )
        pdf_path.write_bytes(data)
    if xlsx_path is not None:
        xlsx_path.write_bytes(rendering.report_xlsx(content))
    if as_json:
        keys = ("agency", "year", "table2", "table3", "table4", "checks")
        sys.stdout.write(json.dumps({k: content[k] for k in keys}, ensure_ascii=False) + "\n")
    elif pdf_path is None and xlsx_path is None:
        failing = [c for c in content["checks"] if not c["ok"]]
        click.echo(f"{slug} {year}: {len(failing)} check(s) failing")
        for c in failing:
            click.echo(f"  {c['severity']}: {c['rule']}: {c['detail']}")


def init_app(app: Flask) -> None:
    app.cli.add_command(report_cli)
