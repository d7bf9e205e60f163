"""The proactive-disclosure figures (issue 14 §1) equal the records behind them: each measure is recomputed here
from the catalogue's entries, one by one, with the catalogue's own rules (`timeliness.judge`, the interpretation
lists, `validity.due_for_evaluation`), over the tree's agencies, for several periods; a joint document counts for
each issuer; agencies outside the scope are never counted; the drill-down lists are exactly the records counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.supervision.builders import proactive as builder

TODAY = dt.date(2026, 6, 30)  # a Tuesday; the records lie around it


@pytest.fixture
def world(tree, app):
    builder.build(tree, TODAY)
    with app.test_request_context("/"):
        yield tree


def _periods():
    from disclosure.supervision import periods

    return [
        periods.custom(TODAY - dt.timedelta(days=100), TODAY),
        periods.quarter(2026, 2),
        periods.month(2026, 6),
        periods.year(2025),
        periods.custom(TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=200)),
    ]


def _scope(ids, period, today=TODAY):
    from disclosure.supervision.measures import Scope

    return Scope(tuple(ids), period, today)


# --- The independent recomputation --------------------------------------------------------------------------------


def _entries():
    from disclosure.catalog.models import Entry
    from disclosure.extensions import db

    return list(db.session.execute(db.select(Entry).order_by(Entry.id)).scalars())


def _issuers(entry) -> set[int]:
    from disclosure.catalog.operations import entries as ops

    return ops.issuing_agency_ids(entry)


def _per_issuer(entries) -> Counter:
    out: Counter = Counter()
    for e in entries:
        for a in _issuers(e):
            out[a] += 1
    return out


def expected(key: str, period, today=TODAY) -> Counter:
    """What the measure `proactive.<key>` must count, from the entries one by one."""
    from disclosure.catalog.models import EntryVersion
    from disclosure.catalog.operations import interpretations, validity
    from disclosure.catalog.timeliness import Timeliness, judge
    from disclosure.extensions import db
    from workflows.catalog import EDITING

    entries = _entries()
    proactive = [e for e in entries if e.attribute == "proactive"]
    if key == "published":
        return _per_issuer(e for e in proactive if period.contains(e.first_published_on))
    if key == "changes_published":
        out: Counter = Counter()
        for v in db.session.execute(db.select(EntryVersion)).scalars():
            e = next(x for x in entries if x.id == v.entry_id)
            if v.revision > 1 and v.attribute == "proactive" and period.contains(v.published_on):
                for a in _issuers(e):
                    out[a] += 1
        return out
    if key in ("judged", "on_time", "late"):
        judged = [e for e in proactive if e.state == "published" and e.due_on and period.contains(e.published_on)]
        wanted = {"judged": (Timeliness.ON_TIME, Timeliness.LATE), "on_time": (Timeliness.ON_TIME,)}
        wanted["late"] = (Timeliness.LATE,)
        return _per_issuer(e for e in judged if judge(e.due_on, e.published_on, today) in wanted[key])
    if key == "overdue":
        editing = {s.value for s in EDITING}
        return _per_issuer(
            e for e in proactive if e.state in editing and judge(e.due_on, None, today) == Timeliness.OVERDUE
        )
    if key in ("interpretations", "interpretations_on_time", "interpretations_late"):
        chosen = []
        for e in entries:
            if e.entry_type != "interpretation" or not e.is_public or not period.contains(e.first_published_on):
                continue
            docs = [
                d
                for d in interpretations.documents_of(e)
                if interpretations.is_policy_document(d) and d.is_public and d.first_published_on
            ]
            if not docs:
                continue
            late = any(e.first_published_on > interpretations.interpretation_due(d) for d in docs)
            if key == "interpretations" or late == (key == "interpretations_late"):
                chosen.append(e)
        return _per_issuer(chosen)
    agency_ids = {e.agency_id for e in entries}
    if key == "interpretations_missing":
        return _per_issuer(m.document for a in agency_ids for m in interpretations.missing_interpretations(a, today))
    if key == "evaluation_due":
        return _per_issuer(d for a in agency_ids for d in validity.due_for_evaluation(a, today))
    raise AssertionError(key)


KEYS = (
    "published",
    "changes_published",
    "judged",
    "on_time",
    "late",
    "overdue",
    "interpretations",
    "interpretations_on_time",
    "interpretations_late",
    "interpretations_missing",
    "evaluation_due",
)


# --- Tests --------------------------------------------------------------------------------------------------------


def test_every_measure_equals_its_records_over_the_tree_and_periods(world):
    from disclosure.supervision.measures import REGISTRY

    tree = world
    inside = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    for period in _periods():
        scope = _scope(inside, period)
        for key in KEYS:
            measure = REGISTRY.measures[f"proactive.{key}"]
            want = {a: n for a, n in expected(key, period).items() if a in inside and n}
            got = {a: n for a, n in measure.count(scope).items() if n}
            assert got == want, (key, period)
            items = measure.items(scope, None, 0)
            assert len(items) == sum(got.values()), (key, period)
            assert Counter(i.agency_id for i in items) == Counter(got), (key, period)
            assert tree.outsider.id not in {i.agency_id for i in items}


def test_the_figures_as_the_builder_describes_them(world):
    """The counts the builder's records must give, written out by hand (a check on the recomputation too)."""
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    b, b2, o = tree.bureau.id, tree.bureau2.id, tree.office.id
    scope = _scope((o, b, b2), periods.custom(TODAY - dt.timedelta(days=100), TODAY))

    def count(key):
        return {a: n for a, n in REGISTRY.measures[f"proactive.{key}"].count(scope).items() if n}

    # bureau: T-35, the joint T-30, the withdrawn T-45, the joint normative T-88 and its interpretation T-88;
    # bureau2: the joint T-30, the normative T-20 and T-1 (the on-request entry is not counted); the office: the
    # joint normative document it issued with the bureau.
    assert count("published") == {b: 5, b2: 3, o: 1}
    assert count("changes_published") == {b: 1}
    # Judged: the same minus the withdrawn entry, plus the changed entry's new version (on time from its change).
    assert count("judged") == {b: 5, b2: 3, o: 1}
    assert count("late") == {b: 1, b2: 1}
    assert count("on_time") == {b: 4, b2: 2, o: 1}
    assert count("overdue") == {b: 1, b2: 1}
    assert count("interpretations") == {b: 1}
    assert count("interpretations_on_time") == {b: 1}
    assert count("interpretations_late") == {}
    assert count("interpretations_missing") == {b: 1, b2: 1}
    assert count("evaluation_due") == {b: 2, o: 1}

    older = _scope((o, b, b2), periods.custom(TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=200)))
    late = REGISTRY.measures["proactive.interpretations_late"]
    assert late.count(older) == {b: 1}
    [item] = late.items(older, None, 0)
    assert item.on == TODAY - dt.timedelta(days=250)
    assert item.url.startswith("/staff/catalog/entries/")


