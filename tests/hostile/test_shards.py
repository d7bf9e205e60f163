"""The shards of the hostile-input walk (tests/hostile/walk.py) partition its routes: each route, with each of its
methods, is in exactly one shard, every shard has a file that walks it, and the walk still finds its parameters."""

import importlib
from pathlib import Path

from tests.hostile.walk import CASE_PAGE, PARAMS, SHARDS, _routes, shard_routes


def _key(route) -> tuple[str, str, str]:
    rule, method = route
    return rule.rule, rule.endpoint, method


def test_the_shards_partition_the_routes(app):
    whole = [_key(route) for route in _routes(app)]
    shards = [[_key(route) for route in shard_routes(app, k)] for k in range(SHARDS)]
    dealt = [key for shard in shards for key in shard]
    assert sorted(dealt) == sorted(whole)  # every route once: none lost, none in two shards
    assert len(set(whole)) == len(whole)
    assert all(len(shard) > len(whole) // SHARDS // 2 for shard in shards), [len(s) for s in shards]
    assert sum(endpoint == CASE_PAGE for _r, endpoint, method in whole if method == "GET") == 1


def test_every_shard_has_its_file():
    files = sorted(Path(__file__).parent.glob("test_walk_*.py"))
    assert [f.stem for f in files] == [f"test_walk_{k}" for k in range(SHARDS)]
    for k, f in enumerate(files):
        shard = importlib.import_module(f"tests.hostile.{f.stem}").SHARD
        assert shard == k, f.name


def test_the_parameter_names_are_read_from_the_code():
    assert len(PARAMS) > 200 and {"page", "q", "year"} <= set(PARAMS)
