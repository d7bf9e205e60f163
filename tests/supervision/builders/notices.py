"""Supervision notices for the figures' exactness test: the tree's supervisor issues notices (free-text matters, so
the world does not depend on the other figures) to both bureaux on days before `today`; some are answered on time,
some late (in several months), one is reissued and answered late again, one is closed, one withdrawn, some still
open and late, and one open and not yet due. Everything goes through the operations with their `today`."""

from __future__ import annotations

import datetime as dt

# (agency attribute, days before today it is issued, days it is given, the story)
STORIES = (
    ("bureau", 40, 10, "answered_late_closed"),  # answered 25 days before today: late
    ("bureau", 100, 10, "answered_on_time"),
    ("bureau", 20, 5, "late_open"),  # due 15 days before today, never answered
    ("bureau", 3, 14, "open"),  # due after today
    ("bureau", 12, 5, "withdrawn"),
    ("bureau2", 200, 10, "reissued_late"),  # answered late twice: in two rounds
    ("bureau2", 60, 30, "late_open"),
    ("bureau2", 400, 10, "answered_late_closed"),  # answered last year
)


def build(tree, today: dt.date) -> None:
    from disclosure.extensions import db
    from disclosure.supervision.notices import operations as ops

    def day(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    for k, (attr, ago, given, story) in enumerate(STORIES, start=1):
        agency = getattr(tree, attr)
        head = tree.head if attr == "bureau" else tree.head2
        issued = day(ago)
        notice = ops.issue_notice(
            tree.supervisor,
            {
                "agency_id": agency.id,
                "other": f"第{k}项：栏目长期未更新\n第{k}项：政策解读未同步发布",
                "due_on": (issued + dt.timedelta(days=given)).isoformat(),
                "text": f"请于期限内完成整改（{story}）。",
            },
            today=issued,
        )
        due = notice.due_on
        if story == "answered_on_time":
            ops.answer_notice(notice, head, {"answer": "已整改。"}, today=due)
        elif story == "answered_late_closed":
            ops.answer_notice(notice, head, {"answer": "已整改。"}, today=due + dt.timedelta(days=5))
            ops.close_notice(notice, tree.supervisor, "", today=due + dt.timedelta(days=6))
        elif story == "withdrawn":
            ops.withdraw_notice(notice, tree.supervisor, "已另行部署。", today=issued + dt.timedelta(days=1))
        elif story == "reissued_late":
            first = due + dt.timedelta(days=3)
            ops.answer_notice(notice, head, {"answer": "部分整改。"}, today=first)
            ops.reissue_notice(
                notice, tree.supervisor, "请继续整改。", (first + dt.timedelta(days=10)).isoformat(), today=first
            )
            ops.answer_notice(notice, head, {"answer": "已全部整改。"}, today=first + dt.timedelta(days=40))
    db.session.commit()
