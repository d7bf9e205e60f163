"""The standing book (台账, issue 14 §2) of one agency-year with 100,000 requests.

Targets: the book built in under 20 s, with peak memory (max RSS of the building process) under 400 MB. The data
are the agency's year 2025: 100,000 requests (nine in ten concluded with an outcome, some late, one in a hundred
with a reconsideration or lawsuit, one in ten still open, a twentieth carried in from December 2024), and in
proportion 5,000 catalogue entries (a tenth normative documents, most of them interpreted), 3,000 双公示 records
(some published late, some overdue) and 40 consultations with 25 comments each — bulk-inserted, as a benchmark may.
The book is built in its own process, as the worker builds it (`book.write_book` to a file, progress called every
2,000 rows); the baseline, in another process of the same run, is the bare row queries of the same book (every
`standing_rows` iterator read to the end, nothing written), so the figure to read is the writing's cost above it.
Both report wall and CPU seconds: on a machine shared with other work the wall time is mostly waiting for a core.

    .venv/bin/python benchmarks/supervision_standing_book.py [--requests 100000] [--engine sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from applications_data import ROOT, create_database, drop_database
from harness import Targets, report_from_child, run_child, temp_dir

sys.path.insert(0, str(ROOT))
os.environ.setdefault("HUEY_MEMORY", "1")

YEAR = 2025
TODAY = dt.date(2026, 1, 20)
OUTCOMES = ["granted", "granted", "granted", "partial", "not_exist", "deny_secret", "repeat", "need_create"]
OPEN_STATES = ["registered", "consulting", "reply_drafted", "office_review"]  # no handler needed
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
TOPICS = ["道路维修资金", "学校招生计划", "环境监测数据", "征收补偿方案", "财政预算执行", "政府采购合同"]
CATEGORIES = ["art20_1", "art20_3", "art20_4", "art20_7", "art20_9", "art20_11", "art20_15"]


def _app(url: str, files: Path):
    from disclosure import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "STORAGE_DIR": str(files),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_SUPPRESS_SEND": True,
        }
    )


def _chunks(rows: list[dict], size: int = 5000):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _insert(table, rows: list[dict]) -> None:
    from disclosure.extensions import db

    for chunk in _chunks(rows):
        db.session.execute(table.insert(), chunk)


# --- The data ---------------------------------------------------------------------------------------------------


def agencies() -> tuple[int, int]:
    """The benchmark's agency and a small one to warm the process up with."""
    from disclosure.accounts import operations as ops
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    ids = []
    for n, (full, short) in enumerate((("杭州市教育局", "杭州市教育局"), ("杭州市预热局", "预热局")), start=1):
        agency = ops.save_agency(
            None,
            {
                "slug": f"bench-{n}",
                "full_name": full,
                "short_name": short,
                "credit_code": make_credit_code("11", "330100", f"{n:08d}"),
                "division_code": "330100",
            },
        )
        db.session.flush()
        ids.append(agency.id)
    db.session.commit()
    return ids[0], ids[1]


