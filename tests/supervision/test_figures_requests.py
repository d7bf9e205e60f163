"""The requests figures (issue 14 §1) against cases taken through the applications package's operations
(`builders/requests.py`): each measure recomputed independently from the cases and remedies in several periods,
the scenario's own numbers, the annual report's tables 3 and 4 for the year, the drill-downs' records, and the
outsider (not under the office) never counted."""

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
    periods.month(2025, 3),
    periods.custom(D(2024, 12, 1), D(2025, 6, 30)),
    periods.year(2024),
)
CONCLUDED = ("issued", "delivered", "archived", "abandoned", "withdrawn")
OPEN = (
    "registered",
    "supplementation_requested",
    "assigned",
    "in_handling",
    "consulting",
    "fee_notified",
    "reply_drafted",
    "office_review",
    "legal_review",
    "approved",
)


@pytest.fixture
def world(tree, app_ctx):
    from flask_babel import force_locale

    from tests.supervision.builders import requests as builder

    with app_ctx.test_request_context("/"), force_locale("en"):
        cases = builder.build(tree, TODAY)
        yield tree, cases


def _measure_keys():
    return [k for k, m in REGISTRY.measures.items() if m.area == "requests"]


# --- The rules, written again from the records -------------------------------------------------------------------


def _expected(agency_ids, period, today) -> dict[str, dict[int, list]]:
    """{measure key: {agency: sorted [(reference, date that put it in the count)]}} from every case and remedy of
    the database, by the rules in words."""
    from disclosure.applications.models import Application, Remedy
    from disclosure.correspondence import OUTCOMES
    from disclosure.extensions import db

    rows = {info.report_row for info in OUTCOMES.values()}
    groups = {
        "granted": ("granted",),
        "partial": ("partial",),
        **{g: tuple(r for r in rows if r.startswith(f"{g}_")) for g in ("deny", "na", "np", "oth")},
    }
    out: dict[str, dict[int, list]] = {k: {} for k in _measure_keys()}

    def put(key, agency_id, reference, on):
        out[key].setdefault(agency_id, []).append((reference, on))

    inside = period.contains
    for case in db.session.execute(db.select(Application)).scalars():
        if case.agency_id not in agency_ids:
            continue
        ref = case.reference
        if case.state not in ("draft", "submitted") and inside(case.received_date):
            put("requests.received", case.agency_id, ref, case.received_date)
        concluded_on = case.closed_date or case.issued_date
        if case.state in CONCLUDED and inside(concluded_on):
            put("requests.concluded", case.agency_id, ref, concluded_on)
            if case.issued_date:
                put("requests.answered", case.agency_id, ref, concluded_on)
                late = case.due_date is not None and case.issued_date > case.due_date
                put("requests.late" if late else "requests.on_time", case.agency_id, ref, concluded_on)
            row = "oth_other" if case.state == "withdrawn" else OUTCOMES[case.outcome].report_row
            group = next(g for g, members in groups.items() if row in members)
            put(f"requests.outcome_{group}", case.agency_id, ref, concluded_on)
        if case.state in OPEN and case.deadline_status != "paused" and case.due_date < today:
            put("requests.overdue", case.agency_id, ref, case.due_date)
    for remedy in db.session.execute(db.select(Remedy)).scalars():
        if remedy.agency_id not in agency_ids or not inside(remedy.filed_date):
            continue
        fact = (remedy.agency_id, remedy.application.reference, remedy.filed_date)
        put("requests.remedies", *fact)
        put("requests.reconsiderations" if remedy.kind == "reconsideration" else "requests.lawsuits", *fact)
        if remedy.result == "corrected" and remedy.decided_date <= period.end:
            put("requests.corrected", *fact)
    return {k: {a: sorted(v) for a, v in per.items()} for k, per in out.items()}


# --- Tests -------------------------------------------------------------------------------------------------------


def test_every_measure_equals_the_cases_recomputed_in_every_period(world):
    tree, _cases = world
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    for period in PERIODS:
        scope = Scope(ids, period, TODAY)
        expected = _expected(set(ids), period, TODAY)
        for key in _measure_keys():
            m = REGISTRY.measures[key]
            counted = m.count(scope)
            want = {a: len(refs) for a, refs in expected[key].items() if refs}
            assert {a: n for a, n in counted.items() if n} == want, (key, period.label)
            assert tree.outsider.id not in counted
            listed = m.items(scope, None, 0)
            assert tree.outsider.id not in {it.agency_id for it in listed}
            for agency_id in ids:
                mine = sorted((it.reference, it.on) for it in listed if it.agency_id == agency_id)
                assert mine == expected[key].get(agency_id, []), (key, period.label, agency_id)
            # pages of two give the same records in the same order
            paged = [it for start in range(0, len(listed) + 2, 2) for it in m.items(scope, 2, start)]
            assert paged == listed, (key, period.label)


