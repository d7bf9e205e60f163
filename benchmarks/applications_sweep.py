"""The daily deadline sweep over 100,000 open cases (issue 3): target under 10 s.

    .venv/bin/python benchmarks/applications_sweep.py [--cases 100000] [--agencies 20] [--engine postgresql]

Baseline, measured in the same run: reading the same open rows and their events without computing anything.
The sweep runs three times: a catch-up a week after the generated statuses (many writes), the same day again
(nothing to write), and the next working day (what a daily run changes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from applications_data import bench_app, seed_agencies, seed_cases
from harness import Targets


def main() -> int:
    targets = Targets("applications_sweep")
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--agencies", type=int, default=20)
    ap.add_argument("--engine", default="postgresql")
    args = ap.parse_args()
    print(f"sweep: {args.cases} open cases, {args.agencies} agencies, {args.engine}")
    with bench_app(args.engine) as app:  # noqa: F841
        from sqlalchemy import select

        from disclosure.applications import sweep
        from disclosure.applications.models import Application, CaseEvent
        from disclosure.extensions import db
        from workflows.application import OPEN_STATES

        agencies = seed_agencies(args.agencies, handlers_per_agency=3)
        took = seed_cases(agencies, args.cases, open_share=1.0)
        print(f"  generated in {took:.1f} s")
        t = time.perf_counter()
        rows = db.session.execute(
            select(Application.id, Application.received_date, Application.due_date).where(
                Application.state.in_([s.value for s in OPEN_STATES])
            )
        ).all()
        evs = db.session.execute(select(CaseEvent.application_id, CaseEvent.kind, CaseEvent.start_date)).all()
        base = time.perf_counter() - t
        db.session.rollback()
        print(f"  baseline: read {len(rows)} open cases and {len(evs)} events in {base:.2f} s")
        for label, day in (
            ("catch-up run, 7 working days after the data (many changes)", dt.date(2026, 12, 1)),
            ("same day again (nothing changes)", dt.date(2026, 12, 1)),
            ("next working day (a daily run)", dt.date(2026, 12, 2)),
        ):
            t = time.perf_counter()
            stats = sweep.recompute_open(day)
            t_recompute = time.perf_counter() - t
            stats["emails"] = sweep.morning_emails(day)
            db.session.commit()
            took = time.perf_counter() - t
            print(
                f"  {label}: {took:.2f} s ({took / base:.1f}x baseline; recompute {t_recompute:.2f} s, "
                f"digests {took - t_recompute:.2f} s) {stats}"
            )
            targets.check(f"{label} < 10 s", took < 10, f"{took:.2f} s")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
