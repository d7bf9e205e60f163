"""Daily job: the annual-report reminders to office heads from 1 December until the report is published."""

from __future__ import annotations

from huey import crontab

from disclosure.core import outbox
from disclosure.core.jobs import huey, with_app
from disclosure.extensions import db
from disclosure.reports import dues


@huey.periodic_task(crontab(hour="0", minute="20"))  # 00:20 UTC = 08:20 in China
@with_app
def annual_report_reminders():
    sent = dues.send_reminders()
    db.session.commit()
    outbox.kick()
    return sent
