"""Periodic jobs: the morning deadline sweep (every day at 08:05 Beijing time; emails only on working days), and the
receipts a process that died between a registration's commit and its receipt left unissued (every ten minutes)."""

from __future__ import annotations

from huey import crontab

from disclosure.applications import ledger, sweep
from disclosure.applications.operations import issue_missing_receipts
from disclosure.core.jobs import huey, with_app
from disclosure.extensions import db

__all__ = ["deadline_sweep", "missing_receipts", "run_ledger_import"]
run_ledger_import = ledger.run_ledger_import  # the worker learns the ledger import's task here (issue 13 §2)


@huey.periodic_task(crontab(hour="0", minute="5"))  # 00:05 UTC = 08:05 in China
@with_app
def deadline_sweep():
    stats = sweep.run()
    db.session.commit()
    return stats


@huey.periodic_task(crontab(minute="*/10"))
@with_app
def missing_receipts():
    issued = issue_missing_receipts()
    db.session.commit()
    return issued
