"""Public search of the catalogue over 200,000 entries with bodies of about 2,000 Chinese characters (issue 11).

Targets, on SQLite and on PostgreSQL: p95 under 50 ms for two-, four- and eight-character queries, sorted by
relevance and by time (the whole public search: capped count, ranking, the page's entries and snippets); and
against a reference engine indexing the same corpus in the same run (the `tantivy` package: CJK character pairs,
BM25, the title boosted as ours is): our p95 at most twice the reference's, and our top 10 overlapping the
reference's top 10 by at least 0.7 on average over the relevance queries.

    .venv/bin/python benchmarks/catalog_search.py [--rows 200000] [--engine sqlite|postgresql|both] [--queries 30]
        [--keep] [--reuse DB] [--reference DIR]

`--keep` keeps the generated database, `--reuse DB` measures a kept one again (after upgrading it to the newest
revisions); `--reference DIR` keeps the reference engine's index and the queries of that many rows in DIR, so a
database measured again needs no documents generated.

Needs the bench extra (`pip install -e .[bench]`, `make bench` does it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from catalog_common import fill, queries
from harness import Targets, load_average, temp_dir
from publicity_common import bench_app, percentile

SEED = 20261207
SORTS = ("relevance", "time")


class Reference:
    """tantivy over the same documents: title and body as CJK character pairs (the same units as ours, a
    whitespace tokenizer over them), BM25, the title boosted like ours, and the publication order key as a fast
    field for sorting by time."""

    def __init__(self, path: Path | None = None, *, built: bool = False):
        """A new index (in `path`, or in a temporary directory), or the one already `built` in `path`."""
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", stored=True, fast=True)
        builder.add_unsigned_field("key", fast=True)
        builder.add_text_field("title", tokenizer_name="whitespace")
        builder.add_text_field("body", tokenizer_name="whitespace")
        self.schema = builder.build()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path or temp_dir("catalog-tantivy-")))
        self.writer = None if built else self.index.writer(heap_size=512_000_000, num_threads=2)
        self.searcher = None
        if built:
            self.index.reload()
            self.searcher = self.index.searcher()

    def add(self, docs, first_id: int, columns) -> None:
        from disclosure.catalog.search import FIELD_BREAK, TIER_PREFIX, search_key

        for offset, (doc, cols) in enumerate(zip(docs, columns, strict=True)):
            entry_id = first_id + offset
            body, _sep, tiers = cols.text.rpartition(f" {FIELD_BREAK} ")
            if not tiers.startswith(TIER_PREFIX):  # no repeated pair: no tier tokens to leave out
                body = cols.text
            document = self.tantivy.Document()
            document.add_unsigned("id", entry_id)
            document.add_unsigned("key", search_key(doc.published_on, entry_id))
            document.add_text("title", cols.title)
            document.add_text("body", body)
            self.writer.add_document(document)

    def finish(self) -> None:
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def query(self, q: str):
        from disclosure.catalog.search import TITLE_WEIGHT, query_units

        tv = self.tantivy
        found, _prefix = query_units(q)

        def field(name):
            if len(found) == 1:
                return tv.Query.term_query(self.schema, name, found[0])
            return tv.Query.phrase_query(self.schema, name, found)

        return tv.Query.boolean_query(
            [(tv.Occur.Should, tv.Query.boost_query(field("title"), TITLE_WEIGHT)), (tv.Occur.Should, field("body"))]
        )

    def search(self, q: str, sort: str):
        query = self.query(q)
        if sort == "time":
            return self.searcher.search(query, 10, count=True, order_by_field="key")
        return self.searcher.search(query, 10, count=True)

    def ids(self, result) -> list[int]:
        return [self.searcher.doc(addr)["id"][0] for _score, addr in result.hits]


def timed(fn, items) -> tuple[list[float], list]:
    times, results = [], []
    for item in items:
        t = time.perf_counter()
        results.append(fn(item))
        times.append((time.perf_counter() - t) * 1000)
    return times, results


def run(
    engine: str,
    rows: int,
    n_queries: int,
    targets: Targets,
    reference: Reference | None,
    keep=False,
    reuse=None,
    reference_dir: Path | None = None,
) -> Reference:
    from disclosure.catalog.search import SearchQuery, search
    from disclosure.extensions import db

    with bench_app(engine, keep=keep, reuse=reuse):
        print(f"[{engine}] {rows:,} entries", flush=True)
        kept = reference_dir / f"queries-{rows}-{n_queries}.json" if reference_dir else None
        index_dir = reference_dir / f"tantivy-{rows}" if reference_dir else None
        built = bool(index_dir and (index_dir / "complete").exists())
        build_reference = reference is None and not built
        if reference is None:
            reference = Reference(index_dir, built=built)
        t0 = time.perf_counter()
        if reuse:  # the kept database has the corpus: only the sample and the reference are made again
            from flask_migrate import upgrade

            upgrade(revision="heads")  # a kept database measured again after a new revision
        qs = json.loads(kept.read_text()) if kept and kept.exists() else None
        if qs is None or not reuse or build_reference:  # a kept reference and queries need no documents again
            sample = fill(rows, SEED, on_batch=reference.add if build_reference else None, insert=not reuse)
            qs = qs or queries(SEED + 1, sample, n_queries)
        if build_reference:
            t1 = time.perf_counter()
            reference.finish()
            print(f"  reference index committed in {time.perf_counter() - t1:.0f} s", flush=True)
            if index_dir:
                (index_dir / "complete").write_text(f"{rows}\n")
        if kept and not kept.exists():
            kept.write_text(json.dumps(qs, ensure_ascii=False))
        print(f"  data ready in {time.perf_counter() - t0:.0f} s", flush=True)

        def ours(args):
            q, sort = args
            result = search(SearchQuery(q=q, sort=sort, per_page=10))
            ids = [h.entry.id for h in result.hits]
            db.session.rollback()
            return ids, result.total

        # Warm the caches (ours and the reference's) with every query once: the figures are a running server's,
        # not those of a database just opened (a kept database's pages may have left the OS cache).
        for items in qs.values():
            for q in items:
                for sort in SORTS:
                    ours((q, sort))
                    reference.search(q, sort)
        overlaps = []
        for label, items in qs.items():
            for sort in SORTS:
                mine, my_results = timed(ours, [(q, sort) for q in items])
                ref, ref_results = timed(lambda q, s=sort: reference.search(q, s), items)
                p95, r95 = percentile(mine, 95), percentile(ref, 95)
                overlap = []
                for (my_ids, _total), ref_result in zip(my_results, ref_results, strict=True):
                    ref_ids = reference.ids(ref_result)
                    if ref_ids:
                        overlap.append(len(set(my_ids) & set(ref_ids)) / min(10, len(ref_ids)))
                mean_overlap = statistics.mean(overlap) if overlap else 1.0
                if sort == "relevance":
                    overlaps.extend(overlap)
                matches = statistics.median(r.count for r in ref_results)
                print(
                    f"  {label} {sort:9s} n={len(mine):3d} ours p50={percentile(mine, 50):6.2f} p95={p95:6.2f} ms | "
                    f"tantivy p50={percentile(ref, 50):6.2f} p95={r95:6.2f} ms | ratio {p95 / max(r95, 1e-6):5.2f} | "
                    f"top-10 overlap {mean_overlap:.2f} | median matches {matches:,.0f} | {load_average()}",
                    flush=True,
                )
                targets.check(f"{engine} {label} by {sort}: p95 under 50 ms", p95 < 50, f"{p95:.2f} ms")
                targets.check(
                    f"{engine} {label} by {sort}: p95 at most 2x tantivy's",
                    p95 <= 2 * r95,
                    f"{p95:.2f} ms vs {r95:.2f} ms",
                )
        mean = statistics.mean(overlaps) if overlaps else 1.0
        targets.check(f"{engine}: top-10 overlap with tantivy (relevance) at least 0.7", mean >= 0.7, f"{mean:.2f}")
    return reference


def main() -> int:
    targets = Targets("catalog_search")
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the generated database (its name is printed)")
    parser.add_argument("--reuse", help="measure again on a kept database (PostgreSQL name or SQLite path)")
    parser.add_argument(
        "--reference",
        type=Path,
        help="keep the reference index and the queries in this directory (one per --rows), reused when there",
    )
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    reference = None
    for engine in engines:
        reference = run(engine, args.rows, args.queries, targets, reference, args.keep, args.reuse, args.reference)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
