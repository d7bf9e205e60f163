"""Letters: every document a case produces, as a correct, numbered, frozen and verifiable PDF (issue 4).

`service` is the API the workflows call; `outcomes` is the table of handling outcomes.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from disclosure.correspondence import models  # noqa: F401  (tables for the migrations)