def requests(agency_id: int, n: int, rng: random.Random) -> None:
    from disclosure.applications.models import Application, Remedy
    from disclosure.core.timeutil import utcnow
    from disclosure.workdays import add_working_days_many

    now = utcnow()
    start = dt.date(YEAR, 1, 1)
    received = [
        start - dt.timedelta(days=rng.randrange(1, 31))
        if i % 20 == 0
        else start + dt.timedelta(days=rng.randrange(365))
        for i in range(n)
    ]
    dues = {d: x.due for d, x in add_working_days_many(set(received), 20).items()}
    cases, remedies = [], []
    for i, day in enumerate(received):
        due = dues[day]
        row = {
            "id": None,
            "agency_id": agency_id,
            "reference": f"JY-{day.year}-{i + 1:06d}",
            "ref_year": day.year,
            "ref_serial": i + 1,
            "applicant_name": rng.choice(SURNAMES) + rng.choice(SURNAMES),
            "received_date": day,
            "due_date": due,
            "submitted_at": now,
            "search_text": "",
        }
        if i % 10 == 3:
            row.update(state=rng.choice(OPEN_STATES), deadline_status="overdue" if due < TODAY else "ok")
            row.update(outcome=None, issued_date=None, closed_date=None)
        else:
            replied = day + dt.timedelta(days=rng.randrange(3, 40))
            row.update(state="archived", outcome=rng.choice(OUTCOMES), issued_date=replied, closed_date=replied)
            row.update(deadline_status="none", reply_letter_id=None)
            if i % 100 == 7:
                remedies.append((i, replied + dt.timedelta(days=rng.randrange(10, 60)), rng.random()))
        cases.append(row)
    from disclosure.extensions import db

    first = (db.session.execute(db.select(db.func.max(Application.id))).scalar() or 0) + 1
    for i, row in enumerate(cases):
        row["id"] = first + i
    keys = set().union(*(r.keys() for r in cases))
    _insert(Application.__table__, [{k: r.get(k) for k in keys} for r in cases])
    _insert(
        Remedy.__table__,
        [
            {
                "application_id": first + i,
                "agency_id": agency_id,
                "kind": "reconsideration" if x < 0.7 else "litigation_direct",
                "body": "杭州市人民政府" if x < 0.7 else "杭州市上城区人民法院",
                "filed_date": filed,
                "decided_date": filed + dt.timedelta(days=60) if x < 0.5 else None,
                "result": ("corrected" if x < 0.1 else "upheld") if x < 0.5 else "pending",
                "created_at": now,
                "updated_at": now,
            }
            for i, filed, x in remedies
        ],
    )


def entries(agency_id: int, n: int, rng: random.Random) -> None:
    from disclosure.catalog.models import Entry, EntryIssuer, EntryLink, EntryVersion
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.workdays import add_working_days_many

    now = utcnow()
    first = (db.session.execute(db.select(db.func.max(Entry.id))).scalar() or 0) + 1
    made = [dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(350)) for _ in range(n)]
    dues = {d: x.due for d, x in add_working_days_many(set(made), 20).items()}
    rows, versions, issuers, links, documents = [], [], [], [], []
    for i, day in enumerate(made):
        entry_id = first + i
        interpretation = i % 20 == 19 and documents
        normative = not interpretation and i % 10 == 0
        published = day + dt.timedelta(days=rng.randrange(0, 40))
        rows.append(
            {
                "id": entry_id,
                "agency_id": agency_id,
                "entry_type": "interpretation" if interpretation else "document",
                "state": "published",
                "index_number": f"00250099{agency_id}/{YEAR}-{i + 1:05d}",
                "title": f"关于{rng.choice(TOPICS)}的{'政策解读' if interpretation else '通知'}（{i + 1}）",
                "made_on": day,
                "published_on": published,
                "first_published_on": published,
                "category": "" if interpretation else ("art20_1" if normative else rng.choice(CATEGORIES)),
                "doc_kind": "normative" if normative else "other",
                "attribute": "proactive",
                "validity": "valid",
                "revision": 1,
                "due_on": dues[day],
                "source": "import",
            }
        )
        versions.append(
            {
                "id": entry_id,
                "entry_id": entry_id,
                "revision": 1,
                "published_at": now,
                "published_on": published,
                "attribute": "proactive",
                "title": rows[-1]["title"],
            }
        )
        issuers.append({"entry_id": entry_id, "agency_id": agency_id, "lead": True, "position": 0})
        if normative:
            documents.append(entry_id)
        if interpretation:
            links.append(
                {"source_id": entry_id, "target_id": documents.pop(), "relation": "interprets", "created_at": now}
            )
    _insert(Entry.__table__, rows)
    _insert(EntryVersion.__table__, versions)
    db.session.execute(
        Entry.__table__.update().where(Entry.id >= first).values(published_version_id=Entry.__table__.c.id)
    )
    _insert(EntryIssuer.__table__, issuers)
    _insert(EntryLink.__table__, links)


