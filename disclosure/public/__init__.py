"""The public site: home page, language switch, the applicant's home."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from disclosure.public import views

    app.register_blueprint(views.bp)
