"""Builders of the figures' world: each module here exposes `build(tree, today) -> None`, creating its area's
records for the agencies of the `tree` fixture through the operations, so that `test_figures_exact.py` can hold
every measure of the registry to the records it lists. A module whose name starts with an underscore is a helper,
not a builder.

`on_day(day)` runs operations that take no date (filing, issuing a reply, publishing a record) as if today were
`day`: every loaded module's `today_china` answers `day` inside the block, and the real one again after it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys


@contextlib.contextmanager
def on_day(day: dt.date):
    from disclosure.core import timeutil

    real = timeutil.today_china

    def fake() -> dt.date:
        return day

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", None) or ""
        if (
            name.split(".")[0] in ("disclosure", "workflows")
            and getattr(module, "__dict__", {}).get("today_china") is real
        ):
            module.today_china = fake
    try:
        yield day
    finally:
        # also a module first imported inside the block, which took the stand-in from `timeutil`
        for module in list(sys.modules.values()):
            if getattr(module, "__dict__", {}).get("today_china") is fake:
                module.today_china = real
