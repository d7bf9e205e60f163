"""The case machine as pure data: every allowed and every forbidden transition, per actor."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from workflows import application as wf
from workflows.application import ACTORS, BY_TRIGGER, TRANSITIONS, Facts, States, TransitionRefused

ALL_TRUE = Facts(
    supplementation_requested_before=False,
    supplementation_notice_in_time=True,
    supplementation_deadline_passed=True,
    fee_deadline_passed=True,
    all_items_decided=True,
    office_approved=True,
    legal_approved=True,
    has_reply_letter=True,
    extended_before=False,
    has_corrected_remedy=True,
    has_handler=True,
    is_own_case=True,
    fee_waiver_allowed=True,
)
ALL_FALSE = Facts(
    supplementation_requested_before=True,
    supplementation_notice_in_time=False,
    extended_before=True,
)


def _cases():
    for t in TRANSITIONS:
        for state in States:
            for actor in ACTORS:
                yield t.trigger, state, actor


@pytest.mark.parametrize(("trigger", "state", "actor"), list(_cases()))
def test_every_transition_per_state_and_actor(trigger, state, actor):
    t = BY_TRIGGER[trigger]
    allowed = state in t.source and actor in t.roles
    if allowed:
        assert wf.fire(state, trigger, [actor], ALL_TRUE) == t.dest_for(state)
        assert trigger in wf.allowed_triggers(state, [actor], ALL_TRUE)
        if t.conditions:
            with pytest.raises(TransitionRefused) as exc:
                wf.fire(state, trigger, [actor], ALL_FALSE)
            assert exc.value.reason in t.conditions
            assert trigger not in wf.allowed_triggers(state, [actor], ALL_FALSE)
    else:
        with pytest.raises(TransitionRefused) as exc:
            wf.fire(state, trigger, [actor], ALL_TRUE)
        assert exc.value.reason == ("state" if state not in t.source else "role")
        assert trigger not in wf.allowed_triggers(state, [actor], ALL_TRUE)


def test_unknown_trigger_refused():
    with pytest.raises(TransitionRefused) as exc:
        wf.fire(States.REGISTERED, "to_issued", ["office_head"], ALL_TRUE)
    assert exc.value.reason == "unknown"


def test_no_auto_transitions_are_generated():
    assert set(wf.WORKFLOW._machine.events) == set(BY_TRIGGER)
    assert not any(name.startswith("to_") for name in wf.WORKFLOW._machine.events)


def test_guards_named_in_table_exist_and_actors_are_roles():
    from disclosure.accounts.roles import Role

    for t in TRANSITIONS:
        assert set(t.conditions) <= set(wf.GUARDS)
        assert t.roles <= set(ACTORS)
    assert set(wf.STAFF) <= {r.value for r in Role}


def test_terminal_states_have_no_way_out_but_archive_or_reopen():
    for state in (States.ABANDONED, States.WITHDRAWN):
        assert wf.triggers_from(state) == ["archive"]
    assert wf.triggers_from(States.ARCHIVED) == ["reopen"]


def test_issue_requires_both_reviews():
    for office, legal in itertools.product([False, True], repeat=2):
        facts = Facts(office_approved=office, legal_approved=legal)
        if office and legal:
            assert wf.fire(States.APPROVED, "issue", ["registrar"], facts) == States.ISSUED
        else:
            with pytest.raises(TransitionRefused):
                wf.fire(States.APPROVED, "issue", ["registrar"], facts)


def test_reply_cannot_skip_reviews():
    """No path reaches `issued` except through office review then legal review."""
    into = {}
    for t in TRANSITIONS:
        for src in t.source:
            into.setdefault(t.dest_for(src), set()).add(src)
    assert into[States.ISSUED] == {States.APPROVED}
    assert into[States.APPROVED] == {States.LEGAL_REVIEW}
    assert into[States.LEGAL_REVIEW] == {States.OFFICE_REVIEW}


def test_no_trigger_collides_with_a_mapped_column():
    from sqlalchemy import inspect

    from disclosure.applications import models

    for cls in (models.Application, models.RequestedItem):
        names = {a.key for a in inspect(cls).attrs}
        assert not names & set(BY_TRIGGER), names & set(BY_TRIGGER)
        assert not names & {f"to_{s.value}" for s in States}


def test_readme_diagram_is_current():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- workflow:application:start -->")
    end = readme.index("<!-- workflow:application:end -->")
    assert wf.mermaid() in readme[start:end], "README diagram is stale: run scripts in tests docstring"
