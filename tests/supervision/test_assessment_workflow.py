"""workflows/assessment.py as pure data: every trigger from every state for every actor, the guards, the diagram, and
no trigger colliding with a column of the model."""

from __future__ import annotations

from dataclasses import replace

import pytest

import workflows.assessment as wf
from workflows.assessment import WORKFLOW, Facts, States, TransitionRefused

ACTORS = (wf.SUPERVISOR, "office_head", "agency_admin", "handler")
ALL_TRUE = Facts(has_results=True, has_reason=True)
EXPECTED = {
    ("recompute", "draft"): "draft",
    ("adjust", "draft"): "draft",
    ("finalise", "draft"): "finalised",
    ("discard", "draft"): "discarded",
    ("reopen", "finalised"): "draft",
    ("reopen", "withdrawn"): "draft",
    ("publish", "finalised"): "published",
    ("publish", "withdrawn"): "published",
    ("withdraw", "published"): "withdrawn",
}
GUARDS = {
    "adjust": ("draft", "has_reason"),
    "finalise": ("draft", "has_results"),
    "reopen": ("finalised", "has_reason"),
    "publish": ("finalised", "has_results"),
    "withdraw": ("published", "has_reason"),
}


@pytest.mark.parametrize("state", list(States))
@pytest.mark.parametrize("trigger", [t.trigger for t in wf.TRANSITIONS])
@pytest.mark.parametrize("actor", ACTORS)
def test_every_transition_per_actor_and_state(state, trigger, actor):
    dest = EXPECTED.get((trigger, state.value))
    if dest is None:
        with pytest.raises(TransitionRefused) as exc:
            WORKFLOW.fire(state, trigger, ALL_TRUE, {actor})
        assert exc.value.reason == "state"
        return
    if actor == wf.SUPERVISOR:
        assert WORKFLOW.fire(state, trigger, ALL_TRUE, {actor}) == States(dest)
    else:
        with pytest.raises(TransitionRefused) as exc:
            WORKFLOW.fire(state, trigger, ALL_TRUE, {actor})
        assert exc.value.reason == "role"


def test_nobody_acts_without_a_role():
    with pytest.raises(TransitionRefused) as exc:
        WORKFLOW.fire("draft", "finalise", ALL_TRUE, set())
    assert exc.value.reason == "role"


@pytest.mark.parametrize(("trigger", "where"), list(GUARDS.items()))
def test_guards_refuse(trigger, where):
    source, guard = where
    with pytest.raises(TransitionRefused) as exc:
        WORKFLOW.fire(source, trigger, replace(ALL_TRUE, **{guard: False}), {wf.SUPERVISOR})
    assert exc.value.reason == guard


def test_unknown_trigger():
    with pytest.raises(TransitionRefused) as exc:
        WORKFLOW.fire("draft", "approve", ALL_TRUE, {wf.SUPERVISOR})
    assert exc.value.reason == "unknown"


def test_discarded_is_final_and_frozen_states():
    assert WORKFLOW.triggers_from("discarded") == []
    assert set(wf.FROZEN) == {States.FINALISED, States.PUBLISHED, States.WITHDRAWN}
    assert WORKFLOW.allowed_triggers("published", ALL_TRUE, {wf.SUPERVISOR}) == ["withdraw"]


def test_mermaid_diagram():
    text = WORKFLOW.mermaid()
    assert text.startswith("stateDiagram-v2\n    [*] --> draft\n")
    assert "    draft --> finalised: finalise (supervisor) [has_results]" in text
    assert "    published --> withdrawn: withdraw (supervisor) [has_reason]" in text
    assert "    draft --> draft: recompute (supervisor)" in text
    assert "    discarded --> [*]" in text


def test_no_trigger_collides_with_a_column():
    from disclosure.supervision.assessment.models import Assessment

    columns = {c.key for c in Assessment.__table__.columns}
    assert not columns & {t.trigger for t in wf.TRANSITIONS}
