"""Core background jobs: outbox delivery (on demand after commit, and a sweep every minute).

This module depends on the outbox, never the other way: `outbox.kick()` announces `signals.outbox_committed`
and the receiver here enqueues the delivery task.
"""

from __future__ import annotations

from huey import crontab

from disclosure.core import signals
from disclosure.core.jobs import huey, with_app
from disclosure.core.outbox import deliver_due


@huey.task()
@with_app
def deliver_outbox():
    return deliver_due()


@huey.periodic_task(crontab(minute="*"))
@with_app
def sweep_outbox():
    return deliver_due()


def _deliver_after_commit(_app, **_kwargs) -> None:
    """`signals.outbox_committed`: ask the worker to deliver what the committed transaction queued."""
    deliver_outbox()


signals.outbox_committed.connect(_deliver_after_commit)
