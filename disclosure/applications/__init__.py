"""Disclosure on request (依申请公开): every case from filing to archive, on statutory deadlines (issue 3)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from disclosure.applications import models  # noqa: F401  (tables for the migrations)

    app.config.setdefault("APPLICATION_REFERENCE_FORMAT", "{slug}-{year}-{serial:05d}")
    from disclosure.applications import cli

    cli.init_app(app)
    _register_recompute()
    _follow_letter_deliveries()
    from disclosure.applications import demo
    from disclosure.demo import register_loader

    register_loader(app, demo.load)
    _init_web(app)


def _follow_letter_deliveries() -> None:
    """A reply letter delivered anywhere (case page or letter page) moves its case to "delivered"."""
    from disclosure.applications.operations import on_letter_delivered
    from disclosure.correspondence.service import letter_delivered

    letter_delivered.connect(on_letter_delivered)


def _register_recompute() -> None:
    """When an administrator enters a year's holiday notice, every open deadline is recomputed."""
    from disclosure.workdays import service

    service.register_recompute(_recompute_after_calendar_change)


def _recompute_after_calendar_change():
    from disclosure.applications import sweep

    return sweep.recompute_open()["changed"]


def _init_web(app: Flask) -> None:
    import importlib.util

    if importlib.util.find_spec("disclosure.applications.views") is None:
        return
    from disclosure.applications import api, views

    views.init_app(app)
    api.init_app(app)
