"""Public search over 1,000,000 licensing and penalty records (issue 5).

Target: p95 under 50 ms for two- and four-character name queries and for credit-code lookups, on SQLite and on
PostgreSQL, and at least 20x faster than a `LIKE '%…%'` scan of the same table doing the same work (capped count
plus one page). Data are generated here; the LIKE baseline is measured in the same run on the same table.

    .venv/bin/python benchmarks/publicity_search.py [--rows 1000000] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from harness import Targets
from publicity_common import agency_with_matters, bench_app, make_name, make_uscc, percentile


def generate(rows: int, rng: random.Random) -> tuple[list[str], list[str]]:
    from sqlalchemy import insert

    from disclosure.core.textsearch import index_text
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.publicity.models import PublicityMatter, PublicityRecord

    agency = agency_with_matters()
    matters = {m.kind: m.id for m in db.session.execute(db.select(PublicityMatter)).scalars()}
    names, codes = [], []
    now = utcnow()
    start = dt.date(2023, 1, 1)
    batch = []
    t0 = time.perf_counter()
    for i in range(rows):
        kind = "penalty" if i % 3 else "licensing"
        name = make_name(rng)
        person = len(name) <= 3
        code = None if person else make_uscc(rng, i + 1)
        decided = start + dt.timedelta(days=rng.randrange(1400))
        if i % 97 == 0:
            names.append(name)
        if code and i % 89 == 0:
            codes.append(code)
        batch.append(
            {
                "kind": kind,
                "agency_id": agency.id,
                "matter_id": matters[kind],
                "counterpart_name": name,
                "counterpart_category": "自然人" if person else "法人及非法人组织",
                "credit_code": code,
                "decision_no": f"杭市监{'罚' if kind == 'penalty' else '许'}〔{decided.year}〕{i}号",
                "decision_date": decided,
                "content": "内容",
                "deciding_agency": agency.full_name,
                "deciding_agency_code": agency.credit_code,
                "source_name": agency.full_name,
                "source_code": agency.credit_code,
                "simplified_procedure": False,
                "status": "published" if rng.random() < 0.9 else "expired",
                "timeliness": "on_time",
                "due_date": decided + dt.timedelta(days=9),
                "due_provisional": False,
                "channel": "import",
                "content_hash": "",
                "search_text": index_text(name),
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "published_at": now,
                "published_on": decided,
            }
        )
        if len(batch) == 20000:
            db.session.execute(insert(PublicityRecord), batch)
            db.session.commit()
            batch = []
    if batch:
        db.session.execute(insert(PublicityRecord), batch)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE publicity_records")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    print(f"  generated {rows:,} records in {time.perf_counter() - t0:.0f} s")
    return names, codes


def like_search(q: str, column: str) -> int:
    """The baseline: the same capped count and first page, by scanning with LIKE."""
    from sqlalchemy import text

    from disclosure.extensions import db

    where = f"status = 'published' AND {column} LIKE :pat"
    pat = f"%{q}%"
    db.session.execute(
        text(f"SELECT count(*) FROM (SELECT id FROM publicity_records WHERE {where} LIMIT 1001) s"), {"pat": pat}
    ).scalar_one()
    return len(
        db.session.execute(
            text(
                f"SELECT * FROM publicity_records WHERE {where} "
                "ORDER BY length(counterpart_name), decision_date DESC LIMIT 20"
            ),
            {"pat": pat},
        ).all()
    )


def timed(fn, queries) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def sample_existing(rng: random.Random) -> tuple[list[str], list[str]]:
    """Names and codes of a reused database (every 97th / 89th record, as generated)."""
    from sqlalchemy import text

    from disclosure.extensions import db

    names = list(db.session.execute(text("SELECT counterpart_name FROM publicity_records WHERE id % 97 = 0")).scalars())
    codes = list(
        db.session.execute(
            text("SELECT credit_code FROM publicity_records WHERE id % 89 = 0 AND credit_code IS NOT NULL")
        ).scalars()
    )
    return names, codes


def run(engine: str, rows: int, n_queries: int, targets: Targets, keep: bool = False, reuse: str | None = None) -> dict:
    from disclosure.extensions import db
    from disclosure.publicity.search import SearchQuery, search

    rng = random.Random(20261122)
    with bench_app(engine, keep=keep, reuse=reuse):
        print(f"[{engine}]")
        names, codes = sample_existing(rng) if reuse else generate(rows, rng)
        two, four = [], []
        for name in rng.sample(names, min(len(names), n_queries * 3)):
            if len(name) >= 2 and len(two) < n_queries:
                i = rng.randrange(len(name) - 1)
                two.append(name[i : i + 2])
            if len(name) >= 4 and len(four) < n_queries:
                i = rng.randrange(len(name) - 3)
                four.append(name[i : i + 4])
        codes = rng.sample(codes, min(len(codes), n_queries))

        def ours(q):
            res = search(SearchQuery(q=q))
            db.session.rollback()
            return res

        for q in two[:5]:
            ours(q)  # warm the caches
        figures = {}
        for label, queries, column in (
            ("2-char name", two, "counterpart_name"),
            ("4-char name", four, "counterpart_name"),
            ("credit code", codes, "credit_code"),
        ):
            mine = timed(ours, queries)
            base_q = queries[: max(10, len(queries) // 10)]  # the scan is slow: a tenth of the queries
            base = timed(lambda q, c=column: (like_search(q, c), db.session.rollback()), base_q)
            p95, b95 = percentile(mine, 95), percentile(base, 95)
            figures[label] = (p95, b95)
            print(
                f"  {label:12s} n={len(mine):4d} p50={percentile(mine, 50):7.2f} ms p95={p95:7.2f} ms | "
                f"LIKE n={len(base):3d} p50={percentile(base, 50):8.1f} ms p95={b95:8.1f} ms | "
                f"ratio (LIKE p50 / ours p50) {percentile(base, 50) / max(percentile(mine, 50), 1e-6):6.1f}x, "
                f"p95 ratio {b95 / max(p95, 1e-6):6.1f}x"
            )
            targets.check(f"{engine} {label}: p95 under 50 ms", p95 < 50, f"{p95:.2f} ms")
            targets.check(
                f"{engine} {label}: at least 20x faster than LIKE at p95", b95 >= 20 * p95, f"{b95 / p95:.0f}x"
            )
        return figures


def main() -> int:
    targets = Targets("publicity_search")
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--reuse", help="measure a kept database again (PostgreSQL name or SQLite file)")
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for engine in engines:
        run(engine, args.rows, args.queries, targets, keep=args.keep, reuse=args.reuse)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
