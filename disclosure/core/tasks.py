"""Core background jobs: outbox delivery (on demand after commit, and a sweep every minute)."""

from __future__ import annotations

from huey import crontab

from disclosure.core.jobs import huey, with_app


@huey.task()
@with_app
def deliver_outbox():
    from disclosure.core.outbox import deliver_due

    return deliver_due()


@huey.periodic_task(crontab(minute="*"))
@with_app
def sweep_outbox():
    from disclosure.core.outbox import deliver_due

    return deliver_due()
