"""Publishing one catalogue entry with 200,000 entries present (issue 11): the office head's approval as the
request does it (the frozen version, the index number from the agency's gap-free series, the search index, the
audit event, the commit). Target: p95 under 100 ms, on SQLite and on PostgreSQL. The entries present are
generated like the search benchmark's (bodies of about 2,000 characters, indexed); the published entries have
such bodies too. Baseline in the same run: the same entry's workflow step that only records a review
(confirming the attribute), to read the figure against on a loaded machine.

    .venv/bin/python benchmarks/catalog_publish.py [--rows 200000] [--engine sqlite|postgresql|both] [--n 100]
        [--keep | --reuse DB] [--profile]

`--keep` keeps the generated database (its name is printed), `--reuse DB` measures again on a kept one (a new
publishing agency each run, so its series starts at 1).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid

from catalog_common import classification_ids, documents, fill
from harness import Targets, load_average
from publicity_common import bench_app, percentile

SEED = 20261208
PROFILE = "--profile" in sys.argv


def staff(suffix: str = ""):
    from disclosure.accounts import operations as accounts
    from disclosure.accounts.models import Agency
    from disclosure.accounts.roles import Role
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    agency = Agency(
        slug=f"publisher{suffix}",
        full_name="基准市人民政府办公室",
        short_name="基准市政府办",
        # A kept database measured again gets a publishing agency of its own (the credit code is unique).
        credit_code=make_credit_code("11", "330100", f"{random.randrange(10**8):08d}" if suffix else "00990099"),
        division_code="330100",
    )
    db.session.add(agency)
    db.session.flush()
    people = {
        role: accounts.create_staff(
            agency=agency,
            email=f"{role.value}{suffix}@publish.bench.gov.cn",
            name=f"{role.value}",
            password="bench-password-1",
            roles=[role],
        )
        for role in (Role.CATALOG_EDITOR, Role.REGISTRAR, Role.SECRECY_REVIEWER, Role.OFFICE_HEAD)
    }
    db.session.commit()
    return agency, people


def run(engine: str, rows: int, n: int, targets: Targets, keep: bool = False, reuse: str | None = None) -> None:
    from disclosure.accounts.roles import Role
    from disclosure.catalog.models import Entry
    from disclosure.catalog.operations import entries as ops
    from disclosure.extensions import db

    with bench_app(engine, keep=keep, reuse=reuse):
        if reuse:
            present = db.session.execute(db.select(db.func.count()).select_from(Entry)).scalar_one()
            print(f"[{engine}] {present:,} entries present (kept database)", flush=True)
        else:
            print(f"[{engine}] {rows:,} entries present", flush=True)
            fill(rows, SEED)
        agency, people = staff(f"-{uuid.uuid4().hex[:6]}" if reuse else "")
        themes, genres = classification_ids()
        rng = random.Random(SEED)
        ids = []
        for doc in documents(n, SEED + 1, 1, themes, genres):
            entry = ops.create_entry(
                agency,
                {
                    "title": doc.title,
                    "summary": doc.body[:80],
                    "made_on": doc.published_on.isoformat(),
                    "document_number": "",
                    "theme_id": str(rng.choice(themes)),
                    "genre_id": str(rng.choice(genres)),
                    "category": "art20_15",
                    "doc_kind": "other",
                    "attribute": "proactive",
                    "body_html": "".join(f"<p>{p}。</p>" for p in doc.body.split("。") if p),
                },
                actor=people[Role.CATALOG_EDITOR],
            )
            ops.act(entry, "submit", actor=people[Role.CATALOG_EDITOR])
            ids.append(entry.id)
        db.session.commit()
        confirm, publish = [], []
        for entry_id in ids:
            t = time.perf_counter()
            entry = db.session.get(Entry, entry_id)
            ops.act(entry, "confirm_attribute", actor=people[Role.REGISTRAR])
            db.session.commit()
            confirm.append((time.perf_counter() - t) * 1000)
            ops.act(db.session.get(Entry, entry_id), "pass_secrecy", actor=people[Role.SECRECY_REVIEWER])
            db.session.commit()

        def publish_all():
            for entry_id in ids:
                t = time.perf_counter()
                entry = db.session.get(Entry, entry_id)
                ops.act(entry, "publish", actor=people[Role.OFFICE_HEAD])
                db.session.commit()
                publish.append((time.perf_counter() - t) * 1000)

        if PROFILE:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(publish_all)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        else:
            publish_all()
        by_year: dict[int, list[int]] = {}
        for year, serial in db.session.execute(
            db.select(Entry.index_year, Entry.index_serial).where(Entry.id.in_(ids)).order_by(Entry.index_serial)
        ):
            by_year.setdefault(year, []).append(serial)
        assert all(s == list(range(1, len(s) + 1)) for s in by_year.values()), "index numbers not gap-free"
        p95, b95 = percentile(publish, 95), percentile(confirm, 95)
        print(
            f"  publish n={n} p50={percentile(publish, 50):.1f} ms p95={p95:.1f} ms | "
            f"baseline (confirm attribute) p50={percentile(confirm, 50):.1f} ms p95={b95:.1f} ms | {load_average()}",
            flush=True,
        )
        targets.check(f"{engine}: publishing one entry p95 under 100 ms", p95 < 100, f"{p95:.1f} ms")


def main() -> int:
    targets = Targets("catalog_publish")
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="print where publishing spends its time")
    parser.add_argument("--keep", action="store_true", help="keep the generated database (its name is printed)")
    parser.add_argument("--reuse", help="measure again on a kept database (PostgreSQL name or SQLite path)")
    args = parser.parse_args()
    if args.reuse and args.engine == "both":
        parser.error("--reuse names one database: choose --engine sqlite or postgresql")
    for engine in ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]:
        run(engine, args.rows, args.n, targets, args.keep, args.reuse)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
