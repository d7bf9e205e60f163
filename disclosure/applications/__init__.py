"""Disclosure on request (依申请公开): every case from filing to archive, on statutory deadlines (issue 3)."""

from __future__ import annotations

from flask import Flask

from disclosure.core import signals


def init_app(app: Flask) -> None:
    from disclosure.applications import api, cli, demo, models, operations, views  # noqa: F401  (models: tables)

    app.config.setdefault("APPLICATION_REFERENCE_FORMAT", "{slug}-{year}-{serial:05d}")
    cli.init_app(app)
    views.init_app(app)
    api.init_app(app)
    # A reply letter delivered anywhere (case page or letter page) moves its case to "delivered".
    signals.letter_delivered.connect(operations.on_letter_delivered)
    signals.calendar_changed.connect(_recompute_after_calendar_change)
    signals.demo_data.connect(_load_demo)


def _recompute_after_calendar_change(years) -> int:
    """When an administrator enters a year's holiday notice, every open deadline is recomputed."""
    from disclosure.applications import sweep

    return sweep.recompute_open()["changed"]


def _load_demo(app, *, objects) -> None:
    from disclosure.applications import demo

    demo.load(objects)
