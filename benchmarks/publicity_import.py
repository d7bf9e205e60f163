"""Import of a 100,000-row penalty XLSX (issue 5).

Targets: at least 5,000 rows per second end to end with validation, peak memory under 400 MB, and no more than
3x the floor measured in the same run: reading the same file with calamine plus a bulk insert of the same rows
without validation. Each measurement runs in its own process on its own fresh database, so peak memory (max RSS)
belongs to that measurement alone. About 1 % of the rows are invalid, as in real files.

    .venv/bin/python benchmarks/publicity_import.py [--rows 100000] [--engine sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from harness import Targets, temp_dir
from publicity_common import agency_with_matters, bench_app, make_name, make_uscc

HEADERS = [
    "CF_XDR_MC",
    "CF_XDR_LB",
    "CF_XDR_SHXYM",
    "CF_FRDB",
    "CF_WSH",
    "CF_WFXW",
    "CF_SY",
    "CF_YJ",
    "CF_CFLB",
    "CF_NR",
    "CF_NR_FK",
    "CF_JDRQ",
    "CF_YXQ",
    "CF_CFJG",
    "CF_CFJGDM",
    "CF_SJLY",
    "CF_SJLYDM",
    "MATTER",
]


def make_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from disclosure.demo import make_credit_code

    agency_code = make_credit_code("11", "330100", "00250099")
    rng = random.Random(5)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("行政处罚")
    ws.append(HEADERS)
    start = dt.date(2025, 1, 1)
    for i in range(rows):
        code = make_uscc(rng, i + 1)
        if i % 100 == 99:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")  # a wrong check character: reported
        decided = start + dt.timedelta(days=rng.randrange(600))
        ws.append(
            [
                make_name(rng),
                "法人及非法人组织",
                code,
                "张三",
                f"杭市监罚〔{decided.year}〕{i}号",
                "销售过期食品",
                "经查，当事人销售过期食品，违反《食品安全法》第三十四条。",
                "《食品安全法》第一百二十四条",
                "警告;罚款",
                "警告并处罚款",
                f"{rng.randrange(1, 500) / 100:.2f}",
                decided.isoformat(),
                "2099-12-31",
                "杭州市市场监督管理局",
                agency_code,
                "杭州市市场监督管理局",
                agency_code,
                "CF001",
            ]
        )
    wb.save(path)


def phase_ours(path: Path, engine: str) -> dict:
    import openpyxl  # noqa: F401  (a worker has these loaded after its first job: not part of the measurement)
    import python_calamine  # noqa: F401

    from disclosure.core.storage import store
    from disclosure.extensions import db
    from disclosure.publicity.jobs import process_import
    from disclosure.publicity.models import ImportJob
    from disclosure.publicity.rules import ensure_defaults

    with bench_app(engine):
        agency = agency_with_matters()
        ensure_defaults()
        data = path.read_bytes()
        stored = store(data, original_name="bench.xlsx", content_type="", agency_id=agency.id)
        db.session.flush()
        job = ImportJob(agency_id=agency.id, kind="penalty", file_id=stored.id, filename="bench.xlsx", locale="zh_CN")
        db.session.add(job)
        db.session.commit()
        t0 = time.perf_counter()
        process_import(job.id)  # what the worker runs: read, validate, store, error file, commits per chunk
        elapsed = time.perf_counter() - t0
        job = db.session.get(ImportJob, job.id)
        return {"seconds": elapsed, "created": job.created_count, "errors": job.error_count, "rows": job.processed_rows}


def phase_floor(path: Path, engine: str) -> dict:
    """Read the same file with calamine and bulk-insert the same rows, without any validation, through the same
    bulk insert the import uses (one executemany per 1,000 rows, the full-text rows in one more on SQLite)."""
    from python_calamine import CalamineWorkbook

    from disclosure.core.textsearch import index_text  # the stored row is searchable: not validation
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.publicity.fields import BY_CODE, Kind
    from disclosure.publicity.importer import insert_records
    from disclosure.publicity.models import PublicityMatter

    with bench_app(engine):
        agency = agency_with_matters()
        matter_id = db.session.execute(db.select(PublicityMatter.id).where(PublicityMatter.kind == "penalty")).scalar()
        fields = BY_CODE[Kind.PENALTY]
        now = utcnow()
        t0 = time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = sheet.iter_rows()
        header = next(rows)
        attrs = [fields[h].attr if h in fields else None for h in header]
        batch, n = [], 0
        for row in rows:
            rec = {a: v for a, v in zip(attrs, row, strict=False) if a}
            rec["decision_date"] = dt.date.fromisoformat(rec["decision_date"])
            rec["penalty_valid_until"] = dt.date.fromisoformat(rec["penalty_valid_until"])
            rec.update(
                kind="penalty",
                agency_id=agency.id,
                matter_id=matter_id,
                status="published",
                timeliness="on_time",
                due_date=rec["decision_date"],
                due_provisional=False,
                channel="import",
                content_hash="",
                search_text=index_text(rec["counterpart_name"]),
                version=1,
                created_at=now,
                updated_at=now,
                simplified_procedure=False,
            )
            batch.append(rec)
            n += 1
            if len(batch) == 1000:
                insert_records(batch)
                db.session.commit()
                batch = []
        if batch:
            insert_records(batch)
            db.session.commit()
        return {"seconds": time.perf_counter() - t0, "rows": n}


def child(phase: str, path: str, engine: str) -> None:
    result = (phase_ours if phase == "ours" else phase_floor)(Path(path), engine)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def measure(phase: str, path: Path, engine: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", phase, "--file", str(path), "--engine", engine],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    return json.loads(line[7:])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--child")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.engine)
        return 0
    targets = Targets(f"publicity_import [{args.engine}]")
    path = temp_dir("publicity-import-") / "penalties.xlsx"
    t0 = time.perf_counter()
    make_file(path, args.rows)
    print(
        f"generated {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, in {time.perf_counter() - t0:.0f} s "
        f"[{args.engine}]"
    )
    floor = measure("floor", path, args.engine)
    ours = measure("ours", path, args.engine)
    rate = ours["rows"] / ours["seconds"]
    ratio = ours["seconds"] / floor["seconds"]
    print(
        f"  floor (calamine read + bulk insert, no validation): {floor['seconds']:.1f} s, "
        f"{floor['rows'] / floor['seconds']:,.0f} rows/s, peak {floor['peak_mb']:.0f} MB"
    )
    print(
        f"  import (inspect, read, validate, upsert, error file): {ours['seconds']:.1f} s, {rate:,.0f} rows/s, "
        f"peak {ours['peak_mb']:.0f} MB; created {ours['created']:,}, invalid rows reported {ours['errors']:,}"
    )
    targets.check("at least 5,000 rows/s", rate >= 5000, f"{rate:,.0f} rows/s")
    targets.check("peak memory under 400 MB", ours["peak_mb"] < 400, f"{ours['peak_mb']:.0f} MB")
    targets.check("at most 3x the floor", ratio <= 3, f"{ratio:.2f}x")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
