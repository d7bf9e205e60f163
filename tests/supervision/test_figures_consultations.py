"""The public-consultation figures (issue 14 §1) equal the records behind them: each measure is recomputed here
from the consultations and comments, one by one, over the tree's agencies and several periods; agencies outside
the scope are never counted; the drill-down lists are exactly the records counted; the feedback deadline is 20
working days after the close of comments (条例 Art. 26 applied to the adoption status)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.supervision.builders import consultations as builder

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def world(tree, app):
    builder.build(tree, TODAY)
    with app.test_request_context("/"):
        yield tree


def _periods():
    from disclosure.supervision import periods

    return [
        periods.custom(TODAY - dt.timedelta(days=100), TODAY),
        periods.quarter(2026, 1),
        periods.quarter(2026, 2),
        periods.month(2026, 5),
        periods.year(2026),
        periods.year(2025),
    ]


def _scope(ids, period, today=TODAY):
    from disclosure.supervision.measures import Scope

    return Scope(tuple(ids), period, today)


def _beijing(moment: dt.datetime) -> dt.date:
    from disclosure.core.timeutil import CHINA_TZ

    return moment.astimezone(CHINA_TZ).date()


def expected(key: str, period, today=TODAY) -> Counter:
    """What the measure `consultations.<key>` must count, from the records one by one."""
    from disclosure.extensions import db
    from disclosure.participation.models import Comment, Consultation
    from disclosure.workdays import add_working_days

    consultations = list(db.session.execute(db.select(Consultation)).scalars())

    def due(c) -> dt.date:
        return add_working_days(c.closes_on, 20).due

    if key == "held":
        return Counter(c.agency_id for c in consultations if c.opened_at and period.contains(_beijing(c.opened_at)))
    if key == "comments":
        comments = db.session.execute(db.select(Comment)).scalars()
        return Counter(cm.agency_id for cm in comments if period.contains(cm.received_on))
    published = [
        c for c in consultations if c.answers_published_at and period.contains(_beijing(c.answers_published_at))
    ]
    if key == "feedback_published":
        return Counter(c.agency_id for c in published)
    if key == "feedback_on_time":
        return Counter(c.agency_id for c in published if _beijing(c.answers_published_at) <= due(c))
    if key == "feedback_late":
        return Counter(c.agency_id for c in published if _beijing(c.answers_published_at) > due(c))
    if key == "feedback_overdue":
        waiting = ("open", "closed", "feedback_drafted", "feedback_approved")
        return Counter(
            c.agency_id for c in consultations if c.state in waiting and not c.answers_published_at and today > due(c)
        )
    raise AssertionError(key)


KEYS = ("held", "comments", "feedback_published", "feedback_on_time", "feedback_late", "feedback_overdue")


def test_every_measure_equals_its_records_over_the_tree_and_periods(world):
    from disclosure.supervision.measures import REGISTRY

    tree = world
    inside = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    for period in _periods():
        scope = _scope(inside, period)
        for key in KEYS:
            measure = REGISTRY.measures[f"consultations.{key}"]
            want = {a: n for a, n in expected(key, period).items() if a in inside and n}
            got = {a: n for a, n in measure.count(scope).items() if n}
            assert got == want, (key, period)
            items = measure.items(scope, None, 0)
            assert len(items) == sum(got.values()), (key, period)
            assert Counter(i.agency_id for i in items) == Counter(got), (key, period)
            assert measure.items(scope, 1, 1) == items[1:2], (key, period)


def test_the_figures_as_the_builder_describes_them(world):
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    b, b2 = tree.bureau.id, tree.bureau2.id
    scope = _scope((tree.office.id, b, b2), periods.custom(TODAY - dt.timedelta(days=100), TODAY))

    def count(key, s=scope):
        return {a: n for a, n in REGISTRY.measures[f"consultations.{key}"].count(s).items() if n}

    assert count("held") == {b: 3, b2: 2}
    # The first consultation's four (a duplicate and a letter among them), the running one's, bureau2's two.
    assert count("comments") == {b: 5, b2: 1}
    assert count("feedback_published") == {b: 1, b2: 1}
    assert count("feedback_on_time") == {b: 1}
    assert count("feedback_late") == {b2: 1}
    assert count("feedback_overdue") == {b2: 1}
    rate = REGISTRY.ratios["consultations.feedback_on_time_rate"]
    assert rate.value(1, 2) == 50.0
    assert (rate.numerator, rate.denominator) == ("consultations.feedback_on_time", "consultations.feedback_published")

    [late] = REGISTRY.measures["consultations.feedback_late"].items(scope, None, 0)
    assert late.on == TODAY - dt.timedelta(days=40)
    assert late.url.startswith("/staff/participation/")
    letters = [i for i in REGISTRY.measures["consultations.comments"].items(scope, None, 0) if i.agency_id == b]
    assert [i.on for i in letters] == sorted(i.on for i in letters)
    assert all("/comments/" in i.url for i in letters)


def test_agencies_outside_the_scope_are_never_counted(world):
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    period = periods.year(2026)
    alone = _scope((tree.outsider.id,), period)
    for key in KEYS:
        measure = REGISTRY.measures[f"consultations.{key}"]
        assert set(measure.count(alone)) <= {tree.outsider.id}, key
        assert {i.agency_id for i in measure.items(alone, None, 0)} <= {tree.outsider.id}, key
        assert tree.outsider.id not in measure.count(_scope((tree.bureau.id, tree.bureau2.id), period)), key
        assert measure.count(_scope((), period)) == {}, key
    assert REGISTRY.measures["consultations.held"].count(alone) == {tree.outsider.id: 1}
    assert REGISTRY.measures["consultations.comments"].count(alone) == {tree.outsider.id: 1}


def test_feedback_overdue_is_a_state_today(world):
    """Overdue follows today: two months on, bureau2's last consultation and the bureau's running one (its end
    passed, even if the closing task has not run) are overdue too; the withdrawn one never is."""
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY

    tree = world
    measure = REGISTRY.measures["consultations.feedback_overdue"]
    assert measure.now and measure.lower_is_better
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    later = TODAY + dt.timedelta(days=60)
    assert measure.count(_scope(ids, periods.year(2020), later)) == {tree.bureau.id: 1, tree.bureau2.id: 2}
    assert measure.count(_scope(ids, periods.year(2020), later)) == {
        a: n for a, n in expected("feedback_overdue", periods.year(2020), later).items() if a in ids
    }
    items = measure.items(_scope(ids, periods.year(2020), later), None, 0)
    assert [i.on for i in items] == sorted(i.on for i in items) and len(items) == 3


def test_the_feedback_deadline_counts_working_days_from_the_close(app_ctx):
    from disclosure.participation import oversight

    assert oversight.FEEDBACK_DUE_WORKING_DAYS == 20
    # 20 working days after Monday 2026-09-28 run across the National Day holiday to 2026-10-30 (proactive-china §3).
    assert oversight.feedback_due(dt.date(2026, 9, 28)) == dt.date(2026, 10, 30)
    cutoff = oversight.feedback_cutoff(dt.date(2026, 10, 31))
    assert oversight.feedback_due(cutoff) < dt.date(2026, 10, 31) <= oversight.feedback_due(cutoff + dt.timedelta(1))


def test_the_measures_are_registered_with_definitions(app_ctx):
    from disclosure.supervision.measures import REGISTRY
    from tests.supervision.conftest import in_english

    for key in KEYS:
        measure = REGISTRY.measures[f"consultations.{key}"]
        assert measure.area == "consultations"
        assert in_english(measure.definition)
    assert "20 working days" in in_english(REGISTRY.measures["consultations.feedback_on_time"].definition)
