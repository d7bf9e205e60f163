"""`disclosure supervision-notices sweep`: run the notices' daily sweep now (commits)."""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask
from flask.cli import AppGroup

from disclosure.core import outbox
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision.notices import sweep

group = AppGroup("supervision-notices", help="Supervision notices (督办): the daily sweep by hand.")


@group.command("sweep")
@click.option("--date", "on", default=None, help="The day to sweep as (YYYY-MM-DD); today in China by default.")
@click.option("--no-email", is_flag=True, help="Mark, but send no reminders.")
def sweep_cmd(on: str | None, no_email: bool) -> None:
    """Remind the agencies of notices due tomorrow and mark the notices past their due date late."""
    try:
        today = dt.date.fromisoformat(on) if on else today_china()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    stats = sweep.run(today, send_emails=not no_email)
    db.session.commit()
    outbox.kick()
    click.echo(", ".join(f"{k}: {v}" for k, v in stats.items()))


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
