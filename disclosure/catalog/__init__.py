"""主动公开: the government information catalogue (政府信息公开目录), normative documents, policy interpretations,
the agency's statutory content and disclosure guide, and the public disclosure platform (条例 Arts. 19–26;
issue 11).

This module is the package's door: other packages import from `disclosure.catalog` only.
"""

from __future__ import annotations

from flask import Flask

from disclosure.catalog import cli, models, views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.staff_bp)
    app.register_blueprint(views.public_bp)
    app.register_blueprint(views.admin_bp)
    cli.init_app(app)


__all__ = ["init_app", "models"]
