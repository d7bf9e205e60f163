"""Daily job: the supervision notices' sweep (reminders the day before the due date, late marks and their emails).

The worker finds `disclosure/<package>/tasks.py` modules only one level down, so the part's `init_app` imports this
module: the periodic task is known wherever the application is created, the worker included."""

from __future__ import annotations

from huey import crontab

from disclosure.core import outbox
from disclosure.core.jobs import huey, with_app
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision.notices import sweep


@huey.periodic_task(crontab(hour="0", minute="25"))  # 00:25 UTC = 08:25 in China, before the working day
@with_app
def daily_notice_sweep() -> dict:
    stats = sweep.run(today_china())
    db.session.commit()
    outbox.kick()
    return stats
