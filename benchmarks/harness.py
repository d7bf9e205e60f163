"""What every benchmark shares: targets that decide the exit code, the machine's load beside the figures, and
temporary directories and databases that are removed however the run ends.

    targets = Targets("sweep")
    targets.check("daily run < 10 s", took < 10, f"{took:.2f} s")
    sys.exit(targets.finish())      # non-zero when a target was missed

A figure measured on a loaded machine is not the figure of a quiet one: each check prints the 1-minute load
average, and `finish()` prints it once more with the core count.
"""

from __future__ import annotations

import atexit
import os
import shutil
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
