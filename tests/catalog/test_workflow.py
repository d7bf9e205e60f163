"""workflows/catalog.py: every trigger from every state for every actor, the guards, and the README diagram."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import workflows.catalog as wf
from workflows.catalog import Facts, States, TransitionRefused

ACTORS = (
    wf.CATALOG_EDITOR,
    wf.REGISTRAR,
    wf.OFFICE_HEAD,
    wf.SECRECY_REVIEWER,
    wf.LEGAL_REVIEWER,
    wf.AGENCY_ADMIN,
    wf.SYSTEM,
)
ALL_TRUE = Facts(has_basis=True, has_comment=True, has_reason=True, legality_reviewed=True, was_published=True)

# (trigger, source) -> (dest, actors allowed), with facts that satisfy every guard of the trigger.
EXPECTED = {
    ("submit", "draft"): ("attribute_review", {wf.CATALOG_EDITOR, wf.OFFICE_HEAD}),
    ("confirm_attribute", "attribute_review"): ("secrecy_review", {wf.REGISTRAR, wf.OFFICE_HEAD}),
    ("return_attribute", "attribute_review"): ("draft", {wf.REGISTRAR, wf.OFFICE_HEAD}),
    ("pass_secrecy", "secrecy_review"): ("approval", {wf.SECRECY_REVIEWER}),
    ("return_secrecy", "secrecy_review"): ("draft", {wf.SECRECY_REVIEWER}),
    ("publish", "approval"): ("published", {wf.OFFICE_HEAD}),
    ("record", "approval"): ("recorded", {wf.OFFICE_HEAD}),
    ("return_approval", "approval"): ("draft", {wf.OFFICE_HEAD}),
    ("revise", "published"): ("draft", {wf.CATALOG_EDITOR, wf.OFFICE_HEAD, wf.SYSTEM}),
    ("revise", "recorded"): ("draft", {wf.CATALOG_EDITOR, wf.OFFICE_HEAD, wf.SYSTEM}),
    **{
        ("withdraw", s): ("withdrawn", {wf.OFFICE_HEAD})
        for s in ("published", "recorded", *(x.value for x in wf.EDITING))
    },
    **{("abandon", s.value): ("abandoned", {wf.CATALOG_EDITOR, wf.OFFICE_HEAD}) for s in wf.EDITING},
    ("import_published", "draft"): ("published", {wf.SYSTEM}),
    ("import_recorded", "draft"): ("recorded", {wf.SYSTEM}),
    ("publish_generated", "draft"): ("published", {wf.SYSTEM}),
}


def _facts_for(trigger: str) -> Facts:
    facts = ALL_TRUE
    if trigger in ("record", "import_recorded"):
        facts = replace(facts, attribute="on_request")
    if trigger == "abandon":
        facts = replace(facts, was_published=False)
    return facts


@pytest.mark.parametrize("state", [s.value for s in States])
@pytest.mark.parametrize("trigger", sorted(wf.WORKFLOW.by_trigger))
def test_every_trigger_from_every_state_for_every_actor(state, trigger):
    expected = EXPECTED.get((trigger, state))
    for actor in ACTORS:
        if expected is not None and actor in expected[1]:
            assert wf.fire(state, trigger, [actor], _facts_for(trigger)).value == expected[0]
        else:
            with pytest.raises(TransitionRefused) as exc:
                wf.fire(state, trigger, [actor], _facts_for(trigger))
            assert exc.value.reason == ("role" if expected is not None else "state")


@pytest.mark.parametrize(
    ("trigger", "state", "actor", "facts", "guard"),
    [
        ("submit", "draft", wf.CATALOG_EDITOR, Facts(attribute="not_disclosed"), "basis_when_withheld"),
        ("confirm_attribute", "attribute_review", wf.REGISTRAR, Facts(attribute="on_request"), "basis_when_withheld"),
        ("return_attribute", "attribute_review", wf.REGISTRAR, Facts(), "has_comment"),
        ("return_secrecy", "secrecy_review", wf.SECRECY_REVIEWER, Facts(), "has_comment"),
        ("publish", "approval", wf.OFFICE_HEAD, Facts(attribute="on_request"), "is_proactive"),
        ("publish", "approval", wf.OFFICE_HEAD, Facts(needs_legality_review=True), "legality_review_recorded"),
        ("record", "approval", wf.OFFICE_HEAD, Facts(), "is_not_proactive"),
        ("withdraw", "published", wf.OFFICE_HEAD, Facts(was_published=True), "has_reason"),
        ("withdraw", "draft", wf.OFFICE_HEAD, Facts(has_reason=True), "was_published"),
        ("abandon", "draft", wf.CATALOG_EDITOR, Facts(was_published=True, has_reason=True), "never_published"),
        ("import_published", "draft", wf.SYSTEM, Facts(attribute="not_disclosed"), "is_proactive"),
    ],
)
def test_guards_refuse_by_name(trigger, state, actor, facts, guard):
    with pytest.raises(TransitionRefused) as exc:
        wf.fire(state, trigger, [actor], facts)
    assert exc.value.reason == guard


def test_every_guard_has_a_message():
    from disclosure.catalog.operations.entries import REFUSALS

    assert set(wf.WORKFLOW.guards) <= set(REFUSALS)


def test_readme_diagram_is_current():
    """To refresh: `.venv/bin/python -c "from workflows.catalog import mermaid; print(mermaid())"` and paste the
    output between the catalog workflow markers of README.md."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- workflow:catalog:start -->")
    end = readme.index("<!-- workflow:catalog:end -->")
    assert f"```mermaid\n{wf.mermaid()}```" in readme[start:end], "README catalog diagram is stale"
