"""workflows/supervision_notice.py as pure data: every trigger from every state for every actor, and each guard;
the diagram the README keeps."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest

import workflows.supervision_notice as wf
from workflows.supervision_notice import WORKFLOW, Facts, States, TransitionRefused

ACTORS = (wf.SUPERVISOR, wf.AGENCY, wf.SYSTEM, "office_head", "handler")
ALL_TRUE = Facts(
    has_answer=True,
    has_comment=True,
    due_after_today=True,
    due_soon=True,
    past_due=True,
    reminded=False,
    marked_late=False,
)
# (trigger, source) -> (destination, the actors allowed)
EXPECTED = {
    ("answer", "issued"): ("answered", {wf.AGENCY}),
    ("close", "answered"): ("closed", {wf.SUPERVISOR}),
    ("reissue", "answered"): ("issued", {wf.SUPERVISOR}),
    ("withdraw", "issued"): ("withdrawn", {wf.SUPERVISOR}),
    ("remind", "issued"): ("issued", {wf.SYSTEM}),
    ("mark_late", "issued"): ("issued", {wf.SYSTEM}),
}
# trigger -> (the guard, the facts that make it fail)
GUARDS = {
    "answer": [("has_answer", {"has_answer": False})],
    "reissue": [("has_comment", {"has_comment": False}), ("due_after_today", {"due_after_today": False})],
    "withdraw": [("has_comment", {"has_comment": False})],
    "remind": [("due_soon", {"due_soon": False}), ("not_reminded", {"reminded": True})],
    "mark_late": [("past_due", {"past_due": False}), ("not_marked_late", {"marked_late": True})],
}


@pytest.mark.parametrize("state", list(States))
@pytest.mark.parametrize("trigger", [t.trigger for t in wf.TRANSITIONS])
@pytest.mark.parametrize("actor", ACTORS)
def test_every_transition_per_role_and_state(state, trigger, actor):
    expected = EXPECTED.get((trigger, state.value))
    if expected is None:
        with pytest.raises(TransitionRefused) as exc:
            WORKFLOW.fire(state, trigger, ALL_TRUE, {actor})
        assert exc.value.reason == "state"
        return
    dest, allowed = expected
    if actor in allowed:
        assert WORKFLOW.fire(state, trigger, ALL_TRUE, {actor}) == States(dest)
    else:
        with pytest.raises(TransitionRefused) as exc:
            WORKFLOW.fire(state, trigger, ALL_TRUE, {actor})
        assert exc.value.reason == "role"


def test_the_table_is_exactly_the_expected_one():
    declared = {(t.trigger, s) for t in wf.TRANSITIONS for s in t.source}
    assert declared == set(EXPECTED)


@pytest.mark.parametrize(("trigger", "guard", "failing"), [(t, g, f) for t, pairs in GUARDS.items() for g, f in pairs])
def test_each_guard_refuses_by_name(trigger, guard, failing):
    (source, _dest_allowed) = next((s, v) for (t, s), v in EXPECTED.items() if t == trigger)
    actor = next(iter(EXPECTED[(trigger, source)][1]))
    with pytest.raises(TransitionRefused) as exc:
        WORKFLOW.fire(source, trigger, replace(ALL_TRUE, **failing), {actor})
    assert exc.value.reason == guard


def test_unknown_trigger_and_the_final_states():
    with pytest.raises(TransitionRefused) as exc:
        WORKFLOW.fire("issued", "publish", ALL_TRUE, {wf.SUPERVISOR})
    assert exc.value.reason == "unknown"
    assert WORKFLOW.final == (States.CLOSED, States.WITHDRAWN)
    for state in WORKFLOW.final:
        assert WORKFLOW.triggers_from(state) == []


def test_actions_offered_per_actor():
    assert WORKFLOW.allowed_triggers("issued", ALL_TRUE, {wf.AGENCY}) == ["answer"]
    assert WORKFLOW.allowed_triggers("issued", ALL_TRUE, {wf.SUPERVISOR}) == ["withdraw"]
    assert WORKFLOW.allowed_triggers("answered", ALL_TRUE, {wf.SUPERVISOR}) == ["close", "reissue"]
    assert WORKFLOW.allowed_triggers("answered", ALL_TRUE, {wf.AGENCY}) == []
    assert WORKFLOW.allowed_triggers("closed", ALL_TRUE, {wf.SUPERVISOR, wf.AGENCY, wf.SYSTEM}) == []


def test_no_trigger_collides_with_a_mapped_column(app):
    from disclosure.supervision.notices.models import Notice, NoticeRound

    columns = {c.key for model in (Notice, NoticeRound) for c in model.__table__.columns}
    assert not {t.trigger for t in wf.TRANSITIONS} & columns
    assert {f.name for f in fields(Facts)}.isdisjoint({t.trigger for t in wf.TRANSITIONS})


def test_mermaid_diagram():
    text = wf.mermaid()
    assert text == WORKFLOW.mermaid()
    assert text.startswith("stateDiagram-v2\n    [*] --> issued\n")
    assert "    issued --> answered: answer (agency) [has_answer]\n" in text
    assert "    answered --> issued: reissue (supervisor) [has_comment, due_after_today]\n" in text
    assert "    issued --> issued: mark_late (system) [past_due, not_marked_late]\n" in text
    assert "    withdrawn --> [*]\n" in text


README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- workflow:supervision_notice:start -->", "<!-- workflow:supervision_notice:end -->"


def test_readme_diagram_is_current():
    """To refresh: `.venv/bin/python -c "from workflows.supervision_notice import mermaid; print(mermaid())"` and
    paste the output between the supervision-notice workflow markers of README.md (section `## The supervision
    notice workflow`)."""
    readme = README.read_text(encoding="utf-8")
    section = readme[readme.index(START) : readme.index(END)]
    assert f"```mermaid\n{wf.mermaid()}```" in section, "README supervision-notice diagram is stale"