def test_the_scenario_in_numbers(world):
    tree, c = world
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    b, b2, o = tree.bureau.id, tree.bureau2.id, tree.office.id

    def counts(period):
        scope = Scope(ids, period, TODAY)
        return {k: REGISTRY.measures[k].count(scope) for k in _measure_keys()}

    y = counts(periods.year(2025))
    assert y["requests.received"] == {b: 5, b2: 4, o: 1}
    assert y["requests.concluded"] == {b: 4, b2: 1, o: 1}
    assert y["requests.answered"] == {b: 3, b2: 1, o: 1}
    assert y["requests.on_time"] == {b: 2, b2: 1}
    assert y["requests.late"] == {b: 1, o: 1}
    assert y["requests.overdue"] == {b: 1, b2: 1}  # D1 consulting and D2 waiting for a supplement are paused
    assert y["requests.outcome_granted"] == {b: 2}
    assert y["requests.outcome_deny"] == {b: 1}
    assert y["requests.outcome_oth"] == {b: 1}  # the withdrawal
    assert y["requests.outcome_np"] == {b2: 1}
    assert y["requests.outcome_na"] == {o: 1}
    assert y["requests.remedies"] == {b: 3}
    assert y["requests.reconsiderations"] == {b: 1}
    assert y["requests.lawsuits"] == {b: 2}
    assert y["requests.corrected"] == {b: 2}

    q1 = counts(periods.quarter(2025, 1))
    assert q1["requests.received"] == {b: 2}
    assert q1["requests.concluded"] == {b: 2} and q1["requests.on_time"] == {b: 2}
    assert q1["requests.late"] == {}  # C2 was answered on 30 April
    assert q1["requests.remedies"] == {b: 1}  # C1's lawsuit, still pending on 31 March
    assert q1["requests.corrected"] == {}
    assert q1["requests.overdue"] == y["requests.overdue"]  # a state today, whatever the period

    scope = Scope(ids, periods.year(2025), TODAY)
    late = REGISTRY.measures["requests.late"].items(scope.only(b), None, 0)
    assert [(it.reference, it.on) for it in late] == [(c.c2.reference, D(2025, 4, 30))]
    assert late[0].title == "2025年道路维修资金使用情况"  # what was asked, not who asked
    assert late[0].note == "Replied on 2025-04-30, due 2025-04-02"
    assert late[0].url == f"/staff/applications/{c.c2.id}"
    overdue = REGISTRY.measures["requests.overdue"].items(scope, None, 0)
    assert [it.reference for it in overdue] == [c.d4.reference, c.c4.reference]  # by due date
    # the ratios as the dashboard divides them
    on_time = REGISTRY.ratios["requests.on_time_rate"]
    assert on_time.value(y["requests.on_time"][b], y["requests.answered"][b]) == 66.7
    corrected = REGISTRY.ratios["requests.correction_rate"]
    assert corrected.value(2, 3) == 66.7 and corrected.lower_is_better

    # A year's figures are the annual report's tables 3 and 4 (国办公开办函〔2021〕30号).
    from disclosure.reports import compute, oversight

    for agency in (tree.office, tree.bureau, tree.bureau2):
        numbers = compute(agency, 2025)
        t3, t4 = numbers["table3"], numbers["table4"]

        def n(key, agency_id=agency.id):
            return y[key].get(agency_id, 0)

        assert n("requests.received") == t3["new"]["total"]
        assert n("requests.concluded") == t3["total"]["total"]
        for group in oversight.outcome_groups():
            assert n(f"requests.outcome_{group.key}") == sum(t3[row]["total"] for row in group.rows), group.key
        assert n("requests.remedies") == sum(block["total"] for block in t4.values())
        assert n("requests.corrected") == sum(block["corrected"] for block in t4.values())
        assert n("requests.reconsiderations") == t4["reconsideration"]["total"]


def test_the_outcome_groups_cover_every_outcome(app_ctx):
    """Each outcome the correspondence table knows counts in exactly one group (table 3's blocks)."""
    from disclosure.correspondence import OUTCOMES
    from disclosure.reports import oversight
    from disclosure.supervision.figures import requests as figures

    groups = oversight.outcome_groups()
    assert [g.key for g in groups] == ["granted", "partial", "deny", "na", "np", "oth"]
    seen = [o for g in groups for o in g.outcomes]
    assert sorted(seen) == sorted(o.value for o in OUTCOMES)
    assert [g.key for g in groups if g.with_withdrawn] == ["oth"]
    assert set(figures.GROUP_LABELS) == {g.key for g in groups}


def test_no_agency_no_query(app_ctx):
    scope = Scope((), periods.year(2025), TODAY)
    for key in _measure_keys():
        assert REGISTRY.measures[key].count(scope) == {}
        assert REGISTRY.measures[key].items(scope, None, 0) == []
