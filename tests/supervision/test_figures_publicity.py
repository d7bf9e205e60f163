"""The 双公示 figures (issue 14 §1) against records entered through the publicity package's operations
(`builders/publicity.py`): each measure recomputed independently from the records in several periods, equal to the
双公示 dashboard's statistics (`stats.dashboard`) for the same agency and dates, the drill-downs' records, and the
outsider never counted."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.supervision import periods
from disclosure.supervision.measures import REGISTRY, Scope

D = dt.date
TODAY = D(2025, 12, 15)
PERIODS = (
    periods.year(2025),
    periods.quarter(2025, 3),
    periods.month(2025, 9),
    periods.custom(D(2024, 10, 1), D(2025, 9, 30)),
    periods.year(2024),
)


@pytest.fixture
def world(tree, app_ctx):
    from flask_babel import force_locale

    from tests.supervision.builders import publicity as builder

    with app_ctx.test_request_context("/"), force_locale("en"):
        records = builder.build(tree, TODAY)
        yield tree, records


def _keys():
    return [k for k, m in REGISTRY.measures.items() if m.area == "publicity"]


def _expected(agency_ids, period, today) -> dict[str, dict[int, list]]:
    """{measure key: {agency: sorted [(decision number, date that put it in the count)]}}, by the rules in words:
    a record counts in the period of its decision; its timeliness is the one the operations stored; overdue now is
    a record still pending past its due date today."""
    from disclosure.extensions import db
    from disclosure.publicity.models import PublicityRecord

    out: dict[str, dict[int, list]] = {k: {} for k in _keys()}
    for r in db.session.execute(db.select(PublicityRecord)).scalars():
        if r.agency_id not in agency_ids:
            continue
        fact = (r.decision_no, r.decision_date)
        if period.contains(r.decision_date):
            out["publicity.received"].setdefault(r.agency_id, []).append(fact)
            if r.timeliness in ("on_time", "late"):
                out[f"publicity.{r.timeliness}"].setdefault(r.agency_id, []).append(fact)
            if r.timeliness in ("on_time", "late", "overdue"):
                out["publicity.judged"].setdefault(r.agency_id, []).append(fact)
        if r.status == "pending" and r.due_date < today:
            out["publicity.overdue"].setdefault(r.agency_id, []).append((r.decision_no, r.due_date))
    return {k: {a: sorted(v) for a, v in per.items()} for k, per in out.items()}


def test_every_measure_equals_the_records_and_the_publicity_dashboard(world):
    from disclosure.publicity import stats

    tree, _records = world
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    rate = REGISTRY.ratios["publicity.on_time_rate"]
    for period in PERIODS:
        scope = Scope(ids, period, TODAY)
        expected = _expected(set(ids), period, TODAY)
        counted = {k: REGISTRY.measures[k].count(scope) for k in _keys()}
        for key in _keys():
            m = REGISTRY.measures[key]
            assert counted[key] == {a: len(v) for a, v in expected[key].items() if v}, (key, period.label)
            listed = m.items(scope, None, 0)
            assert tree.outsider.id not in counted[key]
            assert tree.outsider.id not in {it.agency_id for it in listed}
            for agency_id in ids:
                mine = sorted((it.reference, it.on) for it in listed if it.agency_id == agency_id)
                assert mine == expected[key].get(agency_id, []), (key, period.label, agency_id)
            paged = [it for start in range(0, len(listed) + 2, 2) for it in m.items(scope, 2, start)]
            assert paged == listed, (key, period.label)
        # the 双公示 dashboard's own figures for each agency and the same decision dates
        for agency_id in ids:
            row = stats.dashboard(agency_ids=[agency_id], date_from=period.start, date_to=period.end).total

            def n(key, agency_id=agency_id, counted=counted):
                return counted[key].get(agency_id, 0)

            assert n("publicity.received") == row.received
            assert n("publicity.on_time") == row.on_time
            assert n("publicity.late") == row.late
            assert n("publicity.judged") == row.on_time + row.late + row.overdue
            assert rate.value(n("publicity.on_time"), n("publicity.judged")) == row.on_time_rate
    # overdue now is the dashboard's overdue over every decision date, once the day's sweep has run
    scope = Scope(ids, periods.year(2025), TODAY)
    overdue = REGISTRY.measures["publicity.overdue"].count(scope)
    for agency_id in ids:
        assert overdue.get(agency_id, 0) == stats.dashboard(agency_ids=[agency_id]).total.overdue


def test_the_scenario_in_numbers(world):
    tree, r = world
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    b, b2, o = tree.bureau.id, tree.bureau2.id, tree.office.id
    scope = Scope(ids, periods.year(2025), TODAY)
    y = {k: REGISTRY.measures[k].count(scope) for k in _keys()}
    assert y["publicity.received"] == {b: 4, b2: 2, o: 1}  # the office's withheld penalty is received
    assert y["publicity.on_time"] == {b: 1, b2: 1}
    assert y["publicity.late"] == {b: 1}
    assert y["publicity.judged"] == {b: 3, b2: 2}  # P3 and Q2 overdue count against the rate; P4 is still in time
    assert y["publicity.overdue"] == {b: 1, b2: 1}
    assert REGISTRY.ratios["publicity.on_time_rate"].value(1, 3) == 33.3

    last_year = Scope(ids, periods.year(2024), TODAY)
    assert REGISTRY.measures["publicity.received"].count(last_year) == {b: 1}
    assert REGISTRY.measures["publicity.overdue"].count(last_year) == y["publicity.overdue"]  # a state today

    late = REGISTRY.measures["publicity.late"].items(scope, None, 0)
    assert [(it.reference, it.title) for it in late] == [(r.p2.decision_no, r.p2.counterpart_name)]
    assert late[0].note == f"Published on 2025-09-16, due {r.p2.due_date.isoformat()}"
    assert late[0].url == f"/staff/publicity/records/{r.p2.id}"
    overdue = REGISTRY.measures["publicity.overdue"].items(scope, None, 0)
    assert [it.reference for it in overdue] == [r.q2.decision_no, r.p3.decision_no]  # by due date
    assert all(it.on < TODAY for it in overdue)
