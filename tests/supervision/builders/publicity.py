"""双公示 records for the figures' tests: licensing and penalty decisions of the tree's agencies entered through the
publicity package's operations (validated as the form validates them, saved, published) on days counted back from
`today`, and the daily sweep that marks pending records overdue. With `today` = 2025-12-15:

- bureau: P1 penalty decided 2025-09-06, published the same day (on time); P2 licence decided 08-17, entered
  08-19 and published 09-16 (late); P3 penalty decided 11-15, pending (overdue now); P4 licence decided 12-13,
  pending (still in time); P5 penalty decided 2024-11-10, published on time (an earlier year);
- bureau2: Q1 licence decided 05-29, published on time; Q2 penalty decided 10-16, pending (overdue now);
- office: O1 a simplified-procedure penalty decided 06-18, withheld (received, never due: no timeliness);
- outsider (not under the office): R1 pending and overdue, R2 published late — never counted.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from tests.supervision.builders import on_day

_seq = itertools.count(1)


def matters(agency) -> None:
    """The agency's licensing and penalty matters (its 双公示 catalogue)."""
    from disclosure.publicity import operations

    for kind, code, name in (("licensing", "XK001", "食品经营许可"), ("penalty", "CF001", "违反食品安全规定的处罚")):
        operations.save_matter(
            agency,
            {
                "kind": kind,
                "code": code,
                "name": name,
                "legal_basis": "《食品安全法》",
                "counterpart_kinds": ["legal_person", "individual_business", "natural_person"],
                "scope": "public",
                "active": True,
            },
        )


def enter(agency, kind: str, decided: dt.date, *, entered: dt.date | None = None, publish: bool = True, **over):
    """One record as the form enters it on `entered` (the decision day by default), published at once or not."""
    from disclosure.publicity.fields import Kind
    from disclosure.publicity.operations import save_record
    from disclosure.publicity.rules import load_rules
    from disclosure.publicity.validation import RecordValidator, matter_refs, organ_refs
    from tests.factories import licensing_raw, penalty_raw

    entered = entered or decided
    n = next(_seq)
    ctx = SimpleNamespace(agency=agency)
    if kind == "penalty":
        raw = penalty_raw(ctx, CF_WSH=f"测罚〔{decided.year}〕{n}号", CF_JDRQ=decided.isoformat(), **over)
    else:
        raw = licensing_raw(
            ctx, XK_WSH=f"测许〔{decided.year}〕{n}号", XK_JDRQ=decided.isoformat(), XK_YXQZ=decided.isoformat(), **over
        )
    k = Kind(kind)
    with on_day(entered):
        result = RecordValidator(
            k, load_rules(), matter_refs(agency.id, k), organs=organ_refs(agency), today=entered
        ).validate(raw)
        assert result.errors == [], result.errors
        record, _action = save_record(agency, k, result, channel="form", publish=publish, entered_on=entered)
    return record


def publish(record, day: dt.date):
    from disclosure.publicity.operations import publish_record

    with on_day(day):
        return publish_record(record)


def build(tree, today: dt.date):
    from disclosure.extensions import db
    from disclosure.publicity.operations import mark_overdue
    from disclosure.publicity.rules import ensure_defaults

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    ensure_defaults()
    for agency in (tree.office, tree.bureau, tree.bureau2, tree.outsider):
        matters(agency)
    records = SimpleNamespace()
    records.p1 = enter(tree.bureau, "penalty", ago(100))
    records.p2 = enter(tree.bureau, "licensing", ago(120), entered=ago(118), publish=False)
    publish(records.p2, ago(90))
    records.p3 = enter(tree.bureau, "penalty", ago(30), publish=False)
    records.p4 = enter(tree.bureau, "licensing", ago(2), publish=False)
    records.p5 = enter(tree.bureau, "penalty", ago(400))
    records.q1 = enter(tree.bureau2, "licensing", ago(200))
    records.q2 = enter(tree.bureau2, "penalty", ago(60), publish=False)
    records.o1 = enter(tree.office, "penalty", ago(180), SIMPLIFIED="是", CF_CFLB="罚款", CF_NR_FK="0.01")
    records.r1 = enter(tree.outsider, "penalty", ago(50), publish=False)
    records.r2 = enter(tree.outsider, "licensing", ago(120), entered=ago(118), publish=False)
    publish(records.r2, ago(90))
    mark_overdue(today)  # the daily sweep (publicity.tasks), run on `today`
    db.session.commit()
    return records
