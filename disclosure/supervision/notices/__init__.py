"""Supervision part: notices (issue 14). Wired by the package door through `init_app`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    pass
