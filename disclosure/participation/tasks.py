"""Participation's periodic job: consultations open at their start time and close at their end (issue 12 §1)."""

from __future__ import annotations

from huey import crontab

from disclosure.core import outbox
from disclosure.core.jobs import huey, with_app
from disclosure.extensions import db
from disclosure.participation.operations.consultations import close_due, open_due


def open_and_close(now=None) -> dict:
    """Open what is due, close what is over, commit (also callable from tests and the CLI)."""
    result = {"opened": open_due(now), "closed": close_due(now)}
    db.session.commit()
    outbox.kick()
    return result


@huey.periodic_task(crontab(minute="*"))
@with_app
def consultation_periods() -> dict:
    return open_and_close()
