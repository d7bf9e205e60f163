"""What the annual report counts from the catalogue: table 2, 第二十条第（一）项 (rules-china §3.2,
proactive-china §4): per year and agency, the 规章 and 行政规范性文件 made, repealed and currently valid."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from disclosure.catalog.models import DocKind, Entry, EntryType, Validity, ValidityEvent
from disclosure.extensions import db
from workflows.catalog import Attribute

KINDS = (DocKind.REGULATION, DocKind.NORMATIVE)


def _validity_on(entry: Entry, events: list[ValidityEvent], day: dt.date) -> str:
    """The document's validity on `day`, from its history (a scheduled change whose date has come counts even if
    the sweep has not run yet), then its validity period (有效期至 is the last valid day)."""
    before = [e for e in events if e.effective_on <= day]
    if before:
        state = before[-1].validity
    elif entry.validity != Validity.VALID.value and entry.validity_since is not None and entry.validity_since <= day:
        state = entry.validity  # an imported state with no history
    else:
        state = Validity.VALID.value
    if state == Validity.VALID.value and entry.valid_until is not None and entry.valid_until < day:
        return Validity.EXPIRED.value
    return state


def normative_counts(agency_id: int, year: int, *, count_expiries: bool = False) -> dict:
    """Table 2, Art. 20(1): `{"regulation": {"made", "repealed", "valid"}, "normative": {...}}` for one agency and
    year, counting documents whose lead issuer (`Entry.agency_id`) is the agency.

    - made: first published (发布日期 of the first version, imports keep their original date) in the year, disclosed
      proactively and not withdrawn;
    - repealed: 废止 in the year (the change's effective date). Expiries (失效: the period ran out, or declared by a
      cleanup) are not counted unless `count_expiries=True`: whether they belong here is unsettled
      (proactive-china §4 ⚠), and real reports differ;
    - valid: valid on 31 December of the year (published by then, in force by then, neither repealed nor expired
      on that day), read from the validity history, not from the flows: real data do not reconcile
      valid(y) = valid(y−1) + made(y) − repealed(y), since cleanups and expiries rebuild the library.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    entries = list(
        db.session.execute(
            select(Entry)
            .where(
                Entry.agency_id == agency_id,
                Entry.entry_type == EntryType.DOCUMENT.value,
                Entry.doc_kind.in_([k.value for k in KINDS]),
                Entry.attribute == Attribute.PROACTIVE.value,
                Entry.first_published_on.is_not(None),
                Entry.first_published_on <= end,
                Entry.withdrawn_at.is_(None),
            )
            .order_by(Entry.id)
        ).scalars()
    )
    history: dict[int, list[ValidityEvent]] = {e.id: [] for e in entries}
    if entries:
        for event in db.session.execute(
            select(ValidityEvent)
            .where(ValidityEvent.entry_id.in_(list(history)))
            .order_by(ValidityEvent.effective_on, ValidityEvent.id)
        ).scalars():
            history[event.entry_id].append(event)
    ended = {Validity.REPEALED.value, Validity.EXPIRED.value} if count_expiries else {Validity.REPEALED.value}
    out = {k.value: {"made": 0, "repealed": 0, "valid": 0} for k in KINDS}
    for entry in entries:
        row = out[entry.doc_kind]
        events = history[entry.id]
        if start <= entry.first_published_on <= end:
            row["made"] += 1
        at_end = _validity_on(entry, events, end)
        if at_end in ended and _validity_on(entry, events, start - dt.timedelta(days=1)) == Validity.VALID.value:
            row["repealed"] += 1
        in_force = entry.in_force_on or entry.first_published_on
        if in_force <= end and at_end == Validity.VALID.value:
            row["valid"] += 1
    return out
