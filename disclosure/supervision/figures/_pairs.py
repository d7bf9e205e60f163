"""What the area modules share to build a measure from a package's oversight functions: the (count, items) pair
of an event within the period, of a state today, or of one branch of a grouped count computed once per scope."""

from __future__ import annotations

from disclosure.supervision.figures._memo import memo
from disclosure.supervision.measures import Item, Measure


def items(records) -> list[Item]:
    """The oversight module's record lines as drill-down items."""
    return [Item(r.agency_id, r.reference, r.title, r.on, r.url, r.note) for r in records]


def in_period(count, records):
    """A measure of events in the period: (count, items) over the scope's agencies and dates."""
    return (
        lambda s: count(s.agency_ids, s.period.start, s.period.end),
        lambda s, limit, offset: items(records(s.agency_ids, s.period.start, s.period.end, limit, offset)),
    )


def today(count, records):
    """A measure of a state today: (count, items) over the scope's agencies."""
    return (
        lambda s: count(s.agency_ids, s.today),
        lambda s, limit, offset: items(records(s.agency_ids, s.today, limit, offset)),
    )


def grouped(name: str, counts, records, which: str):
    """One branch (`which`) of a grouped count that serves several measures: counted once per scope (`memo`),
    its records listed by the same branch."""

    def count(s):
        p = s.period
        return memo((name, s), lambda: counts(s.agency_ids, p.start, p.end))[which]

    return (
        count,
        lambda s, limit, offset: items(records(s.agency_ids, s.period.start, s.period.end, which, limit, offset)),
    )


def measure(area: str, key: str, label, pair, definition, **flags) -> Measure:
    count, listed = pair
    return Measure(f"{area}.{key}", area, label, count, listed, definition, **flags)
