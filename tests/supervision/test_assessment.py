"""Assessment (考核, issue 14 §4): the scoring rules' arithmetic on fixed inputs, the indicators as data (defaults
from the registry, every bad input at once beside its field, nothing saved changes), an assessment over the `tree`
fixture whose scores follow the registry's figures (each measure counted once), adjustments with reasons, freezing,
publication and withdrawal, the XLSX, access per role, the demo.

Most tests read a registry of test figures (`fake`) whose counts the test sets, so the arithmetic is checked against
numbers worked out by hand; `test_defaults_and_an_assessment_on_the_real_registry` runs the built-in defaults on
whatever the areas register.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from disclosure.core.audit import AuditEvent
from disclosure.core.errors import DomainError, FieldErrors, NotAllowed
from disclosure.extensions import db
from disclosure.supervision import measures, periods
from disclosure.supervision.assessment import indicators as rules
from disclosure.supervision.assessment import operations as ops
from disclosure.supervision.assessment import scoring
from disclosure.supervision.assessment.models import Assessment, IndicatorScheme
from disclosure.supervision.assessment.scoring import Figure, Indicator

from .conftest import in_english

D = Decimal
TODAY = dt.date(2026, 3, 2)
YEAR = periods.year(2025)


# --- A registry of test figures -------------------------------------------------------------------------------------


class FakeFigures:
    """Measures whose counts the test sets (`data[key][agency_id]`), and how often each was counted."""

    def __init__(self):
        self.data: dict[str, dict[int, int]] = {}
        self.calls: dict[str, int] = {}
        self.registry = measures.Registry()

    def measure(self, key: str, area: str, *, lower: bool = False) -> measures.Measure:
        def count(scope):
            self.calls[key] = self.calls.get(key, 0) + 1
            return {a: n for a, n in self.data.get(key, {}).items() if a in scope.agency_ids and n}

        def items(scope, limit, offset):
            rows = [
                measures.Item(a, f"{key}-{a}-{i}", key, None, "/")
                for a in sorted(count(scope))
                for i in range(self.data[key][a])
            ]
            return rows[offset : None if limit is None else offset + limit]

        return measures.Measure(key, area, key, count, items, lower_is_better=lower, now=lower)

    def set(self, key: str, counts: dict) -> None:
        self.data[key] = {getattr(a, "id", a): n for a, n in counts.items()}


@pytest.fixture
def fake(monkeypatch):
    f = FakeFigures()
    r = f.registry
    r.add(
        f.measure("requests.concluded", "requests"),
        f.measure("requests.answered_on_time", "requests"),
        measures.Ratio(
            "requests.on_time_rate", "requests", "on time", "requests.answered_on_time", "requests.concluded"
        ),
        f.measure("requests.overdue_now", "requests", lower=True),
        f.measure("requests.remedies_decided", "requests"),
        f.measure("requests.remedies_corrected", "requests", lower=True),
        measures.Ratio(
            "requests.corrected_rate",
            "requests",
            "corrected",
            "requests.remedies_corrected",
            "requests.remedies_decided",
            lower_is_better=True,
        ),
        f.measure("proactive.published", "proactive"),
        f.measure("proactive.published_on_time", "proactive"),
        measures.Ratio(
            "proactive.on_time_rate", "proactive", "on time", "proactive.published_on_time", "proactive.published"
        ),
        f.measure("proactive.overdue_now", "proactive", lower=True),
        f.measure("proactive.interpretations_due", "proactive"),
        f.measure("proactive.interpretations_on_time", "proactive"),
        measures.Ratio(
            "proactive.interpretations_on_time_rate",
            "proactive",
            "interpretations on time",
            "proactive.interpretations_on_time",
            "proactive.interpretations_due",
        ),
        f.measure("columns.veto_flags", "columns", lower=True),
        f.measure("reports.late", "reports", lower=True),
        f.measure("reports.overdue", "reports", lower=True),
    )
    monkeypatch.setattr(measures, "REGISTRY", r)
    return f


# The office's own indicators in the tests below.
ROWS = [
    {"name": "按时答复率", "figure": "requests.on_time_rate", "weight": "40", "rule": "rate", "target": "90",
     "floor": "50", "no_data": "exclude"},
    {"name": "超期未答复", "figure": "requests.overdue_now", "weight": "30", "rule": "deduct", "per_item": "5",
     "no_data": "full"},
    {"name": "栏目单项否决", "figure": "columns.veto_flags", "weight": "20", "rule": "flag", "no_data": "full"},
    {"name": "纠错率", "figure": "requests.corrected_rate", "weight": "10", "rule": "rate", "target": "0",
     "floor": "20", "no_data": "full"},
]  # fmt: skip


def _world(fake, tree):
    """bureau: 7 of 10 on time (70 %: 20 of 40), 2 overdue (30 - 10 = 20), no veto (20), no remedy (no data: 10) = 70.
    bureau2: nothing concluded (left out: 30/20/10 share 100 as 50/33.33/16.67), none overdue (50), a veto (0), 1 of
    4 corrected (25 % ≥ 20 %: 0) = 50. office: 4 of 4 (40), 7 overdue (0), no veto (20), 0 of 5 corrected (10) = 70.
    outsider: counted by no assessment of the office."""
    fake.set("requests.concluded", {tree.bureau: 10, tree.office: 4, tree.outsider: 9})
    fake.set("requests.answered_on_time", {tree.bureau: 7, tree.office: 4, tree.outsider: 1})
    fake.set("requests.overdue_now", {tree.bureau: 2, tree.office: 7})
    fake.set("columns.veto_flags", {tree.bureau2: 1, tree.outsider: 3})
    fake.set("requests.remedies_decided", {tree.bureau2: 4, tree.office: 5})
    fake.set("requests.remedies_corrected", {tree.bureau2: 1})


def _scheme(tree, rows=ROWS):
    ops.save_indicators(tree.office.id, tree.supervisor, rows)
    db.session.commit()


def _start(tree, include_own=True, **kw) -> Assessment:
    a = ops.start(tree.office, tree.supervisor, period=YEAR, include_own=include_own, today=TODAY, **kw)
    db.session.commit()
    return a


def _totals(a: Assessment) -> dict[int, tuple]:
    return {e.agency_id: (e.total, e.rank) for e in a.entries}


def _points(a: Assessment, agency) -> list:
    entry = ops.entry_of(a, agency.id)
    return [None if s.excluded else s.final_points for s in entry.scores]


# --- The rules' arithmetic ------------------------------------------------------------------------------------------


def _ind(rule, weight="20", **kw) -> Indicator:
    kind = scoring.RATIO if rule == "rate" else scoring.MEASURE
    return Indicator(name="x", figure="k", weight=D(weight), rule=rule, kind=kind, **kw)


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(90, 100, "20.00"), (95, 100, "20.00"), (60, 100, "0.00"), (59, 100, "0.00"), (75, 100, "10.00"),
     (8999, 10000, "20.00"), (2, 3, "4.47")],
)  # fmt: skip
def test_rate_full_at_target_zero_at_floor_linear_between(num, den, expected):
    """Target 90 %, floor 60 %, weight 20. 8999/10000 shows as 90.0 % and meets the target; 2/3 shows as 66.7 %:
    (66.7 - 60) / 30 × 20 = 4.47."""
    ind = _ind("rate", target=D(90), floor=D(60))
    lines, total = scoring.score(
        [ind, _ind("flag", weight="80")], [Figure(numerator=num, denominator=den), Figure(count=0)]
    )
    assert lines[0].max_points == D(20) and lines[0].points == D(expected)
    assert total == D(expected) + 80


@pytest.mark.parametrize(
    ("num", "den", "share"), [(5, 100, 1), (4, 100, 1), (25, 100, 0), (30, 100, 0), (15, 100, "0.5")]
)
def test_rate_lower_is_better_reversed(num, den, share):
    ind = _ind("rate", target=D(5), floor=D(25), lower_is_better=True)
    assert scoring.achievement(ind, Figure(numerator=num, denominator=den)) == D(share)


@pytest.mark.parametrize(("count", "points"), [(0, "10.00"), (1, "8.00"), (3, "4.00"), (5, "0.00"), (7, "0.00")])
def test_deduct_points_per_item_never_below_zero(count, points):
    ind = _ind("deduct", weight="10", per_item=D(2))
    other = _ind("flag", weight="90")
    lines, total = scoring.score([ind, other], [Figure(count=count), Figure(count=0)])
    assert lines[0].points == D(points)
    assert total == D(points) + 90


@pytest.mark.parametrize(("count", "share"), [(0, 1), (1, 0), (12, 0)])
def test_flag_single_veto(count, share):
    assert scoring.achievement(_ind("flag"), Figure(count=count)) == share


def test_no_data_full_marks_or_weight_shared():
    rate_full = _ind("rate", weight="50", target=D(90), floor=D(60), no_data="full")
    rate_out = _ind("rate", weight="20", target=D(90), floor=D(60), no_data="exclude")
    flag = _ind("flag", weight="30")
    nothing = Figure(numerator=0, denominator=0)
    assert nothing.percent is None and not nothing.has_data
    lines, total = scoring.score([rate_full, rate_out, flag], [nothing, nothing, Figure(count=0)])
    assert [line.max_points for line in lines] == [D("62.50"), D(0), D("37.50")]
    assert [line.points for line in lines] == [D("62.50"), None, D("37.50")]
    assert [line.excluded for line in lines] == [False, True, False]
    assert total == D(100)
    lines, total = scoring.score([rate_out], [nothing])
    assert total is None and lines[0].points is None


def test_apportion_always_adds_up_to_100():
    assert scoring.apportion([D(1), D(1), D(1)], [True] * 3) == [D("33.34"), D("33.33"), D("33.33")]
    assert scoring.apportion([D(30), D(20), D(10), D(40)], [True, True, True, False]) == [
        D("50.00"),
        D("33.33"),
        D("16.67"),
        D(0),
    ]
    assert scoring.apportion([D(40), D(60)], [False, False]) == [D(0), D(0)]
    assert scoring.ranks({1: D(70), 2: D(50), 3: D(70), 4: None}) == {1: 1, 2: 3, 3: 1, 4: None}


def test_indicator_round_trip():
    ind = _ind("rate", weight="12.5", target=D("95.5"), floor=D(60), lower_is_better=False)
    assert Indicator.from_json(ind.as_json()) == ind
    assert ind.as_json()["weight"] == "12.5"


# --- Indicators as data ---------------------------------------------------------------------------------------------


def test_defaults_built_from_the_registry_sum_to_100(fake, app_ctx):
    items = rules.default_indicators()
    assert [i["figure"] for i in items] == [
        "requests.on_time_rate",
        "requests.overdue_now",
        "proactive.on_time_rate",
        "proactive.overdue_now",
        "proactive.interpretations_on_time_rate",
        "columns.veto_flags",
        "requests.corrected_rate",
        "reports.late",
        "reports.overdue",
    ]
    assert sum(D(i["weight"]) for i in items) == 100
    corrected = next(i for i in items if i["figure"] == "requests.corrected_rate")
    assert (corrected["rule"], corrected["target"], corrected["floor"]) == ("rate", "0", "20")
    assert rules.check(items) == items  # the defaults pass the editor's own check


def test_defaults_left_out_when_their_figure_is_missing_the_rest_scaled(fake, app_ctx, monkeypatch):
    small = measures.Registry()
    for key in ("requests.concluded", "requests.answered_on_time", "columns.veto_flags"):
        small.add(fake.registry.measures[key])
    small.add(fake.registry.ratios["requests.on_time_rate"])
    monkeypatch.setattr(measures, "REGISTRY", small)
    items = rules.default_indicators()
    assert [(i["figure"], i["weight"]) for i in items] == [
        ("requests.on_time_rate", "67"),
        ("columns.veto_flags", "33"),
    ]
    monkeypatch.setattr(measures, "REGISTRY", measures.Registry())
    assert rules.default_indicators() == []


def _errors(rows) -> dict:
    with pytest.raises(FieldErrors) as exc:
        rules.check(rows)
    return {k: in_english(v) for k, v in exc.value.errors.items()}


def test_bad_indicators_every_problem_beside_its_field(fake, app_ctx):
    rows = [
        {**ROWS[0], "target": "40"},  # target below floor
        {**ROWS[1], "figure": "requests.nonsense"},  # unknown key
        {**ROWS[2], "rule": "rate"},  # a rate on a count
        {**ROWS[3], "target": "30"},  # lower is better: target must be below the floor
        {"name": "", "figure": "requests.overdue_now", "weight": "abc", "rule": "deduct", "per_item": "0"},
        {"name": "超期", "figure": "requests.overdue_now", "weight": "5", "rule": "deduct", "per_item": "6"},
        {"name": "按时答复率", "figure": "requests.on_time_rate", "weight": "5", "rule": "flag", "no_data": "maybe"},
        {"name": "", "figure": "", "weight": ""},  # blank: ignored
    ]
    errors = _errors(rows)
    assert errors["rows_0_target"].startswith("Full marks must need a higher rate than zero marks")
    assert "50" in errors["rows_0_target"]
    assert errors["rows_1_figure"] == "No figure is registered under “requests.nonsense”: choose one from the list."
    assert errors["rows_2_rule"].startswith("A rate reads a percentage, and this figure is a count")
    assert errors["rows_3_target"].startswith("Lower is better for this figure")
    assert errors["rows_4_name"] == "Name the indicator."
    assert errors["rows_4_weight"].startswith("A weight in points")
    assert errors["rows_4_per_item"].startswith("Points off per item: more than 0")
    assert errors["rows_5_per_item"] == "Points off per item cannot exceed the indicator's weight (5)."
    assert errors["rows_6_name"] == "Another indicator has this name."
    assert errors["rows_6_rule"].startswith("Deductions and single vetoes read a count")
    assert errors["rows_6_no_data"] == "Choose full marks or leaving the indicator out."
    assert "rows_7_name" not in errors
    assert "weights" not in errors  # a bad weight hides the sum, which could not be right


def test_weights_must_add_up_to_100(fake, app_ctx):
    rows = [dict(r) for r in ROWS]
    rows[0]["weight"] = "45.5"
    assert _errors(rows) == {"weights": "The weights add up to 105.5 points; they must add up to exactly 100."}
    rows[0]["remove"] = True
    assert _errors(rows)["weights"] == "The weights add up to 60 points; they must add up to exactly 100."
    assert _errors([])["weights"] == "Define at least one indicator."
    assert _errors([dict(ROWS[1], name=f"n{i}", weight="1") for i in range(31)])["weights"] == "At most 30 indicators."


def test_saving_indicators_nothing_saved_on_error_and_audited(fake, tree, app_ctx):
    _scheme(tree)
    scheme = ops.scheme_of(tree.office.id)
    before = list(scheme.indicators)
    with pytest.raises(FieldErrors):
        ops.save_indicators(tree.office.id, tree.supervisor, [dict(ROWS[0], weight="99")])
    db.session.rollback()
    assert ops.scheme_of(tree.office.id).indicators == before
    assert ops.indicators_for(tree.office.id) == (before, "agency")
    assert ops.indicators_for(tree.bureau.id)[1] == "built-in"
    with pytest.raises(NotAllowed):
        ops.save_indicators(tree.office.id, tree.head, ROWS)  # an office head edits no indicators
    with pytest.raises(NotAllowed):
        ops.save_indicators(None, tree.supervisor, ROWS)  # the defaults are the system administrator's
    event = db.session.execute(
        select(AuditEvent).where(
            AuditEvent.object_type == "assessment_scheme", AuditEvent.object_id == str(tree.office.id)
        )
    ).scalar_one()
    assert event.action == "assessment_indicators.saved" and event.after["indicators"][0]["name"] == "按时答复率"


# --- An assessment over the tree ------------------------------------------------------------------------------------


def test_scores_follow_the_registry_figures_each_counted_once(fake, tree, app_ctx):
    _world(fake, tree)
    _scheme(tree)
    a = _start(tree)
    assert {e.agency_id for e in a.entries} == {tree.office.id, tree.bureau.id, tree.bureau2.id}  # not the outsider
    assert all(n == 1 for n in fake.calls.values()) and len(fake.calls) == 6  # each measure once for all agencies
    assert _points(a, tree.bureau) == [D(20), D(20), D(20), D(10)]
    assert _points(a, tree.bureau2) == [None, D(50), D(0), D(0)]
    assert _points(a, tree.office) == [D(40), D(0), D(20), D(10)]
    assert _totals(a) == {tree.bureau.id: (D(70), 1), tree.office.id: (D(70), 1), tree.bureau2.id: (D(50), 3)}
    b2 = ops.entry_of(a, tree.bureau2.id).scores
    assert [s.max_points for s in b2] == [D(0), D(50), D("33.33"), D("16.67")]
    assert (b2[3].numerator, b2[3].denominator, b2[3].percent) == (1, 4, D("25.0"))
    assert (b2[0].has_data, b2[0].excluded) == (False, True)
    bureau = ops.entry_of(a, tree.bureau.id).scores
    assert (bureau[0].numerator, bureau[0].denominator, bureau[0].percent, bureau[1].count) == (7, 10, D("70.0"), 2)
    assert a.computed_on == TODAY and a.title == "2025年度政务公开工作考核" and a.state == "draft"
    # Without the office itself
    other = ops.start(tree.office, tree.supervisor, period=periods.quarter(2025, 4), today=TODAY)
    assert {e.agency_id for e in other.entries} == {tree.bureau.id, tree.bureau2.id}


def test_recompute_in_draft_adjust_then_frozen_when_finalised(fake, tree, app_ctx):
    _world(fake, tree)
    _scheme(tree)
    a = _start(tree)
    fake.set("requests.answered_on_time", {tree.bureau: 9, tree.office: 4})
    ops.recompute(a, tree.supervisor, today=TODAY)
    assert _totals(a)[tree.bureau.id] == (D(90), 1)
    ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=2, points="15", reason="栏目抽查发现错链")
    assert _points(a, tree.bureau) == [D(40), D(20), D(15), D(10)]
    assert _totals(a) == {tree.bureau.id: (D(85), 1), tree.office.id: (D(70), 2), tree.bureau2.id: (D(50), 3)}
    score = ops.entry_of(a, tree.bureau.id).scores[2]
    assert score.adjusted and score.points == D(20) and score.adjust_reason == "栏目抽查发现错链"
    # A recomputation keeps the adjustment
    ops.recompute(a, tree.supervisor, today=TODAY)
    assert _points(a, tree.bureau)[2] == D(15)
    ops.finalise(a, tree.supervisor)
    db.session.commit()
    fake.set("requests.answered_on_time", {tree.bureau: 1, tree.office: 0})
    fake.set("columns.veto_flags", {tree.bureau: 5})
    with pytest.raises(DomainError) as exc:
        ops.recompute(a, tree.supervisor, today=TODAY)
    assert in_english(exc.value.message) == "This assessment cannot do that in its present state."
    with pytest.raises(DomainError):
        ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=0, points="1", reason="x")
    db.session.rollback()
    a = db.session.get(Assessment, a.id)
    assert _totals(a)[tree.bureau.id] == (D(85), 1)  # frozen: later data changes do not move it
    actions = [e.action for e in a.audit_events()]
    assert actions == [
        "assessment.started",
        "assessment.recomputed",
        "assessment.adjusted",
        "assessment.recomputed",
        "assessment.finalised",
    ]
    adjusted = a.audit_events()[2]
    assert adjusted.reason == "栏目抽查发现错链" and adjusted.before["points"] == "20.00"
    assert adjusted.after == {
        "agency": tree.bureau.full_name,
        "indicator": "栏目单项否决",
        "points": "15",
        "total": "85.00",
    }


def test_adjustment_bad_input_and_removal(fake, tree, app_ctx):
    _world(fake, tree)
    _scheme(tree)
    a = _start(tree)
    with pytest.raises(FieldErrors) as exc:
        ops.adjust(a, tree.supervisor, agency_id=tree.bureau2.id, position=0, points="abc", reason=" ")
    errors = {k: in_english(v) for k, v in exc.value.errors.items()}
    assert errors["position"].startswith("This indicator was left out for the agency")
    assert errors["points"] == "Points with at most two decimals, from 0 up."
    assert errors["reason"] == "Say why the score is adjusted: the reason is shown beside it."
    with pytest.raises(FieldErrors) as exc:
        ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=1, points="30.5", reason="r")
    assert in_english(exc.value.errors["points"]) == "At most the indicator's 30 points."
    with pytest.raises(FieldErrors) as exc:
        ops.adjust(a, tree.supervisor, agency_id=tree.outsider.id, position=9, points="1", reason="r")
    assert set(exc.value.errors) == {"agency_id", "position"}
    with pytest.raises(NotAllowed):
        ops.adjust(a, tree.head, agency_id=tree.bureau.id, position=1, points="1", reason="r")
    with pytest.raises(DomainError):
        ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=1, points="", reason="r")  # nothing to undo
    ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=1, points="0", reason="严重超期")
    assert _totals(a)[tree.bureau.id] == (D(50), 2)
    ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=1, points="", reason="复核后恢复")
    assert _totals(a)[tree.bureau.id] == (D(70), 1)
    assert not ops.entry_of(a, tree.bureau.id).scores[1].adjusted
    assert a.audit_events()[-1].action == "assessment.adjustment_removed"


def test_start_bad_input(fake, tree, app_ctx, make_staff):
    with pytest.raises(FieldErrors) as exc:
        ops.start(tree.office, tree.supervisor, period=periods.year(2027), today=TODAY, title="x" * 201)
    errors = {k: in_english(v) for k, v in exc.value.errors.items()}
    assert errors == {
        "title": "At most 200 characters.",
        "period": "The period has not begun yet: choose one that has.",
    }
    _scheme(tree)
    _start(tree)
    with pytest.raises(FieldErrors) as exc:
        ops.start(tree.office, tree.supervisor, period=YEAR, today=TODAY)
    assert in_english(exc.value.errors["period"]).startswith("An assessment of this period exists already")
    with pytest.raises(NotAllowed):
        ops.start(tree.office, tree.head, period=YEAR, today=TODAY)
    with pytest.raises(FieldErrors) as exc:  # a leaf agency has nobody under it
        ops.start(tree.outsider, _outsider_supervisor(tree, make_staff), period=YEAR, today=TODAY)
    assert in_english(exc.value.errors["include_own"]).startswith("No agency is under yours to assess")


def _outsider_supervisor(tree, make_staff):
    from disclosure.accounts.roles import Role

    return make_staff(tree.outsider, roles=[Role.SUPERVISOR])


def test_a_figure_no_longer_registered(fake, tree, app_ctx, monkeypatch):
    _world(fake, tree)
    _scheme(tree)
    a = _start(tree)
    smaller = measures.Registry()
    smaller.measures = {k: v for k, v in fake.registry.measures.items() if k != "columns.veto_flags"}
    smaller.ratios = dict(fake.registry.ratios)
    monkeypatch.setattr(measures, "REGISTRY", smaller)
    with pytest.raises(DomainError) as exc:
        ops.recompute(a, tree.supervisor, today=TODAY)
    assert "“栏目单项否决”" in in_english(exc.value.message)
    db.session.rollback()
    with pytest.raises(DomainError) as exc:
        ops.start(tree.office, tree.supervisor, period=periods.year(2024), today=TODAY)
    assert "no longer registered" in in_english(exc.value.message)


# --- Pages, publication, access ------------------------------------------------------------------------------------


def _ready(fake, tree) -> Assessment:
    _world(fake, tree)
    _scheme(tree)
    a = _start(tree)
    ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=0, points="18", reason="抽查发现答复不规范")
    db.session.commit()
    return a


def _post(client, url, **data):
    return client.post(url, data=data)


def test_pages_and_workflow_through_the_web(fake, tree, use, client):
    a = _ready(fake, tree)
    en = use(tree.supervisor)
    page = en.get(f"/staff/supervision/assessments/{a.id}").get_data(as_text=True)
    assert "Draft" in page and "2025年度政务公开工作考核" in page
    assert "(adjusted from 20.00)" in page and "68.00" in page
    agency = en.get(f"/staff/supervision/assessments/{a.id}/agencies/{tree.bureau.id}").get_data(as_text=True)
    assert "抽查发现答复不规范" in agency and "70.0 % (7 / 10)" in agency and 'name="reason"' in agency
    # adjust through the form: a missing reason is shown beside its field, nothing saved
    resp = _post(en, f"/staff/supervision/assessments/{a.id}/agencies/{tree.bureau.id}/adjust", version=a.version,
                 position="1", points="10", reason="")  # fmt: skip
    assert resp.status_code == 422
    assert 'id="reason-error">Say why the score is adjusted' in resp.get_data(as_text=True)
    resp = _post(en, f"/staff/supervision/assessments/{a.id}/agencies/{tree.bureau.id}/adjust", version=a.version,
                 position="1", points="99", reason="x")  # fmt: skip
    assert "At most the indicator&#39;s 30 points." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert ops.entry_of(db.session.get(Assessment, a.id), tree.bureau.id).total == D(68)
    # workflow
    for step in ("finalise", "publish"):
        a = db.session.get(Assessment, a.id)
        resp = _post(en, f"/staff/supervision/assessments/{a.id}/{step}", version=a.version)
        assert resp.status_code == 302, step
    a = db.session.get(Assessment, a.id)
    assert a.state == "published" and a.published_at
    # a stale version is refused, nothing changes
    resp = _post(en, f"/staff/supervision/assessments/{a.id}/withdraw", version=a.version - 1, reason="数据有误")
    assert resp.status_code == 409
    resp = _post(en, f"/staff/supervision/assessments/{a.id}/withdraw", version=a.version, reason="  ")
    assert resp.status_code == 422 and 'id="reason-error">Say why.' in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Assessment, a.id).state == "published"

    public = client.get(f"/supervision/assessments/{a.id}").get_data(as_text=True)
    assert "名次" in public and "按时答复率（40.00分）" in public and "抽查发现答复不规范" in public
    assert re.search(r"<td>1</td><th scope=\"row\">" + re.escape(tree.office.full_name), public)
    assert f"/supervision/assessments/{a.id}" in client.get("/supervision/assessments").get_data(as_text=True)

    resp = _post(en, f"/staff/supervision/assessments/{a.id}/withdraw", version=a.version, reason="数据有误，重新核定")
    assert resp.status_code == 302
    gone = client.get(f"/supervision/assessments/{a.id}")
    assert gone.status_code == 410 and "数据有误，重新核定" in gone.get_data(as_text=True)
    assert client.get(f"/supervision/assessments/{a.id}/results.xlsx").status_code == 410
    assert f'/supervision/assessments/{a.id}"' not in client.get("/supervision/assessments").get_data(as_text=True)
    a = db.session.get(Assessment, a.id)
    assert [e.reason for e in a.audit_events() if e.action == "assessment.withdrawn"] == ["数据有误，重新核定"]
    resp = _post(en, f"/staff/supervision/assessments/{a.id}/reopen", version=a.version, reason="重新核定数据")
    assert resp.status_code == 302
    assert db.session.get(Assessment, a.id).state == "draft"
    assert client.get(f"/supervision/assessments/{a.id}").status_code == 404


def test_xlsx_chinese_headers_formula_safe(fake, tree, use, client):
    _world(fake, tree)
    _scheme(tree, [dict(ROWS[0], name='=HYPERLINK("http://x")'), *ROWS[1:]])
    a = _start(tree, title="=cmd|' /C calc'!A0")
    ops.adjust(a, tree.supervisor, agency_id=tree.bureau.id, position=1, points="1", reason="@SUM(A1)")
    ops.finalise(a, tree.supervisor)
    ops.publish(a, tree.supervisor)
    db.session.commit()
    for resp in (
        use(tree.supervisor).get(f"/staff/supervision/assessments/{a.id}/results.xlsx"),
        client.get(f"/supervision/assessments/{a.id}/results.xlsx"),
    ):
        assert resp.status_code == 200
        wb = load_workbook(io.BytesIO(resp.data))
        ws = wb["考核结果"]
        assert ws["A1"].value == "'=cmd|' /C calc'!A0"
        assert [c.value for c in ws[3]][:4] == ["名次", "单位", "总分", '\'=HYPERLINK("http://x")（40分）']
        rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
        assert rows[tree.bureau.full_name][:4] == (2, tree.bureau.full_name, 51.0, 20.0)
        assert "'@SUM(A1)" not in rows[tree.bureau.full_name][-1]  # inside a longer text: no formula start
        assert rows[tree.bureau2.full_name][3] == "不计入"
        assert [c.value for c in wb["得分明细"][1]] == [
            "单位",
            "指标",
            "数据",
            "满分",
            "计算得分",
            "调整后得分",
            "调整理由",
        ]
        assert any(r[6] == "'@SUM(A1)" for r in wb["得分明细"].iter_rows(min_row=2, values_only=True))
        assert wb["考核指标"]["E2"].value == "比率不低于90%得满分，不高于50%不得分，其间按比例计分"
        for sheet in wb:
            for row in sheet.iter_rows(values_only=True):
                assert not any(isinstance(v, str) and v[:1] in "=+-@" for v in row)


def test_access_per_role(fake, tree, use, client, make_staff):
    from disclosure.accounts.roles import Role

    a = _ready(fake, tree)
    staff = f"/staff/supervision/assessments/{a.id}"
    own = f"{staff}/agencies/{tree.bureau.id}"
    other = f"{staff}/agencies/{tree.bureau2.id}"
    # a draft: the supervisor and a system administrator only
    assert use(tree.supervisor).get(staff).status_code == 200
    admin = make_staff(tree.outsider, roles=[Role.SYS_ADMIN])
    assert use(admin).get(staff).status_code == 200
    for user in (tree.head, tree.admin, tree.outsider_head, _outsider_supervisor(tree, make_staff)):
        en = use(user)
        assert en.get(staff).status_code == 404
        assert en.get(own).status_code == 404
    assert use(tree.handler).get(staff).status_code == 403
    assert client.get(f"/supervision/assessments/{a.id}").status_code == 404
    assert use(tree.head).post(f"{staff}/finalise", data={"version": a.version}).status_code == 403
    ops.finalise(db.session.get(Assessment, a.id), tree.supervisor)
    db.session.commit()
    # finalised: the assessed agency's head sees its own scores, not the others', not the table
    en = use(tree.head)
    assert en.get(staff).headers["Location"].endswith(own)
    page = en.get(own).get_data(as_text=True)
    assert "抽查发现答复不规范" in page and "Rank 2 of 3" in page and 'name="reason"' not in page
    assert en.get(other).status_code == 404
    assert en.get(f"{staff}/results.xlsx").status_code == 403
    listing = en.get("/staff/supervision/assessments").get_data(as_text=True)
    assert "2025年度政务公开工作考核" in listing and "2 of 3" in listing
    assert use(tree.admin).get(own).status_code == 200
    assert use(tree.head2).get(own).status_code == 404
    assert use(tree.outsider_head).get(own).status_code == 404
    assert client.get(f"/supervision/assessments/{a.id}").status_code == 404  # not yet published
    assert use(tree.supervisor).get(other).status_code == 200


def test_indicator_editor_through_the_web(fake, tree, use, make_staff):
    from disclosure.accounts.roles import Role

    en = use(tree.supervisor)
    page = en.get("/staff/supervision/assessment/indicators").get_data(as_text=True)
    assert "at least 4 %" in page and "国办秘函〔2019〕19号" in page
    assert 'name="rows_0_name"' in page and "依申请公开按时答复率" in page
    form = {"version": "0"}
    for i, row in enumerate(ROWS):
        form.update({f"rows_{i}_{k}": v for k, v in row.items()})
    bad = dict(form, rows_0_weight="41", rows_1_figure="nope.nothing", rows_3_target="25")
    resp = en.post("/staff/supervision/assessment/indicators", data=bad)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="rows_1_figure-error">No figure is registered under “nope.nothing”' in text
    assert 'id="rows_3_target-error">Lower is better for this figure' in text
    assert '<option selected value="nope.nothing">' in text  # what was typed stays
    assert ops.scheme_of(tree.office.id) is None  # nothing saved
    resp = en.post("/staff/supervision/assessment/indicators", data=dict(form, rows_0_weight="41"))
    assert 'id="weights-error">The weights add up to 101 points' in resp.get_data(as_text=True)
    assert en.post("/staff/supervision/assessment/indicators", data=form).status_code == 302
    assert [i["name"] for i in ops.scheme_of(tree.office.id).indicators] == [r["name"] for r in ROWS]
    stale = en.post("/staff/supervision/assessment/indicators", data=form)  # version 0 again: someone saved first
    assert stale.status_code == 409
    # the defaults: the system administrator's page, not a supervisor's
    assert en.get("/admin/supervision/assessment/indicators").status_code == 403
    admin = use(make_staff(tree.office, roles=[Role.SYS_ADMIN]))
    assert admin.post("/admin/supervision/assessment/indicators", data=dict(form, rows_2_remove="y",
                      rows_0_weight="60")).status_code == 302  # fmt: skip
    assert [i["name"] for i in ops.scheme_of(None).indicators] == ["按时答复率", "超期未答复", "纠错率"]
    assert ops.indicators_for(tree.bureau.id)[1] == "default"
    assert use(tree.head).get("/staff/supervision/assessment/indicators").status_code == 403


def test_start_through_the_web_period_errors_beside_fields(fake, tree, use):
    _scheme(tree)
    en = use(tree.supervisor)
    assert en.get("/staff/supervision/assessments/new").status_code == 200
    resp = en.post(
        "/staff/supervision/assessments/new", data={"period": "custom", "from": "2025-05-01", "to": "2025-04-01"}
    )
    assert resp.status_code == 422
    assert 'id="to-error">The end of the period comes before its start.' in resp.get_data(as_text=True)
    resp = en.post("/staff/supervision/assessments/new", data={"period": "month", "year": "2025", "month": "13"})
    assert 'id="month-error">Choose a month from 1 to 12.' in resp.get_data(as_text=True)
    resp = en.post("/staff/supervision/assessments/new", data={"period": "year", "year": "2025", "include_own": "y"})
    assert resp.status_code == 302
    a = db.session.execute(select(Assessment)).scalar_one()
    assert a.include_own and a.period_start == dt.date(2025, 1, 1)
    resp = en.post("/staff/supervision/assessments/new", data={"period": "year", "year": "2025"})
    assert 'id="period-error">An assessment of this period exists already' in resp.get_data(as_text=True)
    assert db.session.execute(select(func.count(Assessment.id))).scalar_one() == 1


HOSTILE = ["9223372036854775808", "\t", "1e309", "-1", "%_%", "x" * 3000]


def test_hostile_values_in_every_field_never_a_server_error(fake, tree, use):
    a = _ready(fake, tree)
    en = use(tree.supervisor)
    base = f"/staff/supervision/assessments/{a.id}"
    forms = {
        "/staff/supervision/assessment/indicators": ["version", "rows_0_name", "rows_0_figure", "rows_0_weight",
                                                     "rows_0_rule", "rows_0_target", "rows_0_floor",
                                                     "rows_0_per_item", "rows_0_no_data", "rows_99999999999_name"],
        "/staff/supervision/assessments/new": ["title", "period", "year", "month", "quarter", "from", "to"],
        f"{base}/agencies/{tree.bureau.id}/adjust": ["version", "position", "points", "reason"],
        f"{base}/withdraw": ["version", "reason"],
        f"{base}/reopen": ["version", "reason"],
        f"{base}/recompute": ["version"],
    }  # fmt: skip
    for url, names in forms.items():
        for name in names:
            for value in HOSTILE:
                resp = en.post(url, data={name: value})
                assert resp.status_code < 500, (url, name, value)
    assert db.session.get(Assessment, a.id).state == "draft"


# --- The real registry and the demo --------------------------------------------------------------------------------


def test_defaults_and_an_assessment_on_the_real_registry(tree, app):
    """The built-in defaults resolve against whatever the areas register, pass the editor's check, and an assessment
    over the tree scores each agency exactly as the scoring rules say of the registry's counts."""
    items = rules.default_indicators()
    if not items:
        pytest.skip("no figure is registered yet")
    assert rules.check(items) == items and sum(D(i["weight"]) for i in items) == 100
    with app.test_request_context("/"):  # as from the page: some figures build their records' links
        _real_registry(tree, items)


