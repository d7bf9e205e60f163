"""The daily deadline sweep: 100,000 deadlines through the working-day calendar (target: under 10 s total).

Generates its own data: received dates spread over 2026-01 … 2027-03 (so a share depends on the provisional 2027
calendar), 20 working days, 10 % with a consultation pause, 5 % with a 20-day extension, on a throw-away SQLite
database migrated to all heads with a few administrator overrides. Measures in the same run:
- the first table build (cold start of a process),
- the sweep through `add_working_days` (production cache settings: token re-checked every 5 s),
- the same deadlines by the obvious method, stepping day by day with `is_working_day` (baseline),
- the rebuild after an administrator changes a day (what every process pays once after a change).

    .venv/bin/python benchmarks/workdays_deadlines.py [--n 100000] [--baseline-n 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from harness import Targets, temp_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HUEY_MEMORY", "1")


def make_cases(n: int, rng: random.Random):
    first = dt.date(2026, 1, 1)
    cases = []
    for _ in range(n):
        received = first + dt.timedelta(days=rng.randrange(455))
        pauses = ()
        if rng.random() < 0.10:
            start = received + dt.timedelta(days=rng.randrange(1, 15))
            pauses = ((start, start + dt.timedelta(days=rng.randrange(3, 15))),)
        extension = 20 if rng.random() < 0.05 else 0
        cases.append((received, pauses, extension))
    return cases


def sweep(cases, service):
    provisional = 0
    for received, pauses, extension in cases:
        due = service.add_working_days(received, 20, pauses)
        if extension:
            due = service.add_working_days(due.due, extension, pauses, exclude_start=True)
        provisional += due.provisional
    return provisional


def naive_due(service, received, n, pauses):
    d, counted = received, 0
    while counted < n:
        d += dt.timedelta(days=1)
        if service.is_working_day(d) and not any(a <= d <= b for a, b in pauses):
            counted += 1
    return d


def baseline(cases, service):
    for received, pauses, extension in cases:
        due = naive_due(service, received, 20, pauses)
        if extension:
            naive_due(service, due, extension, pauses)


def main() -> int:
    targets = Targets("workdays_deadlines")
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--baseline-n", type=int, default=100_000)
    args = parser.parse_args()

    tmp = temp_dir("workdays-bench-")
    os.environ["INSTANCE_PATH"] = str(tmp / "instance")
    from flask_migrate import upgrade

    from disclosure import create_app
    from disclosure import workdays as service
    from disclosure.extensions import db
    from disclosure.workdays import operations

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "CALENDAR_CACHE_CHECK_SECONDS": 5,
        }
    )
    rng = random.Random(20261122)
    cases = make_cases(args.n, rng)
    with app.app_context():
        upgrade(revision="heads")
        for day in ("2026-03-02", "2026-07-01", "2026-11-09"):
            operations.set_override(dt.date.fromisoformat(day), is_working=False, source="benchmark")
        db.session.commit()

        t = time.perf_counter()
        service.is_working_day(dt.date(2026, 2, 10))
        cold = time.perf_counter() - t

        t = time.perf_counter()
        provisional = sweep(cases, service)
        fast = time.perf_counter() - t

        base_cases = cases[: args.baseline_n]
        t = time.perf_counter()
        baseline(base_cases, service)
        slow = time.perf_counter() - t

        # the answers agree
        for received, pauses, _ in cases[:2000]:
            assert service.add_working_days(received, 20, pauses).due == naive_due(service, received, 20, pauses)

        operations.set_override(dt.date(2026, 12, 1), is_working=False, source="benchmark change")
        db.session.commit()
        t = time.perf_counter()
        service.is_working_day(dt.date(2026, 2, 10))
        rebuild = time.perf_counter() - t

    print(f"deadlines: {args.n:,} ({provisional:,} provisional), 10 % paused, 5 % extended")
    print(f"first table build (cold process): {cold * 1000:8.1f} ms")
    print(f"sweep via add_working_days:        {fast:8.2f} s  ({fast / args.n * 1e6:6.1f} µs per deadline)")
    print(
        f"baseline, day-by-day stepping:     {slow:8.2f} s  ({slow / len(base_cases) * 1e6:6.1f} µs per deadline,"
        f" {len(base_cases):,} deadlines)"
    )
    print(f"speed-up: {slow / len(base_cases) / (fast / args.n):.1f}x")
    print(f"table rebuild after an override:   {rebuild * 1000:8.1f} ms")
    targets.check(f"{args.n:,} deadlines under 10 s", fast < 10, f"{fast:.2f} s")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
