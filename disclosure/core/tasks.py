"""Core background jobs: outbox delivery (on demand after commit, and a sweep every minute); the rollups'
compaction (and the change stamps') every ten minutes.

This module depends on the outbox, never the other way: `outbox.kick()` announces `signals.outbox_committed`
and the receiver here enqueues the delivery task.

One queued delivery serves every commit made before it starts: a flag in the queue's key-value store says "a
delivery is queued and has not started yet". A commit that finds the flag set enqueues nothing (the queued
delivery starts after that commit and finds its mail); the delivery clears the flag before it reads the outbox,
so a commit after that point sets the flag again and queues the next one. The common case after a commit is one
read of the queue's store instead of a write per request. The minute's sweep clears the flag too, so a flag left
behind by a process that died between setting it and queueing the task delays mail by a minute at most.
"""

from __future__ import annotations

from huey import crontab
from huey.constants import EmptyData

from disclosure.core import changes, rollups, signals
from disclosure.core.jobs import huey, with_app
from disclosure.core.outbox import deliver_due
from disclosure.extensions import db

DELIVERY_QUEUED = "outbox-delivery-queued"


@huey.task()
@with_app
def deliver_outbox():
    huey.storage.pop_data(DELIVERY_QUEUED)
    return deliver_due()


@huey.periodic_task(crontab(minute="*"))
@with_app
def sweep_outbox():
    huey.storage.pop_data(DELIVERY_QUEUED)
    return deliver_due()


@huey.periodic_task(crontab(minute="*/10"))
@with_app
def compact_rollups() -> int:
    """The counts the database keeps per agency and month (`core.rollups`): the changes appended since the last run
    moved into the months, so the dashboards read few rows; and each agency's change stamp (`core.changes`) summed
    into one row."""
    moved = rollups.compact()
    changes.compact()
    db.session.commit()
    return moved


def _deliver_after_commit(_app, **_kwargs) -> None:
    """`signals.outbox_committed`: make sure a delivery starts after this commit (see the module's note)."""
    if huey.storage.peek_data(DELIVERY_QUEUED) is not EmptyData:
        return
    if huey.storage.put_if_empty(DELIVERY_QUEUED, b"1"):
        deliver_outbox()


signals.outbox_committed.connect(_deliver_after_commit)
