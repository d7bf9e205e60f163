"""The supervision package's background tasks, where the worker looks for them (`core.jobs.load_task_modules`
imports `disclosure/<package>/tasks.py`): the notices' daily sweep and the standing book's build job live in their
parts."""

from __future__ import annotations

from disclosure.supervision.notices import tasks as notice_tasks
from disclosure.supervision.standing_book import jobs as standing_book_jobs

__all__ = ["notice_tasks", "standing_book_jobs"]
