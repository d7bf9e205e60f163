"""The public site: home page, language switch, the applicant's home."""

from __future__ import annotations

from flask import Flask

from disclosure.public import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
