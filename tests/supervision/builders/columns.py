"""Column updates' records for the figures' exactness test: catalogue entries of the tree's agencies published on
days around `today` through the catalogue's operations (imported as published, as an old website's entries are:
the path that takes a publication day), a joint document, a withdrawn entry, and the supervisor's own settings for
the first bureau through the column operation. What it makes, on `today`:

- office: nothing at all (every column blank, no update in two weeks);
- bureau: art20_11 overdue (20 days, gap 14), art20_1 overdue and long stale (400 days), art20_2 static (ok after
  1,000 days), art20_4 overdue by its own 60-day gap (80 days), art20_15 up to date, art20_3 through a joint
  document of bureau2, art20_13 not applying;
- bureau2: art20_3 (its joint document) and art20_7 up to date, art20_9 blank again (its entry withdrawn);
- outsider: art20_11 up to date.
"""

from __future__ import annotations

import datetime as dt


def publish(agency, category: str, day: dt.date, *, issuers=(), title: str | None = None):
    """A public entry of `agency` in `category`, published on `day` (with joint issuers)."""
    from disclosure.catalog.operations import entries as ops

    data = {
        "title": title or f"{agency.short_name}{category}信息（{day.isoformat()}）",
        "summary": "",
        "made_on": day.isoformat(),
        "category": category,
        "doc_kind": "other",
        "attribute": "proactive",
        "issuer_ids": [a.id for a in issuers],
    }
    entry = ops.create_entry(agency, data, actor=None, source="api")
    ops.act(entry, "import_published", actor=None, today=day)
    return entry


def build(tree, today: dt.date) -> None:
    from disclosure.catalog.operations import entries as ops
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    publish(tree.bureau, "art20_11", ago(20))
    publish(tree.bureau, "art20_1", ago(400))
    publish(tree.bureau, "art20_2", ago(1000))
    publish(tree.bureau, "art20_4", ago(80))
    publish(tree.bureau, "art20_15", ago(10))
    publish(tree.bureau2, "art20_3", ago(5), issuers=[tree.bureau])
    publish(tree.bureau2, "art20_7", ago(3))
    withdrawn = publish(tree.bureau2, "art20_9", ago(30))
    ops.act(withdrawn, "withdraw", actor=tree.head2, reason="内容有误，撤回。", today=ago(29))
    publish(tree.outsider, "art20_11", ago(2))
    data = operations.agency_input(tree.bureau)
    data.update({"art20_4_gap": "60", "art20_13_applies": False})
    operations.save_agency_columns(tree.bureau, data, actor=tree.supervisor)
    db.session.commit()
