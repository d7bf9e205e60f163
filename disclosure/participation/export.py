"""XLSX of every comment of a consultation with its article and answer, for the drafting explanation
(decidim #1565: the synthesis is written in a spreadsheet). No names or contact details: the file may be shared.
Written row by row (openpyxl write-only) so 20,000 comments stay small and fast."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select

from disclosure.core.spreadsheets import cell_text
from disclosure.extensions import db
from disclosure.participation.articles import article_label
from disclosure.participation.models import Comment, CommentGroup, Consultation
from disclosure.participation.operations.feedback import RESULT_ZH, SUBMITTER_ZH

HEADER = [
    "意见编号",
    "收到日期",
    "渠道",
    "条款",
    "款项",
    "提出人类别",
    "意见内容",
    "重复于",
    "分组",
    "处理结果",
    "理由",
]


def comments_xlsx(c: Consultation) -> bytes:
    groups = {
        g.id: g for g in db.session.execute(select(CommentGroup).where(CommentGroup.consultation_id == c.id)).scalars()
    }
    numbers = dict(db.session.execute(select(Comment.id, Comment.number).where(Comment.consultation_id == c.id)).all())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("意见")
    ws.append(HEADER)
    rows = db.session.execute(
        select(
            Comment.number,
            Comment.received_on,
            Comment.channel,
            Comment.article,
            Comment.paragraph,
            Comment.submitter_type,
            Comment.body,
            Comment.duplicate_of_id,
            Comment.group_id,
            Comment.result,
            Comment.reason,
        )
        .where(Comment.consultation_id == c.id)
        .order_by(Comment.id)
        .execution_options(yield_per=2000)
    )
    for number, received, channel, article, paragraph, submitter, body, dup, group_id, result, reason in rows:
        group = groups.get(group_id)
        if group is not None and group.result:
            result, reason = group.result, group.reason
        ws.append(
            [
                cell_text(number),
                received.isoformat(),
                cell_text(channel),
                article_label(article) or "全文",
                cell_text(paragraph),
                SUBMITTER_ZH.get(submitter, submitter),
                cell_text(body),
                cell_text(numbers.get(dup, "")) if dup else "",
                cell_text(group.title) if group else "",
                RESULT_ZH.get(result, ""),
                cell_text(reason),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