def test_agencies_outside_the_scope_are_never_counted(world):
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    period = periods.custom(TODAY - dt.timedelta(days=100), TODAY)
    alone = _scope((tree.outsider.id,), period)
    bureau2 = _scope((tree.bureau2.id,), period)
    for key in KEYS:
        measure = REGISTRY.measures[f"proactive.{key}"]
        assert set(measure.count(alone)) <= {tree.outsider.id}, key
        assert set(measure.count(bureau2)) <= {tree.bureau2.id}, key
        assert {i.agency_id for i in measure.items(bureau2, None, 0)} <= {tree.bureau2.id}, key
    assert REGISTRY.measures["proactive.published"].count(alone) == {tree.outsider.id: 2}
    assert REGISTRY.measures["proactive.overdue"].count(alone) == {tree.outsider.id: 1}
    assert REGISTRY.measures["proactive.evaluation_due"].count(alone) == {tree.outsider.id: 1}
    # The joint document of the bureau counts for bureau2 alone when only bureau2 is looked at.
    assert REGISTRY.measures["proactive.late"].count(bureau2) == {tree.bureau2.id: 1}
    assert REGISTRY.measures["proactive.published"].count(_scope((), period)) == {}
    assert REGISTRY.measures["proactive.published"].items(_scope((), period), None, 0) == []


