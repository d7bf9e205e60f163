"""`disclosure publicity …` commands: restore default code lists, run the daily sweep by hand."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from disclosure.extensions import db
from disclosure.publicity.rules import ensure_defaults
from disclosure.publicity.tasks import daily_publicity_sweep

group = AppGroup("publicity", help="Double publicity (双公示): code lists, periods, daily sweep.")


@group.command("seed")
def seed() -> None:
    """Add the default code values, periods and settings that are missing (existing rows are kept)."""

    added = ensure_defaults()
    db.session.commit()
    click.echo(f"added {added} default rows")


@group.command("sweep")
def sweep() -> None:
    """Remove penalties at their maximum period, expire licences, mark overdue records (normally nightly)."""

    click.echo(daily_publicity_sweep.call_local())


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
