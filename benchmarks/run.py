#!/usr/bin/env python3
"""Run the benchmarks and print their figures.

    .venv/bin/python benchmarks/run.py                 every benchmark
    .venv/bin/python benchmarks/run.py letters_render  the ones whose file name contains a word given
    .venv/bin/python benchmarks/run.py --list          list them

Each benchmark is a script `benchmarks/<name>.py` that generates its own data at the scale its issue names,
measures a baseline in the same run, prints its figures and exits non-zero when a target is missed. They run one
after another (never in parallel: the machine has two cores) in fresh processes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[Path]:
    """Scripts with a `__main__` block; other files are shared helpers."""
    return sorted(
        p
        for p in HERE.glob("*.py")
        if p.name not in {"run.py", "__init__.py"} and "__main__" in p.read_text(encoding="utf-8")
    )


def main(argv: list[str]) -> int:
    scripts = discover()
    if "--list" in argv:
        for p in scripts:
            print(p.stem)
        return 0
    words = [a for a in argv if not a.startswith("-")]
    if words:
        scripts = [p for p in scripts if any(w in p.stem for w in words)]
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"=== {script.stem}: {'ok' if code == 0 else f'FAILED ({code})'} in {time.perf_counter() - start:.1f} s")
        if code:
            failed.append(script.stem)
    print(f"\n{len(scripts) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
