"""50 concurrent commenters for 60 s against gunicorn on PostgreSQL (issue 12): no error, no comment lost or
duplicated (one in five forms is posted twice, as a double click: it must count once), comment numbers unique and
without gaps.

    .venv/bin/python benchmarks/participation_comment.py [--clients 50] [--seconds 60] [--workers 3] [--threads 4]

Each client is a browser: it opens the consultation page (session cookie, CSRF token, the form's submission
token), posts the comment form and follows the redirect to its receipt page. Baseline, measured in the same run
against the same server: `GET /healthz` with the same concurrency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from applications_data import ROOT, create_database, drop_database, percentile, seed_agencies
from applications_submit import _free_port, _load
from harness import Targets, temp_dir

DRAFT = "".join(f"<p>第{n}条 本办法第{n}条的内容。</p>" for n in "一二三四五六七八九十")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')


def _prepare(url: str, instance: Path) -> tuple[int, int]:
    os.environ["INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from disclosure import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        from disclosure.accounts.models import Agency, User
        from disclosure.core.timeutil import CHINA_TZ
        from disclosure.extensions import db
        from disclosure.participation.operations import consultations as ops

        ops.ensure_kinds()
        info = seed_agencies(1, handlers_per_agency=0)[0]
        agency = db.session.get(Agency, info["id"])
        head = db.session.get(User, info["office_head"])
        start = (dt.datetime.now(CHINA_TZ) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        c = ops.create_consultation(
            agency,
            {
                "title": "基准市控制吸烟办法（征求意见稿）",
                "kind_id": str(ops.kind_by_code("normative").id),
                "draft_html": DRAFT,
                "explanation_html": "<p>起草说明。</p>",
                "opens_at": start,
                "period_length": "30",
                "accept_online": "y",
            },
            actor=head,
        )
        ops.act(c, "approve", actor=head)
        ops.open_due()
        db.session.commit()
        ids = (agency.id, c.id)
        db.engine.dispose()
    return ids


def _comment(base: str, cid: int, clients: int, seconds: float) -> dict:
    results = {"ok": 0, "errors": [], "latencies": [], "keys": set(), "receipts": {}, "doubles": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(i: int):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        n = 0
        while time.monotonic() < stop:
            n += 1
            t = time.perf_counter()
            try:
                page = opener.open(f"{base}/participation/c/{cid}", timeout=60).read().decode()
                form = {
                    "csrf_token": CSRF.search(page).group(1),
                    "submission_key": KEY.search(page).group(1),
                    "article": str(1 + (i + n) % 10),
                    "body": f"并发意见：第{i}号评论人的第{n}条意见。",
                    "submitter_type": "citizen",
                    "name": f"评论人{i}",
                    "email": f"c{i}@example.cn",
                }
                body = urllib.parse.urlencode(form).encode()
                times = 2 if n % 5 == 0 else 1  # a double click: the same form twice
                receipts = []
                for _ in range(times):
                    with opener.open(f"{base}/participation/c/{cid}/comment", data=body, timeout=60) as resp:
                        resp.read()
                        receipts.append(resp.geturl().split("?")[0])
                status = 200
            except urllib.error.HTTPError as exc:
                status, receipts = exc.code, [exc.read()[:200]]
            except Exception as exc:  # connection errors count as errors
                status, receipts = 0, [str(exc)]
            ms = (time.perf_counter() - t) * 1000
            with lock:
                results["latencies"].append(ms)
                if status == 200 and all("/participation/comments/" in r for r in receipts):
                    results["ok"] += 1
                    results["keys"].add(form["submission_key"])
                    results["receipts"][form["submission_key"]] = set(receipts)
                    results["doubles"] += len(receipts) - 1
                else:
                    results["errors"].append((status, receipts[:1]))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def _verify(url: str, agency_id: int, res: dict) -> bool:
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT submission_key, number FROM participation_comments")).all()
        counter = conn.execute(
            text("SELECT value FROM counters WHERE scope = 'participation_comment' AND owner_id = :a"), {"a": agency_id}
        ).scalar()
    eng.dispose()
    keys = {r.submission_key for r in rows}
    numbers = [r.number for r in rows]
    serials = sorted(int(n.split("-")[1]) for n in numbers)
    lost = len(res["keys"] - keys)
    extra = len(keys - res["keys"])
    dup_keys = len(rows) - len(keys)
    dup_numbers = len(numbers) - len(set(numbers))
    gaps = serials != list(range(1, len(serials) + 1)) or (counter or 0) != len(serials)
    split_receipts = sum(1 for r in res["receipts"].values() if len(r) != 1)
    print(
        f"  stored {len(rows)}, answered {len(res['keys'])} (+{res['doubles']} double posts): lost {lost}, "
        f"stored-but-unanswered {extra}, duplicated {dup_keys}, duplicate numbers {dup_numbers}, gaps {gaps}, "
        f"double posts with two receipts {split_receipts}"
    )
    return not (res["errors"] or lost or extra or dup_keys or dup_numbers or gaps or split_receipts)


def main() -> int:
    targets = Targets("participation_comment")
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    url, name = create_database("postgresql")
    instance = temp_dir("participation-comment-")
    server = None
    try:
        agency_id, cid = _prepare(url, instance)
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
        print(f"comments: {args.clients} clients for {args.seconds:.0f} s, gunicorn {args.workers}x{args.threads}")
        warm = min(10.0, args.seconds / 6)
        hz = _load(base, "/healthz", args.clients, warm, None, None)
        print(f"  baseline GET /healthz: {hz['ok'] / warm:.0f} req/s, p95 {percentile(hz['latencies'], 95):.0f} ms")
        res = _comment(base, cid, args.clients, args.seconds)
        print(
            f"  comment round trips (page + post + receipt): {res['ok']} ok ({res['ok'] / args.seconds:.1f}/s), "
            f"p50 {percentile(res['latencies'], 50):.0f} ms, p95 {percentile(res['latencies'], 95):.0f} ms, "
            f"errors {len(res['errors'])}"
        )
        for err in res["errors"][:5]:
            print("   ", err)
        targets.check("at least one comment per client", res["ok"] >= args.clients, f"{res['ok']}")
        targets.check(
            "no errors, nothing lost or duplicated, numbers unique and gapless",
            _verify(url, agency_id, res),
        )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        drop_database(name)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
