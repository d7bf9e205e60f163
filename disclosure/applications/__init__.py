"""Disclosure on request (依申请公开): every case from filing to archive, on statutory deadlines (issue 3)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from disclosure.applications import models  # noqa: F401  (tables for the migrations)

    app.config.setdefault("APPLICATION_REFERENCE_FORMAT", "{slug}-{year}-{serial:05d}")
    _init_web(app)


def _init_web(app: Flask) -> None:
    import importlib.util

    if importlib.util.find_spec("disclosure.applications.views") is None:
        return
    from disclosure.applications import views

    views.init_app(app)
