"""`disclosure deadline sweep`: run the deadline sweep now (commits)."""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask
from flask.cli import AppGroup

from disclosure.applications import sweep
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


def init_app(app: Flask) -> None:
    app.cli.add_command(deadline)