def _real_registry(tree, items):
    a = ops.start(tree.office, tree.supervisor, period=YEAR, include_own=True, today=TODAY)
    inds = [Indicator.from_json(i) for i in a.indicators]
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id)
    counted = {k: measures.REGISTRY.measures[k].count(measures.Scope(ids, YEAR, TODAY)) for k in _parts(inds)}
    for agency_id in ids:
        figures = []
        for ind in inds:
            f = measures.REGISTRY.get(ind.figure)
            if isinstance(f, measures.Ratio):
                figures.append(Figure(numerator=counted[f.numerator].get(agency_id, 0),
                                      denominator=counted[f.denominator].get(agency_id, 0)))  # fmt: skip
            else:
                figures.append(Figure(count=counted[ind.figure].get(agency_id, 0)))
        lines, total = scoring.score(inds, figures)
        entry = ops.entry_of(a, agency_id)
        assert entry.total == total
        assert [s.points for s in entry.scores] == [line.points for line in lines]


def _parts(inds) -> set[str]:
    keys = set()
    for ind in inds:
        f = measures.REGISTRY.get(ind.figure)
        keys |= {f.numerator, f.denominator} if isinstance(f, measures.Ratio) else {ind.figure}
    return keys


def test_demo_through_the_operations_once(fake, app_ctx, make_agency, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.supervision.assessment import demo

    gov = make_agency(slug="demo-gov", full_name="示例市人民政府办公室")
    finance = make_agency(slug="demo-finance", full_name="示例市财政局", parent_id=gov.id)
    make_staff(gov, roles=[Role.SUPERVISOR], email="supervisor@demo-gov.example.cn")
    fake.set("requests.concluded", {finance: 12, gov: 3})
    fake.set("requests.answered_on_time", {finance: 11, gov: 3})
    fake.set("proactive.overdue_now", {finance: 1})
    today = dt.date(2026, 5, 1)
    demo.load({"agencies": [gov, finance]}, today=today)
    db.session.commit()
    a = db.session.execute(select(Assessment)).scalar_one()
    assert a.state == "published" and a.period_start == dt.date(2025, 1, 1) and a.agency_id == gov.id
    assert {e.agency_id for e in a.entries} == {gov.id, finance.id}
    adjusted = [s for e in a.entries for s in e.scores if s.adjusted]
    assert len(adjusted) == 1 and adjusted[0].adjust_reason == demo.ADJUST_REASON
    assert adjusted[0].entry.agency_id == finance.id
    assert ops.scheme_of(gov.id).indicators == rules.default_indicators()
    events = db.session.execute(select(func.count(AuditEvent.id))).scalar_one()
    demo.load({"agencies": [gov, finance]}, today=today)
    db.session.commit()
    assert db.session.execute(select(func.count(Assessment.id))).scalar_one() == 1
    assert db.session.execute(select(func.count(AuditEvent.id))).scalar_one() == events
    assert db.session.execute(select(func.count(IndicatorScheme.id))).scalar_one() == 1


def test_the_whole_demo_publishes_last_years_assessment_once(app_ctx, client):
    """`disclosure demo`: demo-gov's supervisor keeps the default indicators, and last year's assessment over the
    finance bureau and the office itself is published with one adjustment; loading again changes nothing."""
    from disclosure.accounts.models import Agency
    from disclosure.core.timeutil import today_china
    from disclosure.demo import load_demo

    if not rules.default_indicators():
        pytest.skip("no figure is registered yet")
    load_demo()
    db.session.commit()
    gov = db.session.execute(select(Agency).where(Agency.slug == "demo-gov")).scalar_one()
    finance = db.session.execute(select(Agency).where(Agency.slug == "demo-finance")).scalar_one()
    a = db.session.execute(select(Assessment)).scalar_one()
    assert (a.agency_id, a.state, a.period_start.year) == (gov.id, "published", today_china().year - 1)
    assert {e.agency_id for e in a.entries} == {gov.id, finance.id}
    assert [s.adjust_reason for e in a.entries for s in e.scores if s.adjusted] == [
        "经年度抽查，该局2件依申请公开答复书未完整告知救济途径，按考核细则酌情扣2分。"
    ]
    page = client.get(f"/supervision/assessments/{a.id}").get_data(as_text=True)
    assert "示例市财政局" in page and "调整说明" in page
    load_demo()
    db.session.commit()
    assert db.session.execute(select(func.count(Assessment.id))).scalar_one() == 1