def publicity(agency_id: int, n: int, rng: random.Random) -> None:
    from disclosure.extensions import db
    from disclosure.publicity.models import PublicityMatter, PublicityRecord
    from disclosure.workdays import add_working_days_many

    matter = PublicityMatter(agency_id=agency_id, kind="penalty", code="CF001", name="食品安全处罚", legal_basis="法")
    db.session.add(matter)
    db.session.flush()
    decided = [dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365)) for _ in range(n)]
    dues = {d: x.due for d, x in add_working_days_many(set(decided), 7).items()}
    rows = []
    for i, day in enumerate(decided):
        due = dues[day]
        x = rng.random()
        if x < 0.8:
            published, timeliness, status = due - dt.timedelta(days=rng.randrange(0, 5)), "on_time", "published"
        elif x < 0.9:
            published, timeliness, status = due + dt.timedelta(days=rng.randrange(1, 20)), "late", "published"
        else:
            published, timeliness, status = None, "overdue" if due < TODAY else "waiting", "pending"
        rows.append(
            {
                "kind": "penalty",
                "agency_id": agency_id,
                "matter_id": matter.id,
                "counterpart_name": f"杭州{rng.choice(SURNAMES)}{rng.choice(SURNAMES)}餐饮有限公司",
                "counterpart_category": "legal_person",
                "decision_no": f"杭教罚〔{YEAR}〕{agency_id}-{i + 1}号",
                "decision_date": day,
                "content": "罚款",
                "deciding_agency": "杭州市教育局",
                "deciding_agency_code": "113301000025009900",
                "source_name": "杭州市教育局",
                "source_code": "113301000025009900",
                "due_date": due,
                "published_on": published,
                "timeliness": timeliness,
                "status": status,
            }
        )
    _insert(PublicityRecord.__table__, rows)


def consultations(agency_id: int, n: int, comments: int, rng: random.Random) -> None:
    import secrets

    from disclosure.core.timeutil import CHINA_TZ
    from disclosure.extensions import db
    from disclosure.participation.models import Comment, Consultation
    from disclosure.participation.operations.consultations import ensure_kinds, kind_by_code

    ensure_kinds()
    kind = kind_by_code("normative")
    for c in range(n):
        opened = dt.datetime(YEAR, 1, 5, 9, tzinfo=CHINA_TZ) + dt.timedelta(days=9 * c)
        closes = opened.date() + dt.timedelta(days=30)
        published = dt.datetime.combine(closes + dt.timedelta(days=rng.randrange(10, 40)), dt.time(10), CHINA_TZ)
        row = Consultation(
            agency_id=agency_id,
            kind_id=kind.id,
            title=f"关于《{rng.choice(TOPICS)}管理办法（征求意见稿）》公开征求意见",
            state="concluded",
            opens_at=opened,
            opened_at=opened,
            period_length=30,
            period_unit="days",
            closes_on=closes,
            closes_at=dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(), CHINA_TZ),
            answers_published_at=published,
        )
        db.session.add(row)
        db.session.flush()
        _insert(
            Comment.__table__,
            [
                {
                    "consultation_id": row.id,
                    "agency_id": agency_id,
                    "submission_key": secrets.token_hex(16),
                    "access_key": secrets.token_hex(16),
                    "received_on": opened.date() + dt.timedelta(days=k % 30),
                    "submitted_at": opened + dt.timedelta(days=k % 30),
                    "body": "建议进一步明确适用范围。",
                }
                for k in range(comments)
            ],
        )


def generate(url: str, files: Path, n: int) -> None:
    from flask_migrate import upgrade

    from disclosure.extensions import db

    rng = random.Random(14)
    app = _app(url, files)
    with app.app_context():
        upgrade(revision="heads")
        agency_id, warm_id = agencies()
        scale = n / 100_000
        for target, share in ((agency_id, 1.0), (warm_id, 0.0001)):
            requests(target, max(3, int(n * share)), rng)
            entries(target, max(20, int(5000 * scale * share)), rng)
            publicity(target, max(3, int(3000 * scale * share)), rng)
            consultations(target, max(1, int(40 * scale * share)), 25, rng)
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


# --- The measured phases (each in its own process) ------------------------------------------------------------


