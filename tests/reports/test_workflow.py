"""workflows/report.py: every trigger from every state for every actor, and the guards."""

from __future__ import annotations

from dataclasses import replace

import pytest

import workflows.report as wf
from workflows.report import WORKFLOW, Facts, States, TransitionRefused

ACTORS = (wf.REGISTRAR, wf.OFFICE_HEAD, wf.SYSTEM, "handler", "agency_admin")
ALL_TRUE = Facts(checks_pass=True, has_comment=True, has_frozen_copy=True)
EXPECTED = {
    ("submit", "draft"): ("submitted", {wf.REGISTRAR, wf.OFFICE_HEAD}),
    ("approve", "submitted"): ("approved", {wf.OFFICE_HEAD}),
    ("return_report", "submitted"): ("draft", {wf.OFFICE_HEAD}),
    ("return_report", "approved"): ("draft", {wf.OFFICE_HEAD}),
    ("publish", "approved"): ("published", {wf.OFFICE_HEAD}),
    ("supersede", "published"): ("superseded", {wf.SYSTEM}),
}
GUARDS = {
    "submit": "checks_pass",
    "approve": "checks_pass",
    "return_report": "has_comment",
    "publish": "has_frozen_copy",
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


@pytest.mark.parametrize(("trigger", "guard"), list(GUARDS.items()))
def test_guards_refuse(trigger, guard):
    source = next(s for (t, s) in EXPECTED if t == trigger)
    with pytest.raises(TransitionRefused) as exc:
        WORKFLOW.fire(source, trigger, replace(ALL_TRUE, **{guard: False}), {wf.OFFICE_HEAD})
    assert exc.value.reason == guard


def test_mermaid_diagram():
    text = WORKFLOW.mermaid()
    assert "draft --> submitted: submit (office_head/registrar) [checks_pass]" in text
    assert "superseded --> [*]" in text
