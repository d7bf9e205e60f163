"""50 concurrent online submissions for 60 s against gunicorn on PostgreSQL (issue 3): no error, no lost or
duplicated application, reference numbers without gaps.

    .venv/bin/python benchmarks/applications_submit.py [--clients 50] [--seconds 60] [--agencies 2]
        [--workers 3] [--threads 4]

Clients file through `POST /api/v1/applications` (token-authenticated portal filing: the same operation,
validation and numbering as the online form). Baseline, measured in the same run against the same server:
`GET /healthz` (one trivial query) with the same concurrency.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from applications_data import ROOT, create_database, drop_database, percentile
from harness import Targets, temp_dir

BODY = {
    "applicant": {
        "type": "person",
        "name": "并发测试",
        "doc_type": "resident_id",
        "doc_number": "11010519491231002X",
        "phone": "13800000000",
        "email": "load@example.cn",
    },
    "items": [{"description": "2026年财政预算执行情况"}],
    "provision_form": "electronic",
    "delivery_channel": "email",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(url: str, instance: Path, n_agencies: int) -> list[tuple[str, str]]:
    os.environ["INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from disclosure import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    tokens = []
    with app.app_context():
        upgrade(revision="heads")
        from applications_data import seed_agencies

        from disclosure.api import issue_token
        from disclosure.extensions import db

        for ag in seed_agencies(n_agencies, handlers_per_agency=1):
            from disclosure.accounts.models import Agency

            agency = db.session.get(Agency, ag["id"])
            _t, secret = issue_token(agency, name="load", scopes=["applications:write", "applications:read"])
            tokens.append((agency.slug, secret))
        db.session.commit()
        db.engine.dispose()
    return tokens


def _load(base: str, path: str, clients: int, seconds: float, token: list[str] | None, body: bytes | None):
    results = {"ok": 0, "errors": [], "latencies": [], "refs": []}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(i: int):
        while time.monotonic() < stop:
            headers = {"Content-Type": "application/json"}
            if token:
                headers["Authorization"] = f"Bearer {token[i % len(token)]}"
            req = urllib.request.Request(
                base + path,
                data=body,
                headers=headers,
                method="POST" if body else "GET",
            )
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    data = resp.read()
                    status = resp.status
            except urllib.error.HTTPError as exc:
                status, data = exc.code, exc.read()
            except Exception as exc:  # connection errors count as errors
                status, data = 0, str(exc).encode()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                results["latencies"].append(ms)
                if status in (200, 201):
                    results["ok"] += 1
                    if body:
                        results["refs"].append(json.loads(data)["reference"])
                else:
                    results["errors"].append((status, data[:200]))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def main() -> int:
    targets = Targets("applications_submit")
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--agencies", type=int, default=2)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    url, name = create_database("postgresql")
    instance = temp_dir("apps-submit-")
    server = None
    try:
        tokens = _prepare(url, instance, args.agencies)
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url.replace("postgresql+psycopg://", "postgresql://"),
            "INSTANCE_PATH": str(instance),
            "RATELIMIT_ENABLED": "false",
            "MAIL_SUPPRESS_SEND": "true",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("HUEY_MEMORY", None)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--timeout",
                "120",
                "--log-level",
                "warning",
                "disclosure:create_app()",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except Exception:
                time.sleep(0.3)
        print(
            f"submit: {args.clients} clients for {args.seconds:.0f} s, gunicorn {args.workers}x{args.threads}, "
            f"PostgreSQL {name}"
        )
        warm = min(10.0, args.seconds / 6)
        hz = _load(base, "/healthz", args.clients, warm, None, None)
        print(
            f"  baseline GET /healthz: {hz['ok'] / warm:.0f} req/s, p95 {percentile(hz['latencies'], 95):.0f} ms, "
            f"errors {len(hz['errors'])}"
        )
        res = _load(
            base, "/api/v1/applications", args.clients, args.seconds, [t for _s, t in tokens], json.dumps(BODY).encode()
        )
        print(
            f"  submissions: {res['ok']} ok ({res['ok'] / args.seconds:.1f}/s), p50 "
            f"{percentile(res['latencies'], 50):.0f} ms, p95 {percentile(res['latencies'], 95):.0f} ms, "
            f"errors {len(res['errors'])}"
        )
        for err in res["errors"][:5]:
            print("   ", err)
        hz95, sub95 = percentile(hz["latencies"], 95), percentile(res["latencies"], 95)
        targets.check(
            "filing p95 <= 5x the /healthz p95 in the same run",
            sub95 <= 5 * hz95,
            f"{sub95:.0f} ms = {sub95 / hz95:.1f}x {hz95:.0f} ms",
        )
        targets.check(
            "no errors, nothing lost or duplicated, no gaps",
            _verify(url, res["refs"], [s for s, _t in tokens], res["errors"]),
        )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        drop_database(name)
    return targets.finish()


def _verify(url: str, refs: list[str], slugs: list[str], errors: list) -> bool:
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.connect() as conn:
        rows = conn.execute(
            text("SELECT a.reference, a.ref_serial, g.slug FROM applications a JOIN agencies g ON g.id = a.agency_id")
        ).all()
        counters = dict(
            conn.execute(
                text(
                    "SELECT g.slug, c.value FROM counters c JOIN agencies g "
                    "ON g.id = c.owner_id WHERE c.scope = 'application'"
                )
            ).all()
        )
    eng.dispose()
    stored = {r.reference for r in rows}
    lost = set(refs) - stored
    dup = len(refs) - len(set(refs))
    extra = stored - set(refs)
    gaps = 0
    for slug in slugs:
        serials = sorted(r.ref_serial for r in rows if r.slug == slug)
        gaps += sum(1 for a, b in zip([0, *serials], serials, strict=False) if b != a + 1)
        gaps += counters.get(slug, 0) != (serials[-1] if serials else 0)
    ok = not errors and not lost and not dup and not extra and not gaps
    print(
        f"  stored {len(rows)}, answered {len(refs)}: lost {len(lost)}, duplicated {dup}, unanswered-but-stored "
        f"{len(extra)}, gaps {gaps}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
