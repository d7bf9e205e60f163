"""A cleanup (清理) of an agency's normative documents, as data (no Flask, no database).

open --decide--> open            a legal reviewer or the office head decides one document (继续有效 / 修改 / 废止 /
                                 宣布失效) with a reason; decisions can be changed while the cleanup is open
open --complete--> decided       every document has its decision
decided --reopen--> open         a decision is to be reconsidered (with a comment)
decided --approve--> approved    the office head approves the decisions and the date they take effect
approved --revoke_approval--> decided   the office head takes the approval back before publishing (with a comment)
approved --publish--> published  the office head publishes the result list as its own catalogue entry (generated
                                 from the approved decisions: its index number and version); every decided document
                                 changes state on the effective date
open|decided|approved --cancel--> cancelled   the agency administrator or the office head gives up, with a reason

An agency administrator opens a cleanup (the operation lists every valid normative document of the agency: see
`disclosure.catalog.operations.cleanups`). Actors are staff role values. The README keeps the
diagram `mermaid()` draws.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]

LEGAL_REVIEWER = "legal_reviewer"
OFFICE_HEAD = "office_head"
AGENCY_ADMIN = "agency_admin"

REVIEWERS = (LEGAL_REVIEWER, OFFICE_HEAD)


class States(enum.StrEnum):
    OPEN = "open"
    DECIDED = "decided"
    APPROVED = "approved"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Decision(enum.StrEnum):
    """A cleanup's conclusion on one document (proactive-china §1.2: the three lists, and 修改)."""

    CONTINUE = "continue"  # 继续有效
    AMEND = "amend"  # 修改 (valid until the amending document)
    REPEAL = "repeal"  # 废止
    EXPIRE = "expire"  # 宣布失效


@dataclass(frozen=True)
class Facts:
    all_decided: bool = False  # every item has a decision and its reason
    has_comment: bool = False
    has_reason: bool = False
    has_effective_date: bool = False  # the date the decisions take effect is set (and not in the past)


def all_decided(f: Facts) -> bool:
    return f.all_decided


def has_comment(f: Facts) -> bool:
    return f.has_comment


def has_reason(f: Facts) -> bool:
    return f.has_reason


def has_effective_date(f: Facts) -> bool:
    return f.has_effective_date


S = States
ACTIVE = (S.OPEN, S.DECIDED, S.APPROVED)

TRANSITIONS: tuple[Transition, ...] = (
    transition("decide", S.OPEN.value, None, REVIEWERS),
    transition("complete", S.OPEN.value, S.DECIDED.value, REVIEWERS, [all_decided]),
    transition("reopen", S.DECIDED.value, S.OPEN.value, REVIEWERS, [has_comment]),
    transition("approve", S.DECIDED.value, S.APPROVED.value, [OFFICE_HEAD], [all_decided, has_effective_date]),
    transition("revoke_approval", S.APPROVED.value, S.DECIDED.value, [OFFICE_HEAD], [has_comment]),
    transition("publish", S.APPROVED.value, S.PUBLISHED.value, [OFFICE_HEAD], [all_decided]),
    transition("cancel", [s.value for s in ACTIVE], S.CANCELLED.value, [AGENCY_ADMIN, OFFICE_HEAD], [has_reason]),
)

FINAL = (S.PUBLISHED, S.CANCELLED)

WORKFLOW = Workflow("cleanup", States, TRANSITIONS, initial=S.OPEN, final=FINAL)


def fire(state: States | str, trigger: str, actors: Iterable[str], facts: Facts) -> States:
    """The state after `trigger`, or TransitionRefused naming why not (state, role or the failed guard)."""
    return WORKFLOW.fire(state, trigger, facts, actors)


def allowed_triggers(state: States | str, actors: Iterable[str], facts: Facts) -> list[str]:
    return WORKFLOW.allowed_triggers(state, facts, actors)


def mermaid() -> str:
    return WORKFLOW.mermaid()
