"""The `disclosure` console script: Flask's CLI with the app factory, plus our sub-commands.

Sub-commands: `db` (migrations, from Flask-Migrate), `users`, `agencies`, `worker`, `demo`, `serve`, and those
the domain packages add (`calendar`, `deadline`, …).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


def _create_app():
    from disclosure import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Government information disclosure: administration commands."""


def init_app(app: Flask) -> None:
    app.cli.add_command(worker)
    app.cli.add_command(serve)
    from disclosure import demo

    app.cli.add_command(demo.demo)


@click.command()
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker(workers: int) -> None:
    """Run the background worker (outbox delivery and periodic jobs)."""
    from huey.consumer import Consumer

    from disclosure.core.jobs import huey, load_task_modules

    load_task_modules()
    consumer = Consumer(huey, workers=workers, worker_type="thread", periodic=True, check_worker_health=True)
    consumer.run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--with-worker/--no-worker", default=True, show_default=True)
@with_appcontext
def serve(host: str, port: int, with_worker: bool) -> None:
    """Serve the app with gunicorn, together with the background worker."""
    bin_dir = os.path.dirname(sys.executable)
    procs = []
    if with_worker:
        procs.append(subprocess.Popen([os.path.join(bin_dir, "disclosure"), "worker"]))
    gunicorn = subprocess.Popen(
        [
            os.path.join(bin_dir, "gunicorn"),
            "--bind",
            f"{host}:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "wsgi:app",
        ]
    )
    procs.append(gunicorn)
    click.echo(f"Serving on http://{host}:{port}  (Ctrl+C to stop)")

    def _stop(*_):
        for p in procs:
            p.terminate()

    signal.signal(signal.SIGTERM, _stop)
    try:
        gunicorn.wait()
    except KeyboardInterrupt:
        pass
    finally:
        _stop()
        for p in procs:
            p.wait()
