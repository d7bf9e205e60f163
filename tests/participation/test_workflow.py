"""Every trigger of the consultation workflow from every state for every actor: allowed exactly where the table
says, each guard refusing by name; and the operations turn refusals into messages."""

from __future__ import annotations

import itertools

import pytest

from tests.catalog.conftest import in_english
from workflows import consultation as wf
from workflows.consultation import States, TransitionRefused

ACTORS = ["catalog_editor", "registrar", "office_head", "handler", "agency_admin", "system"]
ALL_TRUE = wf.Facts(
    period_justified=True,
    start_reached=True,
    end_reached=True,
    all_answered=True,
    has_reason=True,
    has_final_document=True,
)
EXPECTED = {
    # trigger: (sources, destination, actors)
    "approve": ({"draft"}, "approved", {"office_head"}),
    "return_draft": ({"approved"}, "draft", {"office_head"}),
    "open": ({"approved"}, "open", {"system"}),
    "extend": ({"open"}, "open", {"office_head"}),
    "close": ({"open"}, "closed", {"system"}),
    "draft_feedback": ({"closed"}, "feedback_drafted", {"catalog_editor", "registrar", "office_head"}),
    "return_feedback": ({"feedback_drafted"}, "closed", {"office_head"}),
    "approve_feedback": ({"feedback_drafted"}, "feedback_approved", {"office_head"}),
    "publish_feedback": ({"feedback_approved"}, "feedback_published", {"office_head"}),
    "conclude": ({"feedback_published"}, "concluded", {"catalog_editor", "registrar", "office_head"}),
    "withdraw": (
        {"draft", "approved", "open", "closed", "feedback_drafted", "feedback_approved", "feedback_published"},
        "withdrawn",
        {"office_head"},
    ),
}


@pytest.mark.parametrize(("state", "trigger"), list(itertools.product([s.value for s in States], EXPECTED)))
def test_every_trigger_from_every_state_for_every_actor(state, trigger):
    sources, dest, actors = EXPECTED[trigger]
    for actor in ACTORS:
        if state in sources and actor in actors:
            assert wf.fire(state, trigger, [actor], ALL_TRUE).value == dest
        else:
            with pytest.raises(TransitionRefused) as err:
                wf.fire(state, trigger, [actor], ALL_TRUE)
            assert err.value.reason == ("role" if state in sources else "state")


@pytest.mark.parametrize(
    ("state", "trigger", "actor", "missing"),
    [
        ("draft", "approve", "office_head", "period_justified"),
        ("approved", "return_draft", "office_head", "has_reason"),
        ("approved", "open", "system", "start_reached"),
        ("open", "extend", "office_head", "has_reason"),
        ("open", "close", "system", "end_reached"),
        ("closed", "draft_feedback", "catalog_editor", "all_answered"),
        ("feedback_drafted", "return_feedback", "office_head", "has_reason"),
        ("feedback_drafted", "approve_feedback", "office_head", "all_answered"),
        ("feedback_published", "conclude", "registrar", "has_final_document"),
        ("open", "withdraw", "office_head", "has_reason"),
    ],
)
def test_each_guard_refuses_by_name(state, trigger, actor, missing):
    facts = wf.Facts(**{**ALL_TRUE.__dict__, missing: False})
    with pytest.raises(TransitionRefused) as err:
        wf.fire(state, trigger, [actor], facts)
    assert err.value.reason == missing


def test_final_states_have_no_way_out():
    for state in (States.CONCLUDED, States.WITHDRAWN):
        assert wf.WORKFLOW.triggers_from(state) == []


def test_the_diagram_names_every_transition():
    diagram = wf.mermaid()
    assert diagram.startswith("stateDiagram-v2")
    for trigger in EXPECTED:
        assert f": {trigger} " in diagram


def test_operations_refuse_with_a_message_per_role_and_state(part, open_consultation):
    from disclosure.core.errors import DomainError, NotAllowed
    from disclosure.participation.operations import consultations as ops

    c = open_consultation
    with pytest.raises(NotAllowed):
        ops.act(c, "withdraw", actor=part.editor, reason="x")
    with pytest.raises(NotAllowed):
        ops.act(c, "withdraw", actor=part.handler, reason="x")
    with pytest.raises(DomainError) as err:
        ops.act(c, "approve", actor=part.head)
    assert in_english(err.value.message) == "This action is not possible in the consultation's current state."
    other_head = part.other and None
    assert other_head is None
    assert ops.allowed_actions(c, part.head) == ["extend", "withdraw"]
    assert ops.allowed_actions(c, part.editor) == []
