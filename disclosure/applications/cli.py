"""`disclosure applications sweep`: run the deadline sweep now (commits); `disclosure applications import-ledger`:
import an office's request ledger (issue 13 §2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.applications import ledger, sweep
from disclosure.core import outbox
from disclosure.core.errors import DomainError
from disclosure.extensions import db

deadline = AppGroup("applications", help="Disclosure-on-request cases.")


@deadline.command("sweep")
@click.option("--date", "on", default=None, help="Pretend today is this date (YYYY-MM-DD).")
@click.option("--no-email", is_flag=True, help="Recompute and mark only.")
def sweep_cmd(on, no_email):
    """Recompute open deadlines, mark due-soon and overdue cases, and queue the morning emails."""
    today = dt.date.fromisoformat(on) if on else None
    stats = sweep.run(today, send_emails=not no_email)
    db.session.commit()
    click.echo(" ".join(f"{k}={v}" for k, v in stats.items()))


@deadline.command("import-ledger")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "slug", required=True, help="The agency's slug.")
@click.option("--locale", default="zh_CN", show_default=True, help="Language of the error messages.")
def import_ledger_command(file: Path, slug: str, locale: str) -> None:
    """Import a request ledger (依申请公开台账): one row per request (申请编号, 收到日期, 申请人类别, 申请人, 申请内容,
    答复日期, 办理结果, 行政复议结果, 复议申请日期, 诉讼类型, 诉讼结果, 起诉日期). Concluded rows become archived
    cases, open rows live cases; invalid rows are listed by row and column and nothing of them is written; the
    same file again updates its cases by 申请编号. One transaction."""
    agency = db.session.execute(select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
    if agency is None:
        raise click.UsageError(f"no agency with the slug {slug!r}")
    try:
        job = ledger.start_import(
            agency, None, data=file.read_bytes(), filename=file.name, locale=locale, background=False
        )
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.field or 'file'}: {exc.message}") from None
    outbox.kick()
    click.echo(
        f"import {job.id}: {job.status}; created {job.created_count} ({job.open_count} open), "
        f"updated {job.updated_count}, unchanged {job.unchanged_count}, rows with errors {job.error_count}"
    )
    for row, column, message in job.errors_preview:
        click.echo(f"  row {row} {column}: {message}")


def init_app(app: Flask) -> None:
    app.cli.add_command(deadline)
