"""A public consultation (意见征集) on a draft, as data (no Flask, no database; issue 12).

draft --approve--> approved                 the office head approves the draft, its explanation and its period
                                            (a period below its kind's minimum needs its stated reason:
                                            重大行政决策程序暂行条例 Art. 15)
approved --return_draft--> draft            ... or sends it back for changes before it opens
approved --open--> open                     the system opens it at its start time (the periodic task)
open --extend--> open                       the office head extends the period, with a reason that is announced
open --close--> closed                      the system closes it at its end
closed --draft_feedback--> feedback_drafted every comment (or its group) has an answer: the 采纳情况说明 is drafted
feedback_drafted --return_feedback--> closed        the office head returns the feedback with a reason
feedback_drafted --approve_feedback--> feedback_approved
feedback_approved --publish_feedback--> feedback_published   all answers become public at once, the report
                                                             becomes a catalogue entry, commenters are told
feedback_published --conclude--> concluded  linked to the final document in the catalogue
(any but concluded) --withdraw--> withdrawn  the draft is abandoned, with a reason shown publicly

Actors are staff role values of `disclosure.accounts.roles.Role` and `system` (the periodic task).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]

CATALOG_EDITOR = "catalog_editor"  # drafts consultations and their feedback
REGISTRAR = "registrar"  # the disclosure office's staff
OFFICE_HEAD = "office_head"
SYSTEM = "system"

DRAFTERS = (CATALOG_EDITOR, REGISTRAR, OFFICE_HEAD)


class States(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    OPEN = "open"
    CLOSED = "closed"
    FEEDBACK_DRAFTED = "feedback_drafted"
    FEEDBACK_APPROVED = "feedback_approved"
    FEEDBACK_PUBLISHED = "feedback_published"
    CONCLUDED = "concluded"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Facts:
    """What the guards need, computed by the operation at the moment of the action."""

    period_justified: bool = True  # at least the kind's minimum, or a stated reason for the shorter period
    start_reached: bool = False
    end_reached: bool = False
    all_answered: bool = False  # every comment not marked duplicate has an answer (its own or its group's)
    has_reason: bool = False
    has_final_document: bool = False


# --- Guards: pure functions of Facts ---


def period_justified(f: Facts) -> bool:
    return f.period_justified


def start_reached(f: Facts) -> bool:
    return f.start_reached


def end_reached(f: Facts) -> bool:
    return f.end_reached


def all_answered(f: Facts) -> bool:
    return f.all_answered


def has_reason(f: Facts) -> bool:
    return f.has_reason


def has_final_document(f: Facts) -> bool:
    return f.has_final_document


S = States


def _t(trigger, source, dest, roles, guards=()) -> Transition:
    sources = (source,) if isinstance(source, States) else source
    return transition(trigger, [s.value for s in sources], None if dest is None else dest.value, roles, guards)


TRANSITIONS: tuple[Transition, ...] = (
    _t("approve", S.DRAFT, S.APPROVED, [OFFICE_HEAD], [period_justified]),
    _t("return_draft", S.APPROVED, S.DRAFT, [OFFICE_HEAD], [has_reason]),
    _t("open", S.APPROVED, S.OPEN, [SYSTEM], [start_reached]),
    _t("extend", S.OPEN, None, [OFFICE_HEAD], [has_reason]),
    _t("close", S.OPEN, S.CLOSED, [SYSTEM], [end_reached]),
    _t("draft_feedback", S.CLOSED, S.FEEDBACK_DRAFTED, DRAFTERS, [all_answered]),
    _t("return_feedback", S.FEEDBACK_DRAFTED, S.CLOSED, [OFFICE_HEAD], [has_reason]),
    _t("approve_feedback", S.FEEDBACK_DRAFTED, S.FEEDBACK_APPROVED, [OFFICE_HEAD], [all_answered]),
    _t("publish_feedback", S.FEEDBACK_APPROVED, S.FEEDBACK_PUBLISHED, [OFFICE_HEAD]),
    _t("conclude", S.FEEDBACK_PUBLISHED, S.CONCLUDED, DRAFTERS, [has_final_document]),
    _t(
        "withdraw",
        (S.DRAFT, S.APPROVED, S.OPEN, S.CLOSED, S.FEEDBACK_DRAFTED, S.FEEDBACK_APPROVED, S.FEEDBACK_PUBLISHED),
        S.WITHDRAWN,
        [OFFICE_HEAD],
        [has_reason],
    ),
)

FINAL = (S.CONCLUDED, S.WITHDRAWN)

WORKFLOW = Workflow("consultation", States, TRANSITIONS, initial=S.DRAFT, final=FINAL)


def fire(state: States | str, trigger: str, actors: Iterable[str], facts: Facts) -> States:
    """The state after `trigger`, or TransitionRefused naming why not (state, role or the failed guard)."""
    return WORKFLOW.fire(state, trigger, facts, actors)


def allowed_triggers(state: States | str, actors: Iterable[str], facts: Facts) -> list[str]:
    return WORKFLOW.allowed_triggers(state, facts, actors)


def mermaid() -> str:
    return WORKFLOW.mermaid()
