"""The publicity life cycle of a licensing or penalty record, as data (no Flask, no database).

pending --publish--> published   (rules §5.1: within 7 working days of the decision)
pending --withhold--> withheld   (simplified procedure, minor, government-only scope: collected, never public)
published --expire--> expired    (the maximum publicity period has run, rules §5.4)
published --repair--> repaired   (credit repair once the minimum period has run, rules §5.4)
pending|published|withheld --withdraw--> withdrawn  (decision changed, revoked, unlawful or void, 处罚法 Art. 48)

Guards are pure functions of the event's keyword arguments. No Flask, no database: the operations in
`disclosure.publicity.operations` fire triggers with the facts as keyword arguments and then change the row.
The README keeps the diagram `mermaid()` draws; a test checks it is current.
"""

from __future__ import annotations

import datetime as dt
import enum
import threading

from transitions import Machine, MachineError


class States(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    WITHHELD = "withheld"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    REPAIRED = "repaired"


def may_be_public(event) -> bool:
    """Public scope, not simplified procedure, and a severity that is published (rules §5.4)."""
    kw = event.kwargs
    return bool(kw.get("scope_public")) and not kw.get("simplified") and bool(kw.get("severity_published", True))


def must_be_withheld(event) -> bool:
    return not may_be_public(event)


def max_reached(event) -> bool:
    max_until: dt.date | None = event.kwargs.get("max_until")
    return max_until is not None and event.kwargs["today"] >= max_until


def min_reached(event) -> bool:
    min_until: dt.date | None = event.kwargs.get("min_until")
    return min_until is not None and event.kwargs["today"] >= min_until


def has_reason(event) -> bool:
    return bool((event.kwargs.get("reason") or "").strip())


TRANSITIONS = [
    {"trigger": "publish", "source": States.PENDING, "dest": States.PUBLISHED, "conditions": [may_be_public]},
    {"trigger": "withhold", "source": States.PENDING, "dest": States.WITHHELD, "conditions": [must_be_withheld]},
    {"trigger": "expire", "source": States.PUBLISHED, "dest": States.EXPIRED, "conditions": [max_reached]},
    {"trigger": "repair", "source": States.PUBLISHED, "dest": States.REPAIRED, "conditions": [min_reached, has_reason]},
    {
        "trigger": "withdraw",
        "source": [States.PENDING, States.PUBLISHED, States.WITHHELD],
        "dest": States.WITHDRAWN,
        "conditions": [has_reason],
    },
]


FINAL = (States.WITHHELD, States.WITHDRAWN, States.EXPIRED, States.REPAIRED)


def mermaid() -> str:
    """The machine as a Mermaid state diagram (README keeps it; a test checks it is current)."""
    lines = ["stateDiagram-v2", f"    [*] --> {States.PENDING.value}"]
    for t in TRANSITIONS:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        guard = ", ".join(c.__name__ for c in t.get("conditions", []))
        for src in sources:
            lines.append(f"    {src.value} --> {t['dest'].value}: {t['trigger']}" + (f" [{guard}]" if guard else ""))
    lines += [f"    {s.value} --> [*]" for s in FINAL]
    return "\n".join(lines) + "\n"


class _Subject:
    """A throwaway model: the machine never holds ORM rows (architecture.md §5)."""

    def __init__(self, state: str):
        self.state = state


class TransitionRefused(Exception):
    def __init__(self, trigger: str, state: str, invalid_source: bool):
        super().__init__(f"{trigger} from {state}")
        self.trigger, self.state, self.invalid_source = trigger, state, invalid_source


_local = threading.local()


def _machine() -> tuple[Machine, _Subject]:
    """One machine and one plain subject per thread, built once: an import decides 100,000 records, and
    building a Machine costs far more than firing it. The subject holds a state string, never a row."""
    cached = getattr(_local, "machine", None)
    if cached is None:
        subject = _Subject(States.PENDING)
        machine = Machine(
            model=subject,
            states=list(States),
            transitions=TRANSITIONS,
            initial=States.PENDING,
            auto_transitions=False,
            send_event=True,
        )
        cached = _local.machine = (machine, subject)
    return cached


def fire(state: str, trigger: str, **kwargs) -> str:
    """The state after `trigger` from `state`, or TransitionRefused (invalid source or failed guard)."""
    machine, subject = _machine()
    machine.set_state(States(state), model=subject)
    try:
        ok = subject.trigger(trigger, **kwargs)
    except MachineError:
        raise TransitionRefused(trigger, state, True) from None
    if not ok:
        raise TransitionRefused(trigger, state, False)
    return States(subject.state).value if not isinstance(subject.state, States) else subject.state.value
