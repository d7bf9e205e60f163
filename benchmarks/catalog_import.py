"""Import of a 20,000-row catalogue XLSX (issue 11 §6).

Targets: at least 1,000 rows per second end to end (inspect, read, validate every row as an entry, write entries,
issuers, frozen versions, validity history, audit events and index numbers, the error file), and peak memory
(max RSS of the importing process) under 400 MB. The import runs in its own process on its own fresh database.
About 1 % of the rows are invalid, as in real files; a fifth are normative documents, a tenth are not proactive.

    .venv/bin/python benchmarks/catalog_import.py [--rows 20000] [--engine sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from harness import Targets, report_from_child, run_child, temp_dir
from publicity_common import bench_app

HEADER = [  # the import's columns, in the template's order
    *("索引号", "标题", "发文机关", "发文字号", "成文日期", "发布日期", "主题分类", "体裁分类"),
    *("文件类型", "公开方式", "有效性", "废止日期", "内容概述", "正文", "附件"),
]
THEMES = ["综合政务/政务公开", "财政、金融、审计/财政", "城乡建设、环境保护/城市规划", "科技、教育/教育", "统计"]
GENRES = ["通知", "意见", "决定", "公告", "报告"]
BODY = (
    "为进一步做好本地区政府信息公开工作，根据《中华人民共和国政府信息公开条例》，结合本市实际，现就有关事项通知如下。"
)


def make_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(11)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("目录")
    ws.append(HEADER)
    start = dt.date(2015, 1, 1)
    for i in range(rows):
        made = start + dt.timedelta(days=rng.randrange(3000))
        normative = i % 5 == 0
        kind = "行政规范性文件" if normative else "其他"
        validity, ended = "", ""
        if normative and i % 15 == 0:
            validity, ended = "废止", (made + dt.timedelta(days=400)).isoformat()
        ws.append(
            [
                f"014119467/{made.year}-{i + 1:05d}" if i % 2 else "",
                f"关于第{i}项工作的通知" if i % 100 != 99 else "",  # an empty title: reported
                "",
                f"杭政{'规' if normative else '办'}〔{made.year}〕{i}号",
                made.isoformat(),
                (made + dt.timedelta(days=rng.randrange(0, 20))).isoformat(),
                THEMES[i % len(THEMES)],
                GENRES[i % len(GENRES)],
                kind,
                "依申请公开" if i % 10 == 3 else "主动公开",
                validity,
                ended,
                f"第{i}项工作的内容概述。",
                BODY * 8,
                "",
            ]
        )
    wb.save(path)


def phase(path: Path, engine: str) -> dict:
    import openpyxl  # noqa: F401  (a worker has these loaded after its first job: not part of the measurement)
    import python_calamine  # noqa: F401

    from disclosure.accounts.models import Agency
    from disclosure.catalog.importer import process_import
    from disclosure.catalog.models import CatalogImport
    from disclosure.catalog.seeds import ensure_classifications
    from disclosure.core.storage import store
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    with bench_app(engine):
        ensure_classifications(db.session)
        agency = Agency(
            slug="bench",
            full_name="杭州市人民政府办公厅",
            short_name="杭州市政府办",
            credit_code=make_credit_code("11", "330100", "00250099"),
            division_code="330100",
        )
        db.session.add(agency)
        db.session.flush()
        stored = store(path.read_bytes(), original_name="bench.xlsx", content_type="", agency_id=agency.id)
        db.session.flush()
        job = CatalogImport(agency_id=agency.id, file_id=stored.id, filename="bench.xlsx", locale="zh_CN")
        db.session.add(job)
        db.session.commit()
        server = server_cpu()
        t0, c0, s0 = time.perf_counter(), time.process_time(), server()
        process_import(job.id)  # what the worker runs: read, validate, store, error file, commits per chunk
        elapsed, cpu, server_seconds = time.perf_counter() - t0, time.process_time() - c0, server() - s0
        job = db.session.get(CatalogImport, job.id)
        return {
            "seconds": elapsed,
            "cpu_seconds": cpu,  # this process's CPU time: what the import costs, whatever else the machine runs
            "server_cpu_seconds": server_seconds,  # PostgreSQL's backend (indexes, full text): 0 on SQLite
            "created": job.created_count,
            "errors": job.error_count,
            "rows": job.processed_rows,
            "status": job.status,
            "failure": job.failure,
        }


def server_cpu():
    """A clock of the CPU time the database server's backend of this session has used (PostgreSQL on this machine,
    read from /proc; SQLite runs inside this process, so 0)."""
    from sqlalchemy import text

    from disclosure.extensions import db

    if db.session.get_bind().dialect.name != "postgresql":
        return lambda: 0.0
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    db.session.commit()
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    return read


def child(path: str, engine: str) -> None:
    report_from_child(phase(Path(path), engine))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "ENGINE"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    targets = Targets(f"catalog import, {args.rows:,} rows [{args.engine}]")
    path = temp_dir("catalog-import-bench-") / "catalogue.xlsx"
    t0 = time.perf_counter()
    make_file(path, args.rows)
    print(f"generated {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, in {time.perf_counter() - t0:.0f} s")
    result = run_child(__file__, str(path), args.engine)
    if result is None:
        targets.check("the import ran", False)
        return targets.finish()
    rate = result["rows"] / result["seconds"]
    print(
        f"  import (inspect, read, validate, write, error file): {result['seconds']:.1f} s, {rate:,.0f} rows/s, "
        f"CPU {result['cpu_seconds']:.1f} s ({result['rows'] / result['cpu_seconds']:,.0f} rows per CPU second)"
        f"{f' + database server {s:.1f} s' if (s := result['server_cpu_seconds']) else ''}, "
        f"peak {result['peak_mb']:.0f} MB; created {result['created']:,}, invalid rows reported {result['errors']:,}"
        f" ({result['status']}{', ' + result['failure'] if result['failure'] else ''})"
    )
    targets.check("every row read", result["rows"] == args.rows, f"{result['rows']:,} rows")
    targets.check("at least 1,000 rows/s", rate >= 1000, f"{rate:,.0f} rows/s")
    targets.check("peak memory under 400 MB", result["peak_mb"] < 400, f"{result['peak_mb']:.0f} MB")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
