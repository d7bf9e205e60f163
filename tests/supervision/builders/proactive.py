"""Proactive disclosure's records for the figures' exactness test: catalogue entries of the tree's agencies made,
published, changed, withdrawn and interpreted on days around `today` through the catalogue's operations (imported
as published, the path that takes a publication day; drafts by the system; the withdrawal and the repeal by the
bureau's office head). What it makes, counted from `today` (T):

- bureau: published on time (T-35); a joint document with bureau2 published late (made T-100, published T-30);
  an entry first published T-195 and changed T-20, its new version published T-15; an entry published T-45 and
  withdrawn T-44; a draft overdue (made T-60) and one not yet due (made T-3); a normative document issued jointly
  with the office (T-88, valid until T+60: due for evaluation) interpreted the same day (on time); a normative
  document published T-290, valid until T-10 and not marked expired (due for evaluation), interpreted T-250
  (late); a normative document published T-395 and repealed from T-5 (no interpretation: missing);
- bureau2: a normative document published T-20 without interpretation (missing), one published T-1 (its
  interpretation not due yet), an entry disclosed on request (recorded T-10: never counted), a draft overdue (made
  T-45), and its share of the joint document;
- office: an entry published T-365, and its share of the joint normative document;
- outsider: an entry published T-28, a draft overdue (made T-90), a normative document published T-20 without
  interpretation and valid until T+10.
"""

from __future__ import annotations

import datetime as dt


def document(agency, made: dt.date, *, kind: str = "other", issuers=(), valid_until=None, **extra):
    """A draft entry of `agency` (by the system), a normative document when `kind` says so."""
    from disclosure.catalog.operations import entries as ops

    normative = kind != "other"
    data = {
        "title": f"{agency.short_name}{'规范性文件' if normative else '政府信息'}（{made.isoformat()}）",
        "summary": "",
        "made_on": made.isoformat(),
        "category": "art20_1" if normative else "art20_15",
        "doc_kind": kind,
        "attribute": "proactive",
        "issuer_ids": [a.id for a in issuers],
        "valid_until": valid_until.isoformat() if valid_until else "",
    }
    data.update(extra)
    return ops.create_entry(agency, data, actor=None, source="api")


def publish(entry, day: dt.date):
    from disclosure.catalog.operations import entries as ops

    return ops.act(entry, "import_published", actor=None, today=day)


def interpret(agency, documents, day: dt.date):
    """An interpretation of `documents` by `agency`, published on `day`."""
    from disclosure.catalog.operations import entries as ops
    from disclosure.catalog.operations import interpretations

    entry = ops.create_entry(
        agency,
        {
            "title": f"{agency.short_name}政策解读（{day.isoformat()}）",
            "made_on": day.isoformat(),
            "entry_type": "interpretation",
            "interpretation_form": "text",
            "interpreter": f"{agency.short_name}办公室",
            "attribute": "proactive",
        },
        actor=None,
        source="api",
    )
    for d in documents:
        interpretations.link_interpretation(entry, d, actor=None)
    return publish(entry, day)


def build(tree, today: dt.date) -> None:
    from disclosure.catalog.operations import entries as ops
    from disclosure.catalog.operations import validity
    from disclosure.extensions import db

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    bureau, bureau2, office, outsider = tree.bureau, tree.bureau2, tree.office, tree.outsider

    publish(document(bureau, ago(40)), ago(35))
    publish(document(bureau, ago(100), issuers=[bureau2]), ago(30))
    changed = publish(document(bureau, ago(200)), ago(195))
    ops.act(changed, "revise", actor=None, today=ago(20))
    publish(changed, ago(15))
    withdrawn = publish(document(bureau, ago(50)), ago(45))
    ops.act(withdrawn, "withdraw", actor=tree.head, reason="内容有误，撤回。", today=ago(44))
    document(bureau, ago(60))
    document(bureau, ago(3))
    joint = publish(document(bureau, ago(90), kind="normative", issuers=[office], valid_until=ago(-60)), ago(88))
    interpret(bureau, [joint], ago(88))
    ended = publish(document(bureau, ago(300), kind="normative", valid_until=ago(10)), ago(290))
    interpret(bureau, [ended], ago(250))
    repealed = publish(document(bureau, ago(400), kind="normative", valid_until=ago(-30)), ago(395))
    validity.repeal(repealed, by=ended, effective_on=ago(5), reason="已被新文件替代。", actor=tree.head, today=ago(5))

    publish(document(bureau2, ago(25), kind="normative"), ago(20))
    publish(document(bureau2, ago(2), kind="normative"), ago(1))
    recorded = document(bureau2, ago(12), attribute="on_request", attribute_basis="other", attribute_reason="依申请")
    ops.act(recorded, "import_recorded", actor=None, today=ago(10))
    document(bureau2, ago(45))

    publish(document(office, ago(370)), ago(365))

    publish(document(outsider, ago(30)), ago(28))
    document(outsider, ago(90))
    publish(document(outsider, ago(25), kind="normative", valid_until=ago(-10)), ago(20))
    db.session.commit()