def test_drill_down_lists_page_in_a_stable_order(world):
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    scope = _scope((tree.office.id, tree.bureau.id, tree.bureau2.id), periods.year(2026))
    for key in KEYS:
        measure = REGISTRY.measures[f"proactive.{key}"]
        everything = measure.items(scope, None, 0)
        assert measure.items(scope, 2, 1) == everything[1:3], key
        assert all(i.url and i.reference and i.title for i in everything), key


def test_now_measures_follow_today_not_the_period(world):
    """Overdue, missing and due-for-evaluation are states today: the same in every period, changing with today."""
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    for key in ("overdue", "interpretations_missing", "evaluation_due"):
        measure = REGISTRY.measures[f"proactive.{key}"]
        assert measure.now and measure.lower_is_better
        counts = {measure.count(_scope(ids, p)).get(tree.bureau.id) for p in _periods()}
        assert len(counts) == 1, key
    # A year later every draft is overdue, bureau2's recent document misses its interpretation, and the joint
    # normative document (valid until T+60) has expired only on paper: still due for evaluation.
    later = TODAY + dt.timedelta(days=365)
    for key in ("overdue", "interpretations_missing", "evaluation_due"):
        measure = REGISTRY.measures[f"proactive.{key}"]
        want = {a: n for a, n in expected(key, periods.year(2027), later).items() if a in ids}
        assert measure.count(_scope(ids, periods.year(2027), later)) == want, key
    assert REGISTRY.measures["proactive.overdue"].count(_scope(ids, periods.year(2027), later)) == {
        tree.bureau.id: 2,
        tree.bureau2.id: 1,
    }


def test_settings_of_the_lead_issuer_decide_the_interpretation_and_evaluation_windows(world):
    from disclosure.catalog.operations import entries as ops
    from disclosure.extensions import db
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    settings = ops.settings_for(tree.bureau2.id)
    settings.interpretation_due_days = 30  # bureau2's document of T-20 is not missing yet
    bureau = ops.settings_for(tree.bureau.id)
    bureau.review_months_before_expiry = 1  # the joint document (valid until T+60) is not due yet
    db.session.commit()
    scope = _scope(ids, periods.year(2026))
    for key in ("interpretations_missing", "evaluation_due", "interpretations_late", "interpretations_on_time"):
        want = {a: n for a, n in expected(key, periods.year(2026)).items() if a in ids}
        assert REGISTRY.measures[f"proactive.{key}"].count(scope) == want, key
    assert REGISTRY.measures["proactive.interpretations_missing"].count(scope) == {tree.bureau.id: 1}
    assert REGISTRY.measures["proactive.evaluation_due"].count(scope) == {tree.bureau.id: 1}


def test_the_measures_are_registered_with_definitions_and_ratios(app_ctx):
    from disclosure.supervision.measures import REGISTRY
    from tests.supervision.conftest import in_english

    for key in KEYS:
        measure = REGISTRY.measures[f"proactive.{key}"]
        assert measure.area == "proactive"
        assert "joint document counts for each organ" in in_english(measure.definition)
    rate = REGISTRY.ratios["proactive.on_time_rate"]
    assert (rate.numerator, rate.denominator) == ("proactive.on_time", "proactive.judged")
    share = REGISTRY.ratios["proactive.interpretation_on_time_rate"]
    assert (share.numerator, share.denominator) == ("proactive.interpretations_on_time", "proactive.interpretations")
    assert in_english(REGISTRY.measures["proactive.overdue"].label) == "Overdue now"


def test_the_statements_write_the_partial_indexes_conditions(world):
    """A database uses a partial index only for a query that writes its condition: the policy documents', the
    interpretations' and the joint issuers' conditions are written as the indexes declare them."""
    from sqlalchemy import event

    from disclosure.catalog import oversight
    from disclosure.catalog.models import INTERPRETATION_INDEX_WHERE, JOINT_INDEX_WHERE, POLICY_INDEX_WHERE
    from disclosure.extensions import db

    tree = world
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        oversight.missing_interpretation_counts(ids, TODAY)
        oversight.interpretation_counts(ids, TODAY - dt.timedelta(days=400), TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    text = " ".join(seen)
    assert f"catalog_entries.{POLICY_INDEX_WHERE}" in text
    assert f"catalog_entries.{INTERPRETATION_INDEX_WHERE}" in text
    assert f"catalog_entry_issuers.{JOINT_INDEX_WHERE[db.engine.dialect.name]}" in text
