"""What every benchmark shares: targets that decide the exit code, the machine's load beside the figures, and
temporary directories and databases that are removed however the run ends.

    targets = Targets("sweep")
    targets.check("daily run < 10 s", took < 10, f"{took:.2f} s")
    sys.exit(targets.finish())      # non-zero when a target was missed

A phase whose peak memory counts runs in a child process (`run_child` / `report_from_child`), so the figure is
that phase's own and not the data generator's.

A figure measured on a loaded machine is not the figure of a quiet one: each check prints the 1-minute load
average, and `finish()` prints it once more with the core count.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} cores"


class Targets:
    """The targets of one benchmark run: each check prints PASS or MISSED; `finish()` gives the exit code."""

    def __init__(self, name: str):
        self.name = name
        self.missed: list[str] = []
        self.checked = 0

    def check(self, target: str, ok: bool, figure: str = "") -> bool:
        self.checked += 1
        if not ok:
            self.missed.append(target)
        print(f"  [{'PASS' if ok else 'MISSED'}] {target}{': ' + figure if figure else ''} ({load_average()})")
        return ok

    def finish(self) -> int:
        print(f"  {self.name}: {self.checked - len(self.missed)} of {self.checked} targets met; {load_average()}")
        for target in self.missed:
            print(f"  MISSED: {target}")
        return 1 if self.missed or not self.checked else 0


def temp_dir(prefix: str) -> Path:
    """A fresh directory removed when the process exits (also after an exception or Ctrl-C)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


CHILD_FLAG = "--child"
_RESULT = "RESULT "


def peak_mb() -> float:
    """This process's own peak resident memory in MB: VmHWM, which starts afresh with the new address space of an
    exec (ru_maxrss keeps the high-water mark across exec on Linux, so a child started by a large parent would
    report the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_from_child(result: dict) -> None:
    """In the child: add the process's peak resident memory (MB) to its result and hand it to the parent."""
    result["peak_mb"] = peak_mb()
    print(_RESULT + json.dumps(result), flush=True)


def run_child(script: str, *args: str) -> dict | None:
    """Run `script --child ARGS…` in a fresh Python and return the dict it reported (with `peak_mb`), or None after
    printing the tail of its output when it reported nothing."""
    out = subprocess.run([sys.executable, script, CHILD_FLAG, *args], capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith(_RESULT)), None)
    if line is None:
        print(out.stdout[-3000:], out.stderr[-3000:])
        return None
    return json.loads(line[len(_RESULT) :])
