"""One small state-machine engine: every workflow is a table of transitions and a few pure guards.

A workflow module (`workflows/application.py`, `workflows/publicity.py`, …) declares, as data:
- a `States` enum (its values are what the model's state column stores);
- its transitions, each `transition(trigger, source, dest, roles=…, guards=…)`;
- pure guards: functions of one frozen `Facts` dataclass that the caller computes (no Flask, no database);
and builds one `Workflow` at import. `Workflow.fire(state, trigger, facts, actors)` returns the next state or
raises `TransitionRefused(trigger, reason)`, where reason is "unknown", "state", "role" or the failed guard's name.

The `transitions` library does the firing. Its machine is built once per workflow with `model=None` and never
holds a model: each call fires on a throw-away subject that carries the state string and nothing else (an ORM row
bound to a long-lived machine would be kept alive, and `add_model` without `initial` resets its state). No
`to_<state>()` shortcuts exist (`auto_transitions=False`): they would bypass every rule. Because guards are pure
and facts frozen, a fire is a pure function of its arguments and is remembered (an import of 100,000 records asks
the same few questions).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from transitions import Machine, MachineError

Guard = Callable[[Any], bool]


@dataclass(frozen=True)
class Transition:
    """`trigger` moves a subject from any of `source` to `dest` (None: an internal transition, the state stays and
    the action is recorded), for an actor holding one of `roles` (empty: the workflow has no actors), when every
    guard holds."""

    trigger: str
    source: tuple[str, ...]
    dest: str | None
    roles: frozenset[str] = frozenset()
    guards: tuple[Guard, ...] = ()

    @property
    def conditions(self) -> tuple[str, ...]:
        """The guards' names, as refusals and the diagram name them."""
        return tuple(g.__name__ for g in self.guards)

    def dest_for(self, source: str) -> str:
        return source if self.dest is None else self.dest


def transition(
    trigger: str,
    source: str | Iterable[str],
    dest: str | None,
    roles: Iterable[str] = (),
    guards: Iterable[Guard] = (),
) -> Transition:
    sources = (source,) if isinstance(source, str) else tuple(source)
    return Transition(trigger, sources, dest, frozenset(roles), tuple(guards))


class TransitionRefused(Exception):
    """The action is not possible: `reason` is "unknown", "state", "role" or the name of the failed guard."""

    def __init__(self, trigger: str, reason: str):
        super().__init__(f"{trigger}: {reason}")
        self.trigger = trigger
        self.reason = reason

    @property
    def invalid_source(self) -> bool:
        """The trigger is not possible from the subject's state (rather than refused by a role or a guard)."""
        return self.reason == "state"


class _Subject:
    """What the machine fires on: a state string, never an ORM row."""

    __slots__ = ("state",)

    def __init__(self, state: str):
        self.state = state


class Workflow:
    """One workflow's table and its `transitions` machine, built once."""

    def __init__(
        self,
        name: str,
        states: type[enum.Enum],
        transitions: Iterable[Transition],
        *,
        initial: enum.Enum,
        final: Iterable[enum.Enum] = (),
    ):
        self.name = name
        self.States = states
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.by_trigger: dict[str, Transition] = {}
        for t in self.transitions:
            if t.trigger in self.by_trigger:
                raise ValueError(f"{name}: trigger {t.trigger!r} is declared twice")
            unknown = {s for s in (*t.source, t.dest) if s is not None} - {s.value for s in states}
            if unknown:
                raise ValueError(f"{name}: {t.trigger!r} names unknown states {sorted(unknown)}")
            self.by_trigger[t.trigger] = t
        self.initial = states(initial)
        self.final = tuple(states(s) for s in final)
        self.guards: dict[str, Guard] = {g.__name__: g for t in self.transitions for g in t.guards}
        self._machine = Machine(
            model=None,
            states=[s.value for s in states],
            transitions=[
                {
                    "trigger": t.trigger,
                    "source": src,
                    "dest": t.dest,
                    "conditions": [_allowed_actor(t), *(_guard(g) for g in t.guards)],
                }
                for t in self.transitions
                for src in t.source
            ],
            initial=self.initial.value,
            auto_transitions=False,
            send_event=True,
        )

    def fire(self, state: str, trigger: str, facts: Any = None, actors: Iterable[str] | None = None) -> enum.Enum:
        """The state after `trigger` from `state`, or TransitionRefused naming why not. `actors` are the roles
        the acting user holds on the subject; a workflow whose transitions name no roles takes none."""
        return self._fire(self.States(state).value, trigger, facts, None if actors is None else frozenset(actors))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Workflow per module, alive as long as the process
    def _fire(self, state: str, trigger: str, facts: Any, actors: frozenset[str] | None) -> enum.Enum:
        event = self._machine.events.get(trigger)
        if event is None:
            raise TransitionRefused(trigger, "unknown")
        subject = _Subject(state)
        try:
            moved = event.trigger(subject, facts=facts, actors=actors)
        except MachineError:
            raise TransitionRefused(trigger, "state") from None
        if not moved:
            raise TransitionRefused(trigger, self._why_not(self.by_trigger[trigger], facts, actors))
        return self.States(subject.state)

    @staticmethod
    def _why_not(t: Transition, facts: Any, actors: frozenset[str] | None) -> str:
        if t.roles and not (actors and actors & t.roles):
            return "role"
        return next((g.__name__ for g in t.guards if not g(facts)), "guard")

    def allowed_triggers(self, state: str, facts: Any = None, actors: Iterable[str] | None = None) -> list[str]:
        """The actions an actor may take now, in table order (a page shows exactly these)."""
        allowed = []
        for trigger in self.triggers_from(state):
            try:
                self.fire(state, trigger, facts, actors)
            except TransitionRefused:
                continue
            allowed.append(trigger)
        return allowed

    def triggers_from(self, state: str) -> list[str]:
        """Every trigger with `state` among its sources, in table order, whoever acts and whatever the facts."""
        value = self.States(state).value
        return [t.trigger for t in self.transitions if value in t.source]

    def mermaid(self) -> str:
        """The machine as a Mermaid state diagram (the README keeps it; a test checks it is current)."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial.value}"]
        for t in self.transitions:
            roles = f" ({'/'.join(sorted(t.roles))})" if t.roles else ""
            guards = f" [{', '.join(t.conditions)}]" if t.guards else ""
            for src in t.source:
                lines.append(f"    {src} --> {t.dest_for(src)}: {t.trigger}{roles}{guards}")
        lines += [f"    {s.value} --> [*]" for s in self.final]
        return "\n".join(lines) + "\n"


def _allowed_actor(t: Transition) -> Callable[[Any], bool]:
    def allowed_actor(event) -> bool:
        actors = event.kwargs["actors"]
        return not t.roles or bool(actors and actors & t.roles)

    return allowed_actor


def _guard(guard: Guard) -> Callable[[Any], bool]:
    def condition(event) -> bool:
        return guard(event.kwargs["facts"])

    condition.__name__ = guard.__name__
    return condition
