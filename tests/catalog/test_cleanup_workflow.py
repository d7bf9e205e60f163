"""The cleanup workflow as data: every trigger from every state, per role, and every guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows import cleanup as wf
from workflows.cleanup import TRANSITIONS, Facts, States, TransitionRefused, fire

OK = Facts(all_decided=True, has_comment=True, has_reason=True, has_effective_date=True)
ROLES = ("legal_reviewer", "office_head", "agency_admin", "catalog_editor", "registrar", "secrecy_reviewer")
ALLOWED = {
    ("decide", States.OPEN): (States.OPEN, {"legal_reviewer", "office_head"}),
    ("complete", States.OPEN): (States.DECIDED, {"legal_reviewer", "office_head"}),
    ("reopen", States.DECIDED): (States.OPEN, {"legal_reviewer", "office_head"}),
    ("approve", States.DECIDED): (States.APPROVED, {"office_head"}),
    ("revoke_approval", States.APPROVED): (States.DECIDED, {"office_head"}),
    ("publish", States.APPROVED): (States.PUBLISHED, {"office_head"}),
    ("cancel", States.OPEN): (States.CANCELLED, {"agency_admin", "office_head"}),
    ("cancel", States.DECIDED): (States.CANCELLED, {"agency_admin", "office_head"}),
    ("cancel", States.APPROVED): (States.CANCELLED, {"agency_admin", "office_head"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("trigger", sorted({t.trigger for t in TRANSITIONS}))
@pytest.mark.parametrize("state", list(States))
def test_every_trigger_from_every_state_for_every_role(state, trigger, role):
    if (trigger, state) not in ALLOWED:
        with pytest.raises(TransitionRefused) as exc:
            fire(state, trigger, {role}, OK)
        assert exc.value.reason == "state"
        return
    dest, roles = ALLOWED[(trigger, state)]
    if role in roles:
        assert fire(state, trigger, {role}, OK) == dest
    else:
        with pytest.raises(TransitionRefused) as exc:
            fire(state, trigger, {role}, OK)
        assert exc.value.reason == "role"


@pytest.mark.parametrize(
    ("state", "trigger", "missing", "guard"),
    [
        (States.OPEN, "complete", "all_decided", "all_decided"),
        (States.DECIDED, "approve", "all_decided", "all_decided"),
        (States.DECIDED, "approve", "has_effective_date", "has_effective_date"),
        (States.DECIDED, "reopen", "has_comment", "has_comment"),
        (States.APPROVED, "revoke_approval", "has_comment", "has_comment"),
        (States.APPROVED, "publish", "all_decided", "all_decided"),
        (States.OPEN, "cancel", "has_reason", "has_reason"),
    ],
)
def test_guards(state, trigger, missing, guard):
    facts = Facts(**{**OK.__dict__, missing: False})
    with pytest.raises(TransitionRefused) as exc:
        fire(state, trigger, {"office_head"}, facts)
    assert exc.value.reason == guard


def test_states_are_those_the_cleanup_column_stores():
    assert wf.WORKFLOW.initial == States.OPEN
    assert {s.value for s in wf.FINAL} == {"published", "cancelled"}


def test_readme_diagram_is_current():
    """To refresh: `.venv/bin/python -c "from workflows.cleanup import mermaid; print(mermaid())"` and paste the
    output between the cleanup workflow markers of README.md."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    if "<!-- workflow:cleanup:start -->" not in readme:
        pytest.skip("the README has no cleanup diagram yet (the lead adds the section)")
    start = readme.index("<!-- workflow:cleanup:start -->")
    end = readme.index("<!-- workflow:cleanup:end -->")
    assert f"```mermaid\n{wf.mermaid()}```" in readme[start:end], "README cleanup diagram is stale"
