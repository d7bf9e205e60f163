"""The staff workbench: the entry page whose navigation follows the user's roles."""

from __future__ import annotations

from flask import Flask

from disclosure.staff import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
