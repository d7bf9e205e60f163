"""What the annual report counts from the catalogue: table 2, 第二十条第（一）项 (rules-china §3.2,
proactive-china §4): per year and agency, the 规章 and 行政规范性文件 made, repealed and currently valid
(`normative_counts`); and the facts section 一 states (`yearly_figures`: entries published, interpretations and
how many late, withdrawals)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from disclosure.catalog.models import DocKind, Entry, EntryType, Validity, ValidityEvent
from disclosure.catalog.operations import interpretations
from disclosure.core.timeutil import CHINA_TZ
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


def yearly_figures(agency_id: int, year: int) -> dict:
    """The catalogue's facts for section 一 of the annual report (主动公开情况), for one agency (lead issuer) and
    year: `{"published", "regulations", "normative", "interpretations", "late_interpretations", "withdrawn"}`.

    - published: entries first published in the year and disclosed proactively (those withdrawn later included:
      they were published that year; the withdrawals are counted apart), of which `regulations` (规章) and
      `normative` (行政规范性文件) documents;
    - interpretations: 政策解读 first published in the year; late_interpretations: those of them published after
      the due day of a document they interpret (`interpretations.late_interpretations`, the agency's N working
      days), each counted once;
    - withdrawn: entries withdrawn (撤回) during the year, in China time.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = db.session.execute(
        select(Entry.id, Entry.entry_type, Entry.doc_kind).where(
            Entry.agency_id == agency_id,
            Entry.attribute == Attribute.PROACTIVE.value,
            Entry.first_published_on.is_not(None),
            Entry.first_published_on.between(start, end),
        )
    ).all()
    documents = [r for r in rows if r.entry_type == EntryType.DOCUMENT.value]
    interpretation_ids = {r.id for r in rows if r.entry_type == EntryType.INTERPRETATION.value}
    late = {
        late.interpretation.id
        for late in interpretations.late_interpretations(agency_id)
        if late.interpretation.id in interpretation_ids
    }
    since = dt.datetime.combine(start, dt.time(), CHINA_TZ)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), CHINA_TZ)
    withdrawn = db.session.execute(
        select(func.count(Entry.id)).where(
            Entry.agency_id == agency_id, Entry.withdrawn_at >= since, Entry.withdrawn_at < until
        )
    ).scalar_one()
    return {
        "published": len(rows),
        "regulations": sum(1 for r in documents if r.doc_kind == DocKind.REGULATION.value),
        "normative": sum(1 for r in documents if r.doc_kind == DocKind.NORMATIVE.value),
        "interpretations": len(interpretation_ids),
        "late_interpretations": len(late),
        "withdrawn": int(withdrawn),
    }
