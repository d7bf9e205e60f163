"""Public consultations' records for the figures' exactness test: consultations of the tree's agencies drafted,
approved, opened, commented on (online, and by post as staff enter it), closed, answered, withdrawn and given their
published feedback on days around `today` through the participation operations (each step at its own moment, the
periodic task's steps as the system). What it makes, counted from `today` (T):

- bureau: a draft normative document's consultation opened T-60 (7 working days) with two comments online, one
  by post and a duplicate, all answered, its feedback published T-45 (on time); one opened T-10 for 30 days, still
  open, with a comment; one opened T-40 and withdrawn after its close, without feedback (never overdue);
- bureau2: one opened T-120 (7 days) with a comment, its feedback published T-40 (late: more than 20 working days
  after the close); one opened T-70, closed, its feedback never published (overdue); one opened T-20, closed, its
  feedback not yet due;
- outsider: one opened T-30 with a comment, closed;
- office: none.
"""

from __future__ import annotations

import datetime as dt

DRAFT = "<p>第一条 为了规范管理，制定本办法。</p><p>第二条 本办法自发布之日起施行。</p>"


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment of a Beijing day, in UTC."""
    from disclosure.core.timeutil import CHINA_TZ

    return dt.datetime.combine(day, dt.time(hour, minute), CHINA_TZ).astimezone(dt.UTC)


def consultation(agency, head, opens: dt.date, *, kind: str = "other", days: int = 7):
    """A consultation drafted by the agency's office head, approved the day before it opens, opened by the system."""
    from disclosure.participation.operations import consultations as ops

    c = ops.create_consultation(
        agency,
        {
            "title": f"{agency.short_name}管理办法（征求意见稿，{opens.isoformat()}）",
            "kind_id": str(ops.kind_by_code(kind).id),
            "summary": "公开征求意见。",
            "draft_html": DRAFT,
            "explanation_html": "<p>起草说明。</p>",
            "opens_at": f"{opens.isoformat()}T09:00",
            "period_length": str(days),
            "accept_online": "y",
            "postal_address": "示例市人民路1号",
        },
        actor=head,
    )
    ops.act(c, "approve", actor=head, now=at(opens - dt.timedelta(days=1)))
    ops.act(c, "open", actor=None, now=at(opens, 9, 1))
    return c


def comment(c, day: dt.date, body: str = "建议明确适用范围。"):
    from disclosure.participation.operations import comments

    cm, _created = comments.submit_comment(
        c, {"body": body, "name": "张三", "article": "1", "submitter_type": "citizen"}, user=None, now=at(day, 10)
    )
    return cm


def close(c):
    from disclosure.participation.operations import consultations as ops

    return ops.act(c, "close", actor=None, now=c.closes_at + dt.timedelta(minutes=1))


def answer_and_publish(c, head, published: dt.date):
    """Every comment answered, the feedback drafted, approved and published on `published`."""
    from disclosure.extensions import db
    from disclosure.participation.models import Comment
    from disclosure.participation.operations import comments, feedback
    from disclosure.participation.operations import consultations as ops

    rows = db.session.execute(db.select(Comment).where(Comment.consultation_id == c.id).order_by(Comment.id))
    for n, cm in enumerate(rows.scalars()):
        if cm.duplicate_of_id is None:
            result, reason = ("not_adopted", "与上位法规定不一致。") if n % 2 else ("adopted", "")
            comments.answer_comment(cm, result, reason, actor=head)
    ops.act(c, "draft_feedback", actor=head, now=at(published, 8))
    ops.act(c, "approve_feedback", actor=head, now=at(published, 9))
    feedback.publish_feedback(c, actor=head, now=at(published, 10))


def build(tree, today: dt.date) -> None:
    from disclosure.extensions import db
    from disclosure.participation.operations import comments
    from disclosure.participation.operations import consultations as ops
    from tests.supervision.builders import on_day

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    ops.ensure_kinds()

    first = consultation(tree.bureau, tree.head, ago(60), kind="normative")
    original = comment(first, ago(58))
    comment(first, ago(55), "建议增加过渡期。")
    copy = comment(first, ago(54), "建议明确适用范围。")
    comments.mark_duplicate(copy, original.number, actor=tree.head)
    with on_day(today):
        comments.enter_comment(
            first,
            {"body": "来信：建议延长施行日期。", "channel": "post", "received_on": ago(54).isoformat()},
            actor=tree.head,
        )
    close(first)
    answer_and_publish(first, tree.head, ago(45))

    running = consultation(tree.bureau, tree.head, ago(10), days=30)
    comment(running, ago(5))

    dropped = consultation(tree.bureau, tree.head, ago(40))
    close(dropped)
    ops.act(dropped, "withdraw", actor=tree.head, reason="起草计划调整，不再制定。", now=at(ago(30)))

    late = consultation(tree.bureau2, tree.head2, ago(120))
    comment(late, ago(118))
    close(late)
    answer_and_publish(late, tree.head2, ago(40))

    overdue = consultation(tree.bureau2, tree.head2, ago(70))
    comment(overdue, ago(66))
    close(overdue)

    close(consultation(tree.bureau2, tree.head2, ago(20)))

    outside = consultation(tree.outsider, tree.outsider_head, ago(30))
    comment(outside, ago(28))
    close(outside)
    db.session.commit()
