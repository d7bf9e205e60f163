"""A supervision notice (督办通知, 条例 Art. 47; issue 14 §3) from issue to closure, as data (no Flask, no database).

issued --answer--> answered          the agency's office head (or agency administrator) writes what was done
answered --close--> closed           the supervisor accepts the answer
answered --reissue--> issued         ... or returns it with a comment and a new due date (a new round; the old kept)
issued --withdraw--> withdrawn       the supervisor withdraws a notice that is not answered, saying why
issued --remind--> issued            the daily sweep reminds the agency the day before the due date
issued --mark_late--> issued         the daily sweep marks the round late once its due date has passed unanswered

Late is a mark on the round, not a state: a late notice is still waiting for its answer, and answering it late is
still possible (and counted: `figures/notices.py`). A notice is created issued (the operation checks the items,
the due date and the supervised agency before it numbers the notice). The engine is `workflows.engine`; the
README keeps the diagram (`WORKFLOW.mermaid()`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]

SUPERVISOR = "supervisor"  # a supervisor of the issuing agency over the agency the notice goes to
AGENCY = "agency"  # the office head or agency administrator of the agency the notice goes to
SYSTEM = "system"  # the daily sweep


class States(enum.StrEnum):
    ISSUED = "issued"  # waiting for the agency's answer (after a reissue too)
    ANSWERED = "answered"  # waiting for the supervisor's decision
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


OPEN = (States.ISSUED, States.ANSWERED)


@dataclass(frozen=True)
class Facts:
    has_answer: bool = False  # the answer says what was done, overall or for an item
    has_comment: bool = False  # a reissue or a withdrawal says why
    due_after_today: bool = False  # the new due date of a reissue lies after today
    due_soon: bool = False  # the round falls due today or tomorrow
    past_due: bool = False  # the round's due date has passed
    reminded: bool = False  # the round's reminder went out already
    marked_late: bool = False  # the round is already marked late


def has_answer(f: Facts) -> bool:
    """An answer reports what was done about the notice (issue 14 §3: 'answers with what was done')."""
    return f.has_answer


def has_comment(f: Facts) -> bool:
    """A notice goes back, or is withdrawn, with the reason written down (the audit trail names it)."""
    return f.has_comment


def due_after_today(f: Facts) -> bool:
    """A reissued notice gives the agency a new due date that has not passed yet."""
    return f.due_after_today


def due_soon(f: Facts) -> bool:
    """The reminder goes the day before the due date (or on the day, when the sweep missed the day before)."""
    return f.due_soon


def not_reminded(f: Facts) -> bool:
    return not f.reminded


def past_due(f: Facts) -> bool:
    """Late = not answered by its due date: answered on the due date is on time."""
    return f.past_due


def not_marked_late(f: Facts) -> bool:
    return not f.marked_late


S = States


def _t(trigger, source, dest, roles, guards=()) -> Transition:
    sources = (source,) if isinstance(source, States) else source
    return transition(trigger, [s.value for s in sources], None if dest is None else dest.value, roles, guards)


TRANSITIONS: tuple[Transition, ...] = (
    _t("answer", S.ISSUED, S.ANSWERED, [AGENCY], [has_answer]),
    _t("close", S.ANSWERED, S.CLOSED, [SUPERVISOR]),
    _t("reissue", S.ANSWERED, S.ISSUED, [SUPERVISOR], [has_comment, due_after_today]),
    _t("withdraw", S.ISSUED, S.WITHDRAWN, [SUPERVISOR], [has_comment]),
    _t("remind", S.ISSUED, None, [SYSTEM], [due_soon, not_reminded]),
    _t("mark_late", S.ISSUED, None, [SYSTEM], [past_due, not_marked_late]),
)

FINAL = (S.CLOSED, S.WITHDRAWN)

WORKFLOW = Workflow("supervision_notice", States, TRANSITIONS, initial=S.ISSUED, final=FINAL)


def mermaid() -> str:
    """The diagram the README keeps (`### Supervision notice workflow`); a test compares the two."""
    return WORKFLOW.mermaid()
