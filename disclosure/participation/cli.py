"""`disclosure participation …` commands: run the opening and closing now, print a year's figures."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from disclosure.participation.figures import participation_figures
from disclosure.participation.tasks import open_and_close

group = AppGroup("participation", help="Public participation (意见征集).")


@group.command("tick")
def tick() -> None:
    """Open consultations whose start has come and close those whose period is over."""
    click.echo(json.dumps(open_and_close()))


@group.command("figures")
@click.argument("agency_id", type=int)
@click.argument("year", type=int)
def figures(agency_id: int, year: int) -> None:
    """The annual report's narrative figures of one agency and year."""
    click.echo(json.dumps(participation_figures(agency_id, year), ensure_ascii=False, indent=2))


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