def phase(url: str, files: str, mode: str) -> dict:
    import openpyxl  # noqa: F401  (a worker has these loaded after its first job: not part of the measurement)

    from disclosure.accounts.models import Agency
    from disclosure.extensions import db
    from disclosure.supervision import periods
    from disclosure.supervision.standing_book import book

    app = _app(url, Path(files))
    period = periods.year(YEAR)
    with app.app_context(), app.test_request_context("/"):
        agency = db.session.execute(db.select(Agency).where(Agency.slug == "bench-1")).scalar_one()
        warm = db.session.execute(db.select(Agency).where(Agency.slug == "bench-2")).scalar_one()
        out = {}
        with tempfile.TemporaryDirectory() as folder:
            # A worker has the book's modules and the calendar loaded after its first job: a small book first.
            with open(Path(folder) / "warm.xlsx", "wb") as target:
                book.write_book(warm, period, target, today=TODAY)
            db.session.rollback()
            t0, c0 = time.perf_counter(), time.process_time()
            if mode == "baseline":
                out["rows"] = _bare_rows(agency.id, period)
            else:
                out["counted"] = book.count_rows(agency, period, today=TODAY)
                path = Path(folder) / "book.xlsx"
                ticks = []
                with open(path, "wb") as target:
                    out["rows"] = book.write_book(agency, period, target, today=TODAY, progress=ticks.append)
                out["progress_calls"] = len(ticks)
                out["mb"] = path.stat().st_size / 1e6
            out["seconds"], out["cpu_seconds"] = time.perf_counter() - t0, time.process_time() - c0
        return out


def _bare_rows(agency_id: int, period) -> int:
    """The book's row queries read to the end, nothing written: the floor of building it."""
    from disclosure import applications, catalog, participation, publicity
    from disclosure.supervision.standing_book import book

    a, start, end = agency_id, period.start, period.end
    n = sum(1 for _ in applications.standing_rows.standing_requests(a, start, end, today=TODAY))
    n += sum(1 for _ in catalog.standing_rows.standing_entries(a, start, end, today=TODAY))
    n += sum(1 for _ in participation.standing_rows.standing_consultations(a, start, end, today=TODAY))
    publicity.standing_rows.standing_publicity_figures(a, start, end)
    n += sum(1 for _ in publicity.standing_rows.standing_publicity_records(a, start, end, today=TODAY))
    from disclosure.accounts.models import Agency
    from disclosure.extensions import db

    columns = book.column_rows(db.session.get(Agency, a), book.column_day(period, TODAY))
    return n + (len(columns[0]) if columns else 0)


def child(url: str, files: str, mode: str) -> None:
    if mode.startswith("generate:"):
        t0 = time.perf_counter()
        generate(url, Path(files), int(mode.split(":", 1)[1]))
        report_from_child({"seconds": time.perf_counter() - t0})
        return
    report_from_child(phase(url, files, mode))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--child", nargs=3, metavar=("URL", "FILES", "MODE"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    targets = Targets(f"standing book, one agency-year with {args.requests:,} requests [{args.engine}]")
    tmp = temp_dir("standing-book-bench-")
    os.environ["INSTANCE_PATH"] = str(tmp / "instance")
    url, name = create_database(args.engine)
    try:
        # Each phase in its own process, the data's too: a child's peak memory counts the parent's at its start
        # (Linux keeps the high-water mark across exec), so the parent stays small.
        made = run_child(__file__, url, str(tmp / "files"), f"generate:{args.requests}")
        if made is not None:
            print(f"  generated in {made['seconds']:.0f} s ({name or url})")
        baseline = run_child(__file__, url, str(tmp / "files"), "baseline")
        built = run_child(__file__, url, str(tmp / "files"), "build")
    finally:
        drop_database(name)
    if baseline is None or built is None:
        targets.check("the book was built", False)
        return targets.finish()
    print(
        f"  baseline (the bare row queries, nothing written): {baseline['rows']:,} rows in "
        f"{baseline['seconds']:.1f} s (CPU {baseline['cpu_seconds']:.1f} s), peak memory {baseline['peak_mb']:.0f} MB"
    )
    print(
        f"  book: {built['rows']:,} rows in {built['seconds']:.1f} s (CPU {built['cpu_seconds']:.1f} s; "
        f"{built['rows'] / built['seconds']:,.0f} rows/s, "
        f"{built['seconds'] / max(baseline['seconds'], 1e-9):.1f}x the baseline), {built['mb']:.1f} MB file, "
        f"{built['progress_calls']} progress calls, peak memory {built['peak_mb']:.0f} MB"
    )
    targets.check("every row counted is written", built["rows"] == built["counted"] == baseline["rows"])
    targets.check("built in under 20 s", built["seconds"] < 20, f"{built['seconds']:.1f} s")
    targets.check("peak memory under 400 MB", built["peak_mb"] < 400, f"{built['peak_mb']:.0f} MB")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
