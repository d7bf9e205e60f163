"""The disclosure-on-request case (依申请公开) as a state machine, declared as data.

条例 Arts. 29–45 (rules-china §1.3). No Flask, no database: operations in `disclosure.applications.operations`
build a `Facts` snapshot of the case, ask `fire()` for the next state and then change the row. The engine is
`workflows.engine`; this module is the table.

Actors are the staff role values of `disclosure.accounts.roles.Role` plus two pseudo-actors: `applicant` (the
person who filed the case) and `system` (the periodic deadline sweep and automatic confirmation).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]  # raised by fire(); callers catch it from here


class States(enum.StrEnum):
    DRAFT = "draft"  # online, not yet sent
    SUBMITTED = "submitted"  # sent online, awaiting the office's confirmation (Art. 31(3))
    REGISTERED = "registered"  # received: the 20-working-day clock runs (Art. 33)
    SUPPLEMENTATION_REQUESTED = "supplementation_requested"  # Art. 30 one-time notice sent
    ASSIGNED = "assigned"  # given to a department and a handler
    IN_HANDLING = "in_handling"
    CONSULTING = "consulting"  # Art. 32 / 34: third party or another agency; the clock is paused
    FEE_NOTIFIED = "fee_notified"  # 国办函〔2020〕109号: waiting for payment
    REPLY_DRAFTED = "reply_drafted"
    OFFICE_REVIEW = "office_review"
    LEGAL_REVIEW = "legal_review"
    APPROVED = "approved"  # both reviews passed, ready to issue
    ISSUED = "issued"
    DELIVERED = "delivered"
    ARCHIVED = "archived"
    ABANDONED = "abandoned"  # Art. 30 not supplemented, or the fee not paid
    WITHDRAWN = "withdrawn"


APPLICANT = "applicant"
SYSTEM = "system"
REGISTRAR = "registrar"
HANDLER = "handler"
OFFICE_HEAD = "office_head"
LEGAL_REVIEWER = "legal_reviewer"

STAFF = (REGISTRAR, HANDLER, OFFICE_HEAD, LEGAL_REVIEWER)
ACTORS = (APPLICANT, SYSTEM, *STAFF)

# States in which the reply clock is running or paused: the case is still open.
OPEN_STATES = frozenset(
    {
        States.REGISTERED,
        States.SUPPLEMENTATION_REQUESTED,
        States.ASSIGNED,
        States.IN_HANDLING,
        States.CONSULTING,
        States.FEE_NOTIFIED,
        States.REPLY_DRAFTED,
        States.OFFICE_REVIEW,
        States.LEGAL_REVIEW,
        States.APPROVED,
    }
)
# States in which the reply is not yet issued and the applicant may still withdraw.
WITHDRAWABLE = frozenset({States.SUBMITTED} | OPEN_STATES)
CLOSED_STATES = frozenset({States.ISSUED, States.DELIVERED, States.ARCHIVED, States.ABANDONED, States.WITHDRAWN})


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about a case, computed by the caller at the moment of the action."""

    supplementation_requested_before: bool = False
    supplementation_notice_in_time: bool = True  # within 7 working days of receipt (Art. 30)
    supplementation_deadline_passed: bool = False
    fee_deadline_passed: bool = False  # 20 working days after the fee notice (109号)
    all_items_decided: bool = False
    office_approved: bool = False
    legal_approved: bool = False
    has_reply_letter: bool = False
    extended_before: bool = False
    has_corrected_remedy: bool = False  # a reconsideration or court ordered a new reply
    has_handler: bool = False
    is_own_case: bool = False  # the acting applicant filed this case
    fee_waiver_allowed: bool = False  # the agency's setting (rules §4.1 ⚠: waiver clauses unconfirmed)


# --- Guards: pure functions of Facts ---


def supplementation_not_requested_before(f: Facts) -> bool:
    """条例 Art. 30: the supplementation notice is given once (一次性告知)."""
    return not f.supplementation_requested_before


