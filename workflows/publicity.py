"""The publicity life cycle of a licensing or penalty record, as data (no Flask, no database).

pending --publish--> published   (rules §5.1: within 7 working days of the decision)
pending --withhold--> withheld   (simplified procedure, minor, government-only scope: collected, never public)
published --expire--> expired    (the maximum publicity period has run, rules §5.4)
published --repair--> repaired   (credit repair once the minimum period has run, rules §5.4)
pending|published|withheld --withdraw--> withdrawn  (decision changed, revoked, unlawful or void, 处罚法 Art. 48)

The engine is `workflows.engine`; this module is the table. Guards are pure functions of a frozen `Facts` that
the operations in `disclosure.publicity` compute; the workflow has no actors (who may act is the views'
access rule). The README keeps the diagram `mermaid()` draws; a test checks it is current.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]  # raised by fire(); callers catch it from here


class States(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    WITHHELD = "withheld"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    REPAIRED = "repaired"


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about a record, computed by the caller at the moment of the action."""

    scope_public: bool = False  # the matter's publicity scope is the public (not government only)
    simplified: bool = False  # decided by the simplified procedure
    severity_published: bool = True  # the severity's publicity period says it is published (not minor)
    today: dt.date | None = None
    max_until: dt.date | None = None  # end of the maximum publicity period (or the agency's earlier end)
    min_until: dt.date | None = None  # end of the minimum publicity period (credit repair possible from)
    reason: str | None = None  # the published reason of a withdrawal, the basis of a credit repair


# --- Guards: pure functions of Facts ---


def may_be_public(f: Facts) -> bool:
    """Public scope, not simplified procedure, and a severity that is published (rules §5.4)."""
    return f.scope_public and not f.simplified and f.severity_published


def must_be_withheld(f: Facts) -> bool:
    return not may_be_public(f)


def max_reached(f: Facts) -> bool:
    """The maximum publicity period has run: publication stops (rules §5.4)."""
    return f.max_until is not None and f.today is not None and f.today >= f.max_until


def min_reached(f: Facts) -> bool:
    """The minimum publicity period has run: credit repair is possible (《信用修复管理办法》)."""
    return f.min_until is not None and f.today is not None and f.today >= f.min_until


def has_reason(f: Facts) -> bool:
    return bool((f.reason or "").strip())


PENDING, PUBLISHED, WITHHELD = States.PENDING.value, States.PUBLISHED.value, States.WITHHELD.value

# States by value: `transitions` would read an enum member by its name.
TRANSITIONS: tuple[Transition, ...] = (
    transition("publish", PENDING, PUBLISHED, guards=[may_be_public]),
    transition("withhold", PENDING, WITHHELD, guards=[must_be_withheld]),
    transition("expire", PUBLISHED, States.EXPIRED.value, guards=[max_reached]),
    transition("repair", PUBLISHED, States.REPAIRED.value, guards=[min_reached, has_reason]),
    transition("withdraw", (PENDING, PUBLISHED, WITHHELD), States.WITHDRAWN.value, guards=[has_reason]),
)

FINAL = (States.WITHHELD, States.WITHDRAWN, States.EXPIRED, States.REPAIRED)

WORKFLOW = Workflow("publicity", States, TRANSITIONS, initial=States.PENDING, final=FINAL)


def fire(state: str, trigger: str, **facts) -> str:
    """The state after `trigger` from `state` given the facts (the fields of `Facts`), or TransitionRefused
    (`invalid_source` when the trigger is not possible from `state`, else a guard failed)."""
    return WORKFLOW.fire(state, trigger, Facts(**facts)).value


def mermaid() -> str:
    """The machine as a Mermaid state diagram (README keeps it; a test checks it is current)."""
    return WORKFLOW.mermaid()
