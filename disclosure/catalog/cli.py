"""`disclosure catalog …` commands: import an existing catalogue, and the daily sweep by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.catalog import sweep
from disclosure.catalog.importer import process_import, start_import
from disclosure.catalog.models import CatalogImport, ImportStatus
from disclosure.core import outbox
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db

group = AppGroup("catalog", help="The government information catalogue (政府信息公开目录): import, daily sweep.")


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "slug", required=True, help="The slug of the agency whose catalogue this is.")
@click.option(
    "--files",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A ZIP holding the files the 附件 column names.",
)
@click.option("--locale", default="zh_CN", show_default=True, help="Language of the error messages (zh_CN or en).")
def import_command(file: Path, slug: str, files: Path | None, locale: str) -> None:
    """Import an old website's catalogue: one row per entry (索引号, 标题, 发文机关, 发文字号, 成文日期, 发布日期,
    主题分类, 体裁分类, 文件类型, 公开方式, 有效性, 废止日期, 内容概述, 正文, 附件). Valid rows are stored, invalid
    ones listed by row and column; the same file again updates its entries."""
    agency = db.session.execute(select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
    if agency is None:
        raise click.UsageError(f"no agency with the slug {slug!r}")
    try:
        job = start_import(
            agency,
            None,
            data=file.read_bytes(),
            filename=file.name,
            files=files.read_bytes() if files else None,
            files_name=files.name if files else "",
            locale=locale,
        )
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.field or 'file'}: {exc.message}") from None
    if job.status == ImportStatus.QUEUED.value:  # queued for the worker: run it here instead
        process_import(job.id)
    job = db.session.get(CatalogImport, job.id)
    click.echo(
        f"import {job.id}: {job.status}; created {job.created_count}, updated {job.updated_count}, "
        f"unchanged {job.unchanged_count}, rows with errors {job.error_count}"
    )
    for row, column, message in job.errors_preview:
        click.echo(f"  row {row} {column}: {message}")
    if job.failure:
        raise click.ClickException(job.failure)
    if job.error_count:
        raise SystemExit(1)


@group.command("sweep")
@click.option("--date", "on", default=None, help="The day to sweep as (YYYY-MM-DD); today in China by default.")
@click.option("--no-email", is_flag=True, help="Recompute and apply, but send no digest.")
def sweep_command(on: str | None, no_email: bool) -> None:
    """The daily sweep by hand: Art. 26 due dates, validity changes that fall due, and the morning digest of
    overdue and due-soon entries to each agency's catalogue editors and office heads (working days only)."""
    try:
        day = dt.date.fromisoformat(on) if on else today_china()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    stats = sweep.run(day, send_emails=not no_email)
    db.session.commit()
    outbox.kick()
    click.echo(" ".join(f"{k}={v}" for k, v in stats.items()))


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
