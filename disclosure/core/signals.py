"""The events domain packages announce to each other: one blinker namespace (as Indico's `core/signals`).

A package that announces something sends a signal here and knows nothing of who listens; a package that follows
it connects a module-level function in its `init_app` (blinker holds receivers weakly, so no lambdas or closures,
and connecting the same function twice is one connection). Receivers run inside the sender's transaction: they
change rows and `flush()` only, never commit, never send mail or render PDFs themselves (they write outbox rows).

Declarations are not events: menu entries (`web.nav.register`) and words for audit actions
(`web.templating.register_action_labels`) stay registrations made once in `init_app`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSet
from typing import Any

from blinker import NamedSignal, Namespace


class _OrderedSet(MutableSet):
    """A set that remembers insertion order, so receivers run in the order they were connected (blinker's default
    set does not): demo data and recomputations run in the order the packages are wired, the same every time."""

    def __init__(self, items: Iterable = ()):
        self._items = dict.fromkeys(items)

    def __contains__(self, item) -> bool:
        return item in self._items

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item) -> None:
        self._items[item] = None

    def discard(self, item) -> None:
        self._items.pop(item, None)

    def copy(self) -> _OrderedSet:
        return _OrderedSet(self._items)


class _Signal(NamedSignal):
    set_class = _OrderedSet


class _Namespace(Namespace):
    def signal(self, name: str, doc: str | None = None) -> NamedSignal:
        if name not in self:
            self[name] = _Signal(name, doc)
        return self[name]


_signals = _Namespace()

letter_delivered = _signals.signal(
    "letter-delivered",
    doc="""A letter's delivery was recorded (`correspondence`). Sender: the `Letter`; kwargs `delivery` (the
    `LetterDelivery` row) and `actor`. The domain that asked for the letter follows it: a case moves to
    "delivered" when its reply letter is delivered, wherever the delivery was recorded.""",
)

calendar_changed = _signals.signal(
    "calendar-changed",
    doc="""The working-day calendar of some years changed (`workdays`: a holiday notice or an override was
    entered). Sender: the frozenset of changed years. Each domain recomputes its open deadlines in those years and
    returns how many changed (recorded in the calendar change's audit event).""",
)

demo_data = _signals.signal(
    "demo-data",
    doc="""`disclosure demo` created (or found) the demo agencies, staff and applicants. Sender: the Flask app;
    kwarg `objects`, the dict of created objects. Each domain adds its own demo data through its operations and
    must be idempotent (a second run changes nothing).""",
)

staff_panels = _signals.signal(
    "staff-panels",
    doc="""The staff workbench home is drawn. Sender: the staff user. A receiver returns a panel
    `(title, [(label, count, url), …])` for that user, or None when it has nothing for them.""",
)

report_appraisal = _signals.signal(
    "report-appraisal",
    doc="""A people's government's draft annual report is shown (条例 Art. 50(4): its report includes public
    appraisal). Sender: the Flask app; kwargs `agency_id`, `year`. A receiver returns a suggested sentence in
    Chinese for the written sections ("" when it has no figures); the report offers it, never writes it in.""",
)

staff_warnings = _signals.signal(
    "staff-warnings",
    doc="""A staff page is drawn. Sender: the user. A receiver returns a list of banner texts (e.g. the next
    year's holiday calendar is still provisional), or an empty list.""",
)

letter_email = _signals.signal(
    "letter-email",
    doc="""A letter is to be emailed from its own page (`correspondence`). Sender: the letter's `related_type`;
    kwargs `letter` and `to`. The domain the letter belongs to may queue its own message (the reply with the
    information provided, say) and return that outbox message; when none does, the letter alone is sent.""",
)

letter_owner = _signals.signal(
    "letter-owner",
    doc="""An applicant asks for a letter related to a domain object. Sender: the letter's `related_type` (e.g.
    "application"); kwarg `related_id`. The receiver connected for that type returns the user id of the applicant
    who owns the object, or None.""",
)

agency_changed = _signals.signal(
    "agency-changed",
    doc="""An agency's details were created or saved (name, address, hours, contacts, remedies: `accounts`
    `save_agency`). Sender: the `Agency`. The catalogue follows it to republish the agency's disclosure guide.""",
)

outbox_committed = _signals.signal(
    "outbox-committed",
    doc="""A committed transaction queued mail in the outbox (`core.outbox.kick`, after the commit). Sender: the
    Flask app. The worker's task module (`core.tasks`) follows it and asks the worker to deliver now; without a
    receiver the periodic sweep delivers the mail within a minute.""",
)


def values_from(results: Iterable[tuple[Any, Any]], *, skip_none: bool = True) -> list[Any]:
    """The receivers' return values of one `send()`, in connection order (None left out unless asked)."""
    return [value for _receiver, value in results if value is not None or not skip_none]
