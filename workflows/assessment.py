"""The supervision assessment (考核, issue 14 §4; 浙江 2016 circular §4(1)(2): quantitative assessment of 政务公开 by
the competent department, results reported) from draft to publication, as data (no Flask, no database).

draft --recompute--> draft             the scores are computed again from the live figures (only while a draft)
draft --adjust--> draft                the supervisor sets an agency's score on an indicator, with a reason
draft --finalise--> finalised          the scores and the figures they came from are frozen
draft --discard--> discarded           a draft started by mistake is set aside (kept, never shown)
finalised/withdrawn --reopen--> draft  with a reason: the frozen scores may be recomputed and adjusted again
finalised/withdrawn --publish--> published   the results table goes on the public platform
published --withdraw--> withdrawn      with a reason: the table leaves the platform, the notice says why

Only the assessing agency's supervisors (政务公开监督) and system administrators act. The engine is
`workflows.engine`; the README keeps the diagram (`WORKFLOW.mermaid()`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]

SUPERVISOR = "supervisor"  # a supervisor of the assessing agency, or a system administrator


class States(enum.StrEnum):
    DRAFT = "draft"
    FINALISED = "finalised"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    DISCARDED = "discarded"


# The states whose scores are frozen: computed once, never moved by later data.
FROZEN = (States.FINALISED, States.PUBLISHED, States.WITHDRAWN)


@dataclass(frozen=True)
class Facts:
    has_results: bool = False  # at least one agency has been scored
    has_reason: bool = False  # an adjustment, a reopening or a withdrawal says why


def has_results(f: Facts) -> bool:
    """Nothing is finalised or published without scores."""
    return f.has_results


def has_reason(f: Facts) -> bool:
    """An adjusted score, a reopened result and a withdrawn publication each say why (audited)."""
    return f.has_reason


S = States


def _t(trigger, source, dest, guards=()) -> Transition:
    sources = (source,) if isinstance(source, States) else source
    return transition(trigger, [s.value for s in sources], None if dest is None else dest.value, [SUPERVISOR], guards)


TRANSITIONS: tuple[Transition, ...] = (
    _t("recompute", S.DRAFT, None),
    _t("adjust", S.DRAFT, None, [has_reason]),
    _t("finalise", S.DRAFT, S.FINALISED, [has_results]),
    _t("discard", S.DRAFT, S.DISCARDED),
    _t("reopen", (S.FINALISED, S.WITHDRAWN), S.DRAFT, [has_reason]),
    _t("publish", (S.FINALISED, S.WITHDRAWN), S.PUBLISHED, [has_results]),
    _t("withdraw", S.PUBLISHED, S.WITHDRAWN, [has_reason]),
)

FINAL = (S.DISCARDED,)

WORKFLOW = Workflow("assessment", States, TRANSITIONS, initial=S.DRAFT, final=FINAL)
