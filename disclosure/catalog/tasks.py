"""The catalogue's background jobs: reading attachments' text for the search (after the upload commits), and the
daily sweep (Art. 26 due dates, validity changes, the morning digest)."""

from __future__ import annotations

from huey import crontab

from disclosure.catalog import sweep
from disclosure.catalog.operations import attachments
from disclosure.core.jobs import huey, with_app
from disclosure.core.timeutil import today_china
from disclosure.extensions import db


@huey.task(retries=2, retry_delay=30)
@with_app
def extract_attachment_text(attachment_id: int) -> str | None:
    """One attachment's text, read in a resource-limited child process (core.textextract); commits."""
    return attachments.extract_attachment_text(attachment_id)


@huey.periodic_task(crontab(minute="*/15"))
@with_app
def extract_pending_texts() -> int:
    """Attachments still waiting for their text (the worker was down, or the queue lost the job)."""
    ids = attachments.pending_attachment_ids()
    db.session.rollback()
    for attachment_id in ids:
        extract_attachment_text(attachment_id)
    return len(ids)


def dispatch_extractions(*_args, **_kwargs) -> int:
    """Hand the attachments whose uploads have committed to the worker (connected to the end of each request in
    `init_app`; a command or test that commits itself calls it after its commit)."""
    ids = attachments.ready_extractions()
    for attachment_id in ids:
        extract_attachment_text(attachment_id)
    return len(ids)


@huey.periodic_task(crontab(hour="0", minute="10"))  # 00:10 UTC = 08:10 in China, before the working day
@with_app
def daily_catalog_sweep() -> dict:
    stats = sweep.run(today_china())
    db.session.commit()
    return stats
