"""Annual report (issue 13): tables 2-4 and the checks for an agency with 100,000 requests received in the year and
20,000 carried across year ends, on SQLite and PostgreSQL. Targets: under 2 s, and at most 5x the floor of one
`GROUP BY outcome, category` over the same cases measured in the same run. Exit status 1 on a miss.

    .venv/bin/python benchmarks/reports_annual.py [--engine sqlite|postgresql|both] [--cases 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from applications_data import bench_app, seed_agencies
from harness import Targets

YEAR = 2026
OUTCOMES = (
    "granted",
    "already_public",
    "partial",
    "deny_secret",
    "not_exist",
    "not_ours",
    "repeat",
    "other",
    "no_supplement",
    "fee_unpaid",
    "need_create",
    "petition",
)
CATEGORIES = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other")


def seed(agency_id: int, n_year: int, n_carried: int) -> None:
    from sqlalchemy import insert

    from disclosure.applications.models import Application
    from disclosure.extensions import db

    rnd = random.Random(13)
    rows = []
    start = dt.date(YEAR, 1, 1)
    for i in range(n_year + n_carried):
        if i < n_carried:  # received the year before; half concluded in the year, some carried further
            received = dt.date(YEAR - 1, 12, 1) + dt.timedelta(days=rnd.randrange(31))
            concluded = start + dt.timedelta(days=rnd.randrange(60)) if rnd.random() < 0.9 else None
        else:
            received = start + dt.timedelta(days=rnd.randrange(365))
            concluded = received + dt.timedelta(days=rnd.randrange(1, 40)) if rnd.random() < 0.85 else None
        withdrawn = concluded is not None and rnd.random() < 0.03
        state = "registered" if concluded is None else ("withdrawn" if withdrawn else "archived")
        rows.append(
            {
                "agency_id": agency_id,
                "reference": f"B-{received.year}-{i:07d}",
                "ref_year": received.year,
                "ref_serial": i + 1,
                "state": state,
                "channel": "online",
                "applicant_type": "person",
                "applicant_category": CATEGORIES[rnd.randrange(6)],
                "applicant_name": f"申请人{i}",
                "received_date": received,
                "due_date": received + dt.timedelta(days=28),
                "closed_date": concluded,
                "issued_date": None if withdrawn else concluded,
                "outcome": None if concluded is None or withdrawn else OUTCOMES[rnd.randrange(len(OUTCOMES))],
                "search_text": "",
            }
        )
        if len(rows) == 5000:
            db.session.execute(insert(Application.__table__), rows)
            rows = []
    if rows:
        db.session.execute(insert(Application.__table__), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("ANALYZE applications"))
    else:
        db.session.execute(db.text("ANALYZE"))
    db.session.commit()


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(engine: str, n_year: int, n_carried: int, targets: Targets) -> None:
    with bench_app(engine) as app:
        from sqlalchemy import func, select

        from disclosure.accounts.models import Agency
        from disclosure.applications.models import Application
        from disclosure.extensions import db
        from disclosure.reports.compute import compute

        agency_id = seed_agencies(1, handlers_per_agency=1)[0]["id"]
        t0 = time.perf_counter()
        seed(agency_id, n_year, n_carried)
        print(f"  {engine}: seeded {n_year + n_carried} cases in {time.perf_counter() - t0:.1f} s")
        agency = db.session.get(Agency, agency_id)

        def floor():
            db.session.execute(
                select(Application.outcome, Application.applicant_category, func.count())
                .where(Application.agency_id == agency_id)
                .group_by(Application.outcome, Application.applicant_category)
            ).all()

        numbers = {}

        def report():
            with app.test_request_context():
                numbers.update(compute(agency, YEAR))

        floor()
        report()
        f, r = best(floor), best(report)
        t3 = numbers["table3"]
        hard_ok = all(c["ok"] for c in numbers["checks"] if c["severity"] == "error" and c["rule"] != "table2.entered")
        print(
            f"  {engine}: new {t3['new']['total']}, carried in {t3['carried_in']['total']}, "
            f"concluded {t3['total']['total']}, carried out {t3['carried_out']['total']}; checks pass: {hard_ok}"
        )
        targets.check(f"{engine}: report under 2 s", r < 2.0, f"{r * 1000:.0f} ms")
        targets.check(
            f"{engine}: report at most 5x the GROUP BY floor",
            r <= 5 * f,
            f"{r * 1000:.0f} ms vs floor {f * 1000:.0f} ms",
        )
        targets.check(f"{engine}: the checks pass on consistent data", hard_ok)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--carried", type=int, default=20_000)
    args = ap.parse_args()
    targets = Targets("reports_annual")
    for engine in ("sqlite", "postgresql") if args.engine == "both" else (args.engine,):
        run(engine, args.cases, args.carried, targets)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
