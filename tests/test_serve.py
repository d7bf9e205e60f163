"""`disclosure serve`: each instance has its own gunicorn control socket, and SIGTERM stops every process it
started (the worker, the gunicorn master and its workers), however early it arrives."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # collected first, so that a test worker starts it early (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]
DISCLOSURE = Path(sys.executable).parent / "disclosure"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc (children of children included)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start(tmp_path: Path, name: str) -> tuple[subprocess.Popen, int, Path]:
    instance = tmp_path / name
    instance.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'serve.sqlite3'}",
        "MAIL_SUPPRESS_SEND": "true",
    }
    for name in ("TEST_DATABASE_URL", "HUEY_MEMORY", "HUEY_IMMEDIATE"):  # the suite's in-process job queue
        env.pop(name, None)
    subprocess.run([str(DISCLOSURE), "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [str(DISCLOSURE), "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("disclosure serve did not answer /healthz")
    return proc, port, instance


def _stop_and_check(proc: subprocess.Popen) -> None:
    family = _descendants(proc.pid)
    assert len(family) >= 3, family  # the worker, the gunicorn master and at least one gunicorn worker
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=40) is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.2)
    assert not [p for p in family if _alive(p)], "processes left running after SIGTERM"


@pytest.mark.skipif(not DISCLOSURE.exists(), reason="needs the installed console script")
@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="no database in play: runs in the SQLite pass")
def test_two_instances_keep_their_own_control_socket_and_stop_whole(tmp_path):
    first, _, first_instance = _start(tmp_path, "one")
    second, second_port, second_instance = _start(tmp_path, "two")
    instances = (first_instance, second_instance)
    try:
        deadline = time.monotonic() + 20  # gunicorn opens its control socket just after it starts listening
        while time.monotonic() < deadline and not all((i / "gunicorn.ctl").exists() for i in instances):
            time.sleep(0.2)
        assert all((i / "gunicorn.ctl").exists() for i in instances), [sorted(os.listdir(i)) for i in instances]
        _stop_and_check(first)
        # stopping the first left the second's socket and service alone
        assert (second_instance / "gunicorn.ctl").exists()
        urllib.request.urlopen(f"http://127.0.0.1:{second_port}/healthz", timeout=5).read()
        _stop_and_check(second)
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.kill()
