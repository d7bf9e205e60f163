"""The search columns made in one pass (`search_columns`, used by publishing, the import and the benchmarks) hold
exactly the units `units` gives a text, then the tier tokens of the pairs repeated, and the counts relevance reads
(issue 11 §5)."""

from __future__ import annotations

import random
from collections import Counter

from disclosure.catalog import search


def _expected(title: str, number: str, words: list[str]) -> search.SearchColumns:
    """The columns by their definition, unit by unit."""
    br = f" {search.FIELD_BREAK} "
    title_text = br.join(" ".join(search.units(v)) for v in (title, number) if search.units(v))
    fields = [search.units(w) for w in words if w]
    fields = [f for f in fields if f]
    pairs = [u for f in fields for u in f if len(u) == 2 and not u.isascii()]
    repeated = [(u, n) for u, n in Counter(pairs).items() if n >= search.TIERS[0]]
    parts = [" ".join(f) for f in fields]
    if repeated:
        parts.append(" ".join(f"{search.TIER_PREFIX}{search._tier_letter(n)}{u}" for u, n in repeated))
    length = sum(len(f) for f in fields)
    counts = " ".join([f"#:{length}", *[f"{u}:{n}" for u, n in repeated]])
    return search.SearchColumns(title_text, br.join(parts), counts)


def test_the_columns_hold_the_units_the_tiers_and_the_counts():
    rng = random.Random(20261207)
    alphabet = "开展建设交通加快企业社会发展。，、 abcXYZ 2026０１"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
        words = [text, text[::-1], "", "建设" * rng.randrange(0, 40)]
        assert search.search_columns(text[:12], text[12:24], words) == _expected(text[:12], text[12:24], words)


def test_a_pair_seen_very_often_has_the_highest_tier():
    columns = search.search_columns("标题", "", ["建设" * 100])
    assert f"{search.TIER_PREFIX}{search.TIER_LETTERS[-1]}建设" in columns.text.split()
    assert "建设:100" in columns.counts.split()
