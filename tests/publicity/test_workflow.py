"""The publicity life cycle as data: every allowed and every forbidden transition, and every guard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workflows import publicity as wf
from workflows.publicity import TRANSITIONS, States, TransitionRefused, fire

TODAY = dt.date(2026, 11, 22)
OK = {
    "scope_public": True,
    "simplified": False,
    "severity_published": True,
    "today": TODAY,
    "max_until": TODAY,
    "min_until": TODAY,
    "reason": "理由",
}
ALLOWED = {
    ("publish", States.PENDING): States.PUBLISHED,
    ("withhold", States.PENDING): None,  # guard: only when the record may not be public
    ("expire", States.PUBLISHED): States.EXPIRED,
    ("repair", States.PUBLISHED): States.REPAIRED,
    ("withdraw", States.PENDING): States.WITHDRAWN,
    ("withdraw", States.PUBLISHED): States.WITHDRAWN,
    ("withdraw", States.WITHHELD): States.WITHDRAWN,
}


@pytest.mark.parametrize("trigger", sorted({t.trigger for t in TRANSITIONS}))
@pytest.mark.parametrize("state", list(States))
def test_every_trigger_from_every_state(trigger, state):
    if (trigger, state) not in ALLOWED:
        with pytest.raises(TransitionRefused) as exc:
            fire(state, trigger, **OK)
        assert exc.value.invalid_source
        return
    dest = ALLOWED[(trigger, state)]
    if dest is None:
        with pytest.raises(TransitionRefused):
            fire(state, trigger, **OK)
        assert fire(state, trigger, **{**OK, "simplified": True}) == States.WITHHELD
    else:
        assert fire(state, trigger, **OK) == dest


@pytest.mark.parametrize("blocker", [{"scope_public": False}, {"simplified": True}, {"severity_published": False}])
def test_publish_guard(blocker):
    with pytest.raises(TransitionRefused) as exc:
        fire(States.PENDING, "publish", **{**OK, **blocker})
    assert not exc.value.invalid_source


def test_period_and_reason_guards():
    tomorrow = TODAY + dt.timedelta(days=1)
    for trigger, kw in (
        ("expire", {"max_until": tomorrow}),
        ("expire", {"max_until": None}),
        ("repair", {"min_until": tomorrow}),
        ("repair", {"reason": " "}),
        ("withdraw", {"reason": ""}),
    ):
        with pytest.raises(TransitionRefused):
            fire(States.PUBLISHED, trigger, **{**OK, **kw})


def test_states_match_the_record_status_column():
    from disclosure.publicity.models import RecordStatus

    assert {s.value for s in States} == {s.value for s in RecordStatus}


def test_no_trigger_collides_with_a_mapped_column(app):
    from sqlalchemy import inspect

    from disclosure.publicity.models import PublicityRecord

    names = {a.key for a in inspect(PublicityRecord).attrs}
    triggers = {t.trigger for t in TRANSITIONS}
    assert not names & triggers
    assert not names & {f"to_{s.value}" for s in States}


def test_readme_diagram_is_current():
    """To refresh: `.venv/bin/python -c "from workflows.publicity import mermaid; print(mermaid())"` and paste the
    output between the publicity workflow markers of README.md."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- workflow:publicity:start -->")
    end = readme.index("<!-- workflow:publicity:end -->")
    assert f"```mermaid\n{wf.mermaid()}```" in readme[start:end], "README publicity diagram is stale"