def supplementation_notice_in_time(f: Facts) -> bool:
    """条例 Art. 30: the notice goes out within 7 working days of receipt."""
    return f.supplementation_notice_in_time


def supplementation_deadline_passed(f: Facts) -> bool:
    """条例 Art. 30: no supplement by the deadline → treated as abandoned."""
    return f.supplementation_deadline_passed


def fee_deadline_passed(f: Facts) -> bool:
    """国办函〔2020〕109号: unpaid 20 working days after the notice → treated as abandoned."""
    return f.fee_deadline_passed


def all_items_decided(f: Facts) -> bool:
    """条例 Art. 36: every requested item gets a reply type before the reply is drafted."""
    return f.all_items_decided


def both_reviews_approved(f: Facts) -> bool:
    """The office review and then the legal review approved the draft (条例 Art. 45 procedures)."""
    return f.office_approved and f.legal_approved


def has_reply_letter(f: Facts) -> bool:
    return f.has_reply_letter


def not_extended_before(f: Facts) -> bool:
    """条例 Art. 33: the reply period can be extended once."""
    return not f.extended_before


def has_corrected_remedy(f: Facts) -> bool:
    """A reconsideration decision or judgment corrected the reply and orders a new one (复议法, 诉讼法)."""
    return f.has_corrected_remedy


def has_handler(f: Facts) -> bool:
    return f.has_handler


def fee_waiver_allowed(f: Facts) -> bool:
    """109号 (rules §4.1 ⚠): the agency may reduce or waive the fee; an agency setting, on by default."""
    return f.fee_waiver_allowed


def is_own_case(f: Facts) -> bool:
    """Only the applicant who filed the case acts as `applicant` on it."""
    return f.is_own_case


def _t(trigger, source, dest, roles, guards=()):
    sources = (source,) if isinstance(source, States) else source
    return transition(trigger, [s.value for s in sources], None if dest is None else dest.value, roles, guards)


S = States
_EARLY_OPEN = (S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.CONSULTING, S.FEE_NOTIFIED)

TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", S.DRAFT, S.SUBMITTED, [APPLICANT], [is_own_case]),
    # An external portal files through the API on the applicant's behalf (token-authenticated).
    _t("file_via_portal", S.DRAFT, S.SUBMITTED, [SYSTEM]),
    # Art. 31(3): the online application is received on the day the office confirms it.
    _t("confirm", S.SUBMITTED, S.REGISTERED, [REGISTRAR, OFFICE_HEAD, SYSTEM]),
    # Art. 29 / 31(1)(2): staff register a written, posted, faxed, emailed or oral application.
    _t("register", S.DRAFT, S.REGISTERED, [REGISTRAR, OFFICE_HEAD]),
    _t(
        "request_supplement",
        S.REGISTERED,
        S.SUPPLEMENTATION_REQUESTED,
        [REGISTRAR, OFFICE_HEAD, HANDLER],
        [supplementation_not_requested_before, supplementation_notice_in_time],
    ),
    _t("receive_supplement", S.SUPPLEMENTATION_REQUESTED, S.REGISTERED, [REGISTRAR, OFFICE_HEAD, HANDLER]),
    _t("answer_supplement", S.SUPPLEMENTATION_REQUESTED, S.REGISTERED, [APPLICANT], [is_own_case]),
    _t(
        "abandon_unsupplemented",
        S.SUPPLEMENTATION_REQUESTED,
        S.ABANDONED,
        [SYSTEM, REGISTRAR, OFFICE_HEAD],
        [supplementation_deadline_passed],
    ),
    _t("assign", S.REGISTERED, S.ASSIGNED, [REGISTRAR, OFFICE_HEAD]),
    _t("reassign", (S.ASSIGNED, S.IN_HANDLING, S.CONSULTING, S.FEE_NOTIFIED), None, [REGISTRAR, OFFICE_HEAD]),
    _t("start_handling", S.ASSIGNED, S.IN_HANDLING, [HANDLER], [has_handler]),
    _t("start_consultation", S.IN_HANDLING, S.CONSULTING, [HANDLER, OFFICE_HEAD]),
    _t("end_consultation", S.CONSULTING, S.IN_HANDLING, [HANDLER, OFFICE_HEAD]),
    _t("notify_fee", S.IN_HANDLING, S.FEE_NOTIFIED, [HANDLER, OFFICE_HEAD]),
    _t("record_payment", S.FEE_NOTIFIED, S.IN_HANDLING, [REGISTRAR, HANDLER, OFFICE_HEAD]),
    # The head of the disclosure office waives a notified fee, with the reason recorded.
    _t("waive_fee", S.FEE_NOTIFIED, S.IN_HANDLING, [OFFICE_HEAD], [fee_waiver_allowed]),
    _t(
        "abandon_unpaid",
        S.FEE_NOTIFIED,
        S.ABANDONED,
        [SYSTEM, REGISTRAR, OFFICE_HEAD],
        [fee_deadline_passed],
    ),
    # Art. 33: one extension of at most 20 working days, approved by the head of the disclosure office.
    _t("extend_deadline", _EARLY_OPEN, None, [OFFICE_HEAD], [not_extended_before]),
    # Art. 35: a longer deadline for unreasonable volumes, with the reason recorded.
    _t("set_custom_deadline", _EARLY_OPEN, None, [OFFICE_HEAD]),
    _t("draft_reply", S.IN_HANDLING, S.REPLY_DRAFTED, [HANDLER], [all_items_decided]),
    _t("revise_draft", S.REPLY_DRAFTED, S.IN_HANDLING, [HANDLER]),
    _t("submit_for_review", S.REPLY_DRAFTED, S.OFFICE_REVIEW, [HANDLER], [all_items_decided]),
    _t("office_approve", S.OFFICE_REVIEW, S.LEGAL_REVIEW, [OFFICE_HEAD]),
    _t("office_return", S.OFFICE_REVIEW, S.IN_HANDLING, [OFFICE_HEAD]),
    _t("legal_approve", S.LEGAL_REVIEW, S.APPROVED, [LEGAL_REVIEWER]),
    _t("legal_return", S.LEGAL_REVIEW, S.IN_HANDLING, [LEGAL_REVIEWER]),
    _t("issue", S.APPROVED, S.ISSUED, [REGISTRAR, OFFICE_HEAD], [both_reviews_approved]),
    _t("deliver", S.ISSUED, S.DELIVERED, [REGISTRAR, OFFICE_HEAD], [has_reply_letter]),
    _t("archive", (S.DELIVERED, S.ABANDONED, S.WITHDRAWN), S.ARCHIVED, [REGISTRAR, OFFICE_HEAD]),
    _t("withdraw", tuple(sorted(WITHDRAWABLE)), S.WITHDRAWN, [APPLICANT], [is_own_case]),
    _t("record_withdrawal", tuple(sorted(WITHDRAWABLE)), S.WITHDRAWN, [REGISTRAR, OFFICE_HEAD]),
    _t(
        "reopen",
        (S.ISSUED, S.DELIVERED, S.ARCHIVED),
        S.IN_HANDLING,
        [OFFICE_HEAD],
        [has_corrected_remedy],
    ),
)

WORKFLOW = Workflow("application", States, TRANSITIONS, initial=S.DRAFT, final=(S.ARCHIVED,))
BY_TRIGGER: dict[str, Transition] = WORKFLOW.by_trigger
GUARDS: dict[str, Callable[[Facts], bool]] = WORKFLOW.guards


def fire(state: States | str, trigger: str, actors: Iterable[str], facts: Facts) -> States:
    """Return the state after `trigger`, or raise TransitionRefused naming why it is not allowed."""
    return WORKFLOW.fire(state, trigger, facts, actors)


def allowed_triggers(state: States | str, actors: Iterable[str], facts: Facts) -> list[str]:
    """The actions an actor may take now, in table order (the case page shows exactly these)."""
    return WORKFLOW.allowed_triggers(state, facts, actors)


triggers_from = WORKFLOW.triggers_from
mermaid = WORKFLOW.mermaid
