"""The background worker: huey, on SQLite by default and on Redis when REDIS_URL is set.

Tasks run inside an application context. Domain packages put their tasks in `<package>/tasks.py`; the worker
imports them all (see `load_task_modules`).
"""

from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path

from flask import has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey

from disclosure.extensions import db

_app = None


def _make_huey():
    if os.environ.get("HUEY_MEMORY") == "1":
        return MemoryHuey("disclosure", immediate=True)
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("disclosure", url=redis_url)
    path = os.environ.get("HUEY_SQLITE_PATH") or str(
        Path(os.environ.get("INSTANCE_PATH", Path(__file__).resolve().parents[2] / "instance")) / "jobs.sqlite3"
    )
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("disclosure", filename=path)


huey = _make_huey()

TASK_MODULES = ("disclosure.core.tasks",)


def load_task_modules() -> None:
    """Import every domain's tasks module so the worker knows all tasks and periodic jobs."""
    pkg = Path(__file__).resolve().parents[1]
    for sub in sorted(pkg.iterdir()):
        if (sub / "tasks.py").exists():
            importlib.import_module(f"disclosure.{sub.name}.tasks")


def with_app(fn):
    """Run a task inside an application context, reusing the caller's when there is one."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        global _app
        if _app is None:
            from disclosure import create_app  # noqa: PLC0415 - cycle: disclosure/__init__ imports core.tasks, which imports this

            _app = create_app()
        with _app.app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()

    return wrapper


class JobNotVisibleYet(Exception):
    """The request that created the job has not committed yet: huey retries the task."""


def run_when_visible(process, job_id: int) -> str:
    """Run a queued job's `process(job_id)` in the worker: its final status, or JobNotVisibleYet (so that a task
    declared with `retries` runs again) while the job row the request created is not committed yet (`process`
    returned None)."""
    status = process(job_id)
    if status is None:
        raise JobNotVisibleYet(job_id)
    return status
