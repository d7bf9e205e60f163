"""Every figure equals the records behind it (issue 14, 'How it is checked'): for EVERY measure of the registry,
whoever registered it, for each agency of the tree and a month, a quarter, a year and a custom period, the count of
the agency equals the number of records its drill-down lists, the records are the agency's own, the list of all the
agencies is the lists of each, and pages of the list (limit, offset) are the same records in the same order.

The world is assembled from the builder modules in `tests/supervision/builders/` (each `build(tree, today)` makes
its area's records through the operations), so a measure is held to real records of every area at once.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest

from disclosure.supervision import periods
from disclosure.supervision.measures import REGISTRY, Scope

D = dt.date
TODAY = D(2025, 12, 15)
PERIODS = (
    periods.month(2025, 11),
    periods.quarter(2025, 3),
    periods.year(2025),
    periods.custom(D(2024, 12, 1), D(2025, 12, 15)),
)
PAGE = 3


def builder_modules():
    from tests.supervision import builders

    return [
        importlib.import_module(f"{builders.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(builders.__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


@pytest.fixture
def world(tree, app_ctx):
    from flask_babel import force_locale

    with app_ctx.test_request_context("/"), force_locale("en"):
        for module in builder_modules():
            module.build(tree, TODAY)
        yield tree


def test_the_builders_cover_the_areas_of_this_issue():
    names = {m.__name__.rsplit(".", 1)[1] for m in builder_modules()}
    assert {"requests", "publicity", "reports"} <= names


def test_every_measure_counts_exactly_the_records_it_lists(world):
    tree = world
    agencies = (tree.office, tree.bureau, tree.bureau2, tree.outsider)
    ids = tuple(a.id for a in agencies)
    assert REGISTRY.measures, "no measure registered"
    problems = []
    for period in PERIODS:
        scope = Scope(ids, period, TODAY)
        for key, m in sorted(REGISTRY.measures.items()):
            counted = m.count(scope)
            if set(counted) - set(ids):
                problems.append((key, period.label, "counts an agency outside the scope", sorted(counted)))
            everyone = m.items(scope, None, 0)
            if len(everyone) != sum(counted.values()):
                problems.append((key, period.label, "all agencies", sum(counted.values()), len(everyone)))
            for agency in agencies:
                mine = m.items(scope.only(agency.id), None, 0)
                n = counted.get(agency.id, 0)
                if n != len(mine):
                    problems.append((key, period.label, agency.short_name, n, len(mine)))
                if any(it.agency_id != agency.id for it in mine):
                    problems.append((key, period.label, agency.short_name, "lists another agency's records"))
                if sorted(map(repr, mine)) != sorted(repr(it) for it in everyone if it.agency_id == agency.id):
                    problems.append((key, period.label, agency.short_name, "not the records of the whole list"))
                paged = [
                    it
                    for start in range(0, len(mine) + PAGE, PAGE)
                    for it in m.items(scope.only(agency.id), PAGE, start)
                ]
                if paged != mine:
                    problems.append((key, period.label, agency.short_name, "pages differ from the whole list"))
    assert problems == []

    # The world is not empty for this issue's areas: every measure of requests, double publicity and annual reports
    # counts something in some period (else the exactness above would hold vacuously).
    for key, m in REGISTRY.measures.items():
        if m.area in ("requests", "publicity", "reports"):
            found = [sum(m.count(Scope(ids, p, TODAY)).values()) for p in (*PERIODS, periods.year(2026))]
            assert any(found), key


def test_every_measure_counts_outside_a_request(tree, app_ctx):
    """Counting needs no request (a command, a job, the demo, an assessment computed by the worker): only the
    drill-down builds addresses."""
    from flask import has_request_context
    from flask_babel import force_locale

    with app_ctx.test_request_context("/"), force_locale("en"):
        for module in builder_modules():
            module.build(tree, TODAY)
    assert not has_request_context()
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id, tree.outsider.id)
    for measure in REGISTRY.measures.values():
        for period in PERIODS:
            measure.count(Scope(ids, period, TODAY))  # raises if it needs a request
