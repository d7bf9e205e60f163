"""The annual-report figures (issue 14 §1; 条例 Art. 49) against reports taken through the reports package's
operations (`builders/reports.py`): each measure recomputed independently from the reports and the agencies'
settings in several periods, the scenario's own standings and statuses, and the outsider never counted."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.supervision import periods
from disclosure.supervision.measures import REGISTRY, Scope

D = dt.date
TODAY = D(2025, 12, 15)
PERIODS = (
    periods.year(2025),
    periods.quarter(2025, 1),
    periods.month(2025, 1),
    periods.month(2025, 2),
    periods.custom(D(2025, 1, 1), D(2025, 2, 28)),
    periods.year(2026),
    periods.year(2024),
    periods.custom(D(2024, 6, 1), D(2026, 6, 30)),
)
STANDING_KEYS = {
    "on_time": "reports.on_time",
    "late": "reports.late",
    "overdue": "reports.overdue",
    "not_yet_due": "reports.not_yet_due",
}


@pytest.fixture
def world(tree, app_ctx):
    from flask_babel import force_locale

    from tests.supervision.builders import reports as builder

    with app_ctx.test_request_context("/"), force_locale("en"):
        made = builder.build(tree, TODAY)
        yield tree, made


def _keys():
    return [k for k, m in REGISTRY.measures.items() if m.area == "reports"]


def _expected(agencies, period, today) -> dict[str, dict[int, list]]:
    """{measure key: {agency: sorted [(report year, due date)]}}, by Art. 49 in words: a department's report of
    year Y is due on 31 January of Y+1, a government's on 31 March; it counts in the period holding that day; it was
    published on time when its first version was published by then."""
    from disclosure.extensions import db
    from disclosure.reports.models import AnnualReport, ReportSettings

    kinds = {s.agency_id: s.agency_kind for s in db.session.execute(db.select(ReportSettings)).scalars()}
    published: dict[tuple[int, int], dt.date] = {}
    for r in db.session.execute(db.select(AnnualReport)).scalars():
        if r.state in ("published", "superseded"):
            key = (r.agency_id, r.year)
            published[key] = min(published.get(key, r.published_on), r.published_on)
    out: dict[str, dict[int, list]] = {k: {} for k in _keys()}
    for agency in agencies:
        month = 3 if kinds.get(agency.id) == "government" else 1
        for year in range(2008, 2100):
            due = D(year + 1, month, 31)
            if not period.contains(due):
                continue
            fact = (year, due)
            out["reports.due"].setdefault(agency.id, []).append(fact)
            first = published.get((agency.id, year))
            if first is not None:
                standing = "on_time" if first <= due else "late"
            else:
                standing = "overdue" if today > due else "not_yet_due"
            out[STANDING_KEYS[standing]].setdefault(agency.id, []).append(fact)
    return {k: {a: sorted(v) for a, v in per.items()} for k, per in out.items()}


def test_every_measure_equals_the_reports_recomputed_in_every_period(world):
    tree, _made = world
    agencies = (tree.office, tree.bureau, tree.bureau2)
    ids = tuple(a.id for a in agencies)
    for period in PERIODS:
        scope = Scope(ids, period, TODAY)
        expected = _expected(agencies, period, TODAY)
        for key in _keys():
            m = REGISTRY.measures[key]
            counted = m.count(scope)
            assert counted == {a: len(v) for a, v in expected[key].items() if v}, (key, period.label)
            listed = m.items(scope, None, 0)
            assert tree.outsider.id not in counted
            assert tree.outsider.id not in {it.agency_id for it in listed}
            for agency in agencies:
                mine = sorted(
                    (int(it.reference.rsplit(" ", 1)[1]), it.on) for it in listed if it.agency_id == agency.id
                )
                assert mine == expected[key].get(agency.id, []), (key, period.label, agency.short_name)
            paged = [it for start in range(0, len(listed) + 2, 2) for it in m.items(scope, 2, start)]
            assert paged == listed, (key, period.label)
        # every due report stands in exactly one place
        due = REGISTRY.measures["reports.due"].count(scope)
        for agency_id in ids:
            parts = sum(REGISTRY.measures[k].count(scope).get(agency_id, 0) for k in STANDING_KEYS.values())
            assert parts == due.get(agency_id, 0), period.label


def test_the_scenario_with_each_reports_status(world):
    tree, made = world
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    b, b2, o = tree.bureau.id, tree.bureau2.id, tree.office.id

    def counts(period):
        scope = Scope(ids, period, TODAY)
        return {k: REGISTRY.measures[k].count(scope) for k in _keys()}

    y = counts(periods.year(2025))  # the 2024 reports: the office is a government, the bureaux departments
    assert y["reports.due"] == {o: 1, b: 1, b2: 1}
    assert y["reports.on_time"] == {o: 1}
    assert y["reports.late"] == {b: 1}  # published 9 February; its correction in May does not move that
    assert y["reports.overdue"] == {b2: 1}
    assert y["reports.not_yet_due"] == {}
    assert counts(periods.month(2025, 2))["reports.due"] == {}
    assert counts(periods.month(2025, 1))["reports.due"] == {b: 1, b2: 1}
    next_year = counts(periods.year(2026))  # the 2025 reports, not yet due on 15 December 2025
    assert next_year["reports.not_yet_due"] == {o: 1, b: 1, b2: 1}
    assert next_year["reports.overdue"] == {}

    scope = Scope(ids, periods.year(2025), TODAY)
    items = {it.agency_id: it for it in REGISTRY.measures["reports.due"].items(scope, None, 0)}
    assert [it.agency_id for it in REGISTRY.measures["reports.due"].items(scope, None, 0)] == [b, b2, o]  # by date
    assert items[b].reference == "Annual report 2024"
    assert items[b].title == "2024年政府信息公开工作年度报告"
    assert items[b].note == "Published; first published on 2025-02-09, due 2025-01-31"
    assert items[b].url == f"/staff/reports/{made.bureau_fix.id}"  # the latest version
    assert items[b2].note == "Draft; due 2025-01-31"
    assert items[o].note == "Published; first published on 2025-03-20, due 2025-03-31"
    scope = Scope(ids, periods.year(2026), TODAY)
    notes = {it.agency_id: (it.note, it.url) for it in REGISTRY.measures["reports.due"].items(scope, None, 0)}
    assert notes[o] == ("Draft; due 2026-03-31", f"/staff/reports/{made.office_next.id}")
    assert notes[b] == ("Not started; due 2026-01-31", "/staff/reports/")

    # the outsider has no report at all: overdue, but only for whoever sees it
    alone = Scope((tree.outsider.id,), periods.year(2025), TODAY)
    assert REGISTRY.measures["reports.overdue"].count(alone) == {tree.outsider.id: 1}
