"""Supervision (监督, 条例 Art. 47; issue 14): the competent department's view over the agencies below it —
dashboards with drill-downs, column-update monitoring (国办秘函〔2019〕19号), the generated standing book (台账),
supervision notices (督办), assessment (考核) and public appraisal (社会评议).

This module is the package's door: other packages import from `disclosure.supervision` only. The package is built
of parts, each a module or subpackage with its own `init_app(app)` (menu entries, signal receivers, action words;
its views attach to the shared blueprints in `blueprints.py`). The figures every part shares are the registry in
`measures.py`, filled by `figures/<area>.py`.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask

from disclosure.supervision import blueprints, figures
from disclosure.supervision.appraisal.aggregate import appraisal_figures, appraisal_sentence

__all__ = ["appraisal_figures", "appraisal_sentence", "init_app"]

# The parts, wired in this order.
PARTS = ("dashboard", "columns", "standing_book", "notices", "assessment", "appraisal")


def load_figures() -> None:
    """Import every area module under figures/, each of which registers its measures."""
    for info in pkgutil.iter_modules(figures.__path__):
        importlib.import_module(f"{figures.__name__}.{info.name}")


def init_app(app: Flask) -> None:
    load_figures()
    for name in PARTS:
        importlib.import_module(f"disclosure.supervision.{name}").init_app(app)
    app.register_blueprint(blueprints.staff_bp)
    app.register_blueprint(blueprints.public_bp)
    app.register_blueprint(blueprints.admin_bp)
