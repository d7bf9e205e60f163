"""Where a filing's time goes (issue 10): N portal filings (`POST /api/v1/applications`, the body and token of
`applications_submit.py`) through the Flask test client against a throw-away PostgreSQL database (SQLite with
--sqlite), one at a time, so the figures are the filing's own and not the machine's load.

    .venv/bin/python benchmarks/applications_submit_profile.py [-n 300] [--sqlite] [--top 40] [--sort tottime]
        [--no-profile]

Figures of merit: the process CPU time a filing (measured without the profiler, after a warm-up), the statements
a filing sends to the database (and how many of them follow the reference number's counter), and the profile's
heaviest functions. Wall-clock time is printed for reference only.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

from harness import temp_dir

# As under gunicorn in applications_submit.py: the queue on SQLite, no consumer (a filing after the first finds a
# delivery queued and reads the flag only), not huey's in-memory queue that would deliver inside the request.
os.environ["HUEY_MEMORY"] = "0"
os.environ["HUEY_SQLITE_PATH"] = str(temp_dir("apps-profile-huey-") / "jobs.sqlite3")

from applications_data import bench_app, seed_agencies
from applications_submit import BODY
from harness import load_average


def _count_statements(engine, counts: dict) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        kind = statement.split(None, 1)[0].upper()
        counts["n"] += 1
        counts["by_kind"][kind] = counts["by_kind"].get(kind, 0) + 1
        if counts.get("show") is not None:
            counts["show"].append(statement)


def _backend_cpu(engine) -> float | None:
    """The CPU seconds the PostgreSQL server process of the pool's connection has used (it runs on this machine;
    the test client files one at a time, so the pool hands out that one connection); None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--sqlite", action="store_true")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--sort", default="tottime")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--filter", default="", help="only functions whose path matches this (e.g. disclosure/)")
    ap.add_argument("--callees", default="", help="print the callees of the functions matching this")
    ap.add_argument("--dump", default="", help="write the profile's stats to this file (pstats)")
    ap.add_argument("--statements", action="store_true", help="print the statements of one filing")
    args = ap.parse_args()
    with bench_app("sqlite" if args.sqlite else "postgresql") as app:
        from disclosure.accounts.models import Agency
        from disclosure.api import issue_token
        from disclosure.extensions import db

        tokens = []
        for ag in seed_agencies(2, handlers_per_agency=1):
            agency = db.session.get(Agency, ag["id"])
            _t, secret = issue_token(agency, name="load", scopes=["applications:write", "applications:read"])
            tokens.append(secret)
        db.session.commit()
        db.session.remove()
        counts = {"n": 0, "by_kind": {}}
        _count_statements(db.engine, counts)
        body = json.dumps(BODY).encode()
        client = app.test_client()

        def file(i: int) -> None:
            resp = client.post(
                "/api/v1/applications",
                data=body,
                headers={"Authorization": f"Bearer {tokens[i % 2]}", "Content-Type": "application/json"},
            )
            if resp.status_code != 201:
                raise SystemExit(f"filing {i}: {resp.status_code} {resp.get_data(as_text=True)[:300]}")

        for i in range(20):  # warm-up: caches, compiled statements, templates
            file(i)
        if args.statements:
            counts["show"] = []
            file(0)
            for statement in counts.pop("show"):
                print("   ", " ".join(statement.split())[:300])
        counts.update(n=0, by_kind={})
        server = _backend_cpu(db.engine)
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(args.n):
            file(i)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if server is not None:
            server = _backend_cpu(db.engine) - server
        engine = "SQLite" if args.sqlite else "PostgreSQL"
        print(
            f"  {engine}, {args.n} filings: process CPU {cpu / args.n * 1000:.2f} ms a filing, wall "
            f"{wall / args.n * 1000:.2f} ms; "
            + (f"database server CPU {server / args.n * 1000:.2f} ms; " if server is not None else "")
            + f"{counts['n'] / args.n:.2f} statements a filing "
            f"({', '.join(f'{k} {v / args.n:.2f}' for k, v in sorted(counts['by_kind'].items()))}); {load_average()}"
        )
        # The benchmark's baseline, measured the same way: what a filing costs beside a trivial request.
        counts.update(n=0, by_kind={})
        server = _backend_cpu(db.engine)
        cpu, wall = time.process_time(), time.perf_counter()
        for _i in range(args.n):
            if client.get("/healthz").status_code != 200:
                raise SystemExit("/healthz failed")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if server is not None:
            server = _backend_cpu(db.engine) - server
        print(
            f"  {engine}, {args.n} GET /healthz: process CPU {cpu / args.n * 1000:.2f} ms a request, wall "
            f"{wall / args.n * 1000:.2f} ms; "
            + (f"database server CPU {server / args.n * 1000:.2f} ms; " if server is not None else "")
            + f"{counts['n'] / args.n:.2f} statements a request; {load_average()}"
        )
        if not args.no_profile:
            profile = cProfile.Profile(time.process_time)  # CPU time: waits for the database do not count
            profile.enable()
            for i in range(args.n):
                file(i)
            profile.disable()
            stats = pstats.Stats(profile)
            calls = sum(s[1] for s in stats.stats.values())
            print(f"  profiled: {calls / args.n:,.0f} Python calls a filing")
            stats.sort_stats(args.sort).print_stats(*([args.filter] if args.filter else []), args.top)
            if args.callees:
                stats.print_callees(args.callees)
            if args.dump:
                stats.dump_stats(args.dump)
    return 0


if __name__ == "__main__":
    sys.exit(main())
