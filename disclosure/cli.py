"""The `disclosure` console script: Flask's CLI with the app factory, plus our sub-commands.

Sub-commands: `db` (migrations, from Flask-Migrate), `users`, `agencies`, `worker`, `demo`, `serve`, and those
the domain packages add (`calendar`, `deadline`, …).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from huey.consumer import Consumer

import disclosure
from disclosure import demo
from disclosure.core.jobs import huey, load_task_modules


def _create_app():
    # disclosure/__init__ imports this module: the factory is looked up when the command runs
    return disclosure.create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Government information disclosure: administration commands."""


def init_app(app: Flask) -> None:
    app.cli.add_command(worker)
    app.cli.add_command(serve)
    app.cli.add_command(demo.demo)


@click.command()
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker(workers: int) -> None:
    """Run the background worker (outbox delivery and periodic jobs)."""
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
    gunicorn_cmd = [
        os.path.join(bin_dir, "gunicorn"),
        "--bind",
        f"{host}:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--access-logfile",
        "-",
        *control_socket_args(current_app.instance_path),
        "wsgi:app",
    ]
    commands = ([[os.path.join(bin_dir, "disclosure"), "worker"]] if with_worker else []) + [gunicorn_cmd]
    with ProcessGroups() as children:
        for cmd in commands:
            children.start(cmd)
        click.echo(f"Serving on http://{host}:{port}  (Ctrl+C to stop)")
        children.wait_any()


def control_socket_args(instance_path: str) -> list[str]:
    """gunicorn's control socket defaults to one path in the user's home: two instances on one machine shared it,
    and stopping one removed the other's. Each instance keeps its own in its instance folder (none when that path
    is too long for a Unix socket)."""
    path = os.path.join(os.path.abspath(instance_path), "gunicorn.ctl")
    return ["--control-socket", path] if len(path.encode()) < 100 else ["--no-control-socket"]


class ProcessGroups:
    """Children that each lead their own process group (gunicorn's workers join their master's), stopped as whole
    groups: SIGTERM, then SIGKILL after a grace period. The signal handlers are installed before the first child
    starts, so a SIGTERM that arrives while they start still stops every one of them."""

    GRACE_SECONDS = 20
    SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []
        self.stopping = False
        self._previous: dict = {}

    def __enter__(self) -> ProcessGroups:
        for sig in self.SIGNALS:
            self._previous[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.stop()
        finally:
            for sig, handler in self._previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum, _frame) -> None:
        self.stopping = True
        self._signal_all(signal.SIGTERM)

    def start(self, cmd: list[str]) -> subprocess.Popen:
        proc = subprocess.Popen(cmd, process_group=0)
        self.procs.append(proc)
        if self.stopping:  # a signal came while this child was starting
            self._signal_all(signal.SIGTERM)
        return proc

    def wait_any(self) -> None:
        """Until a signal arrives or any child ends (then the others are stopped too)."""
        while not self.stopping and all(p.poll() is None for p in self.procs):
            try:
                self.procs[-1].wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue

    def _signal_all(self, sig: int) -> None:
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)

    def stop(self) -> None:
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + self.GRACE_SECONDS
        for proc in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        self._signal_all(signal.SIGKILL)  # whatever is left of each group (a hung worker)
        for proc in self.procs:
            proc.wait()
