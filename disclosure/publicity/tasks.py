"""双公示 background jobs: large imports, and the daily publicity sweep (rules-china §5.1, §5.4)."""

from __future__ import annotations

from huey import crontab

from disclosure.core.jobs import huey, run_when_visible, with_app
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity import operations
from disclosure.publicity.jobs import process_import


@huey.task(retries=5, retry_delay=2)
@with_app
def run_import(job_id: int) -> str:
    return run_when_visible(process_import, job_id)


@huey.periodic_task(crontab(hour="0", minute="20"))
@with_app
def daily_publicity_sweep() -> dict:
    """Every night (Beijing time is what counts; the day is taken in China): remove penalties at their maximum
    period, switch expired licences to 无效, mark pending records past their due date as overdue."""

    today = today_china()
    result = {
        "expired_penalties": operations.expire_penalties(today),
        "expired_licences": operations.expire_licences(today),
        "overdue": operations.mark_overdue(today),
    }
    db.session.commit()
    return result
