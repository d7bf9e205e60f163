"""The publicity life cycle as data: every allowed and every forbidden transition, and every guard."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.publicity.workflow import TRANSITIONS, States, TransitionRefused, fire

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


@pytest.mark.parametrize("trigger", sorted({t["trigger"] for t in TRANSITIONS}))
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
