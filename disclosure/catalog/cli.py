"""`disclosure catalog …` commands: import an existing catalogue, and the daily sweep by hand."""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

group = AppGroup("catalog", help="The government information catalogue (政府信息公开目录): import, daily sweep.")


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
