"""The empty import workbook staff download and fill: the header row (the row the importer looks for) with a note
on each column, drop-down lists for the columns with fixed values (themes, genres, document types, attributes,
validity; kept on a hidden sheet), and a sheet 填写说明 repeating the notes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from disclosure.catalog.classification import CATEGORY_ARTICLES
from disclosure.catalog.importer.columns import ATTRIBUTES, COLUMNS, VALIDITIES
from disclosure.catalog.models import Genre, Theme
from disclosure.core.spreadsheet_templates import template_workbook as spreadsheet_template
from disclosure.extensions import db


def _notes() -> dict[str, str]:
    return {
        "index_number": _("Optional: the old website's index number (e.g. 014119467/2016-00076); empty: assigned."),
        "title": _("Required: the title, at most 300 characters."),
        "issuers": _(
            "Optional: the issuing organs' full names separated by ；. Another agency of this system makes it a "
            "joint document; empty: your agency."
        ),
        "document_number": _("Optional: e.g. 钟政办发〔2016〕31号, in any bracket variant. Unique in your catalogue."),
        "made_on": _("Required: the date the document was made, YYYY-MM-DD."),
        "published_on": _("Required: the date it was published, YYYY-MM-DD; not before the date it was made."),
        "theme_id": _("Optional: 一级/二级 (综合政务/政务公开), or the second level alone where it is unambiguous."),
        "genre_id": _("Optional: a genre from the drop-down list."),
        "doc_kind": _("Optional: 规章, 行政规范性文件 or 其他 (empty: 其他)."),
        "attribute": _(
            "Optional: 主动公开 (published), 依申请公开 or 不予公开 (recorded, never public); empty: 主动公开."
        ),
        "validity": _("Optional: 有效, 失效 or 废止 (empty: 有效)."),
        "ended_on": _("Required for 失效 and 废止: the date the document stopped being valid, YYYY-MM-DD."),
        "summary": _("Optional: the summary (内容概述)."),
        "body_html": _("Optional: the body, as text (one paragraph a line) or HTML."),
        "attachments": _("Optional: file names inside the ZIP of attachments, separated by ；."),
        "category": _(
            "Optional: the article of the statutory category, e.g. 第二十条第（一）项; empty: item (1) for rules "
            "and normative documents, item (15) otherwise."
        ),
    }


def _lists() -> dict[str, list[str]]:
    themes = db.session.execute(select(Theme).where(Theme.active.is_(True)).order_by(Theme.position)).scalars()
    genres = db.session.execute(select(Genre).where(Genre.active.is_(True)).order_by(Genre.position)).scalars()
    return {
        "theme_id": [t.path for t in themes if t.parent_id is not None],
        "genre_id": [g.name for g in genres],
        "doc_kind": ["规章", "行政规范性文件", "其他"],
        "attribute": list(ATTRIBUTES),
        "validity": list(VALIDITIES),
        "category": list(dict.fromkeys(CATEGORY_ARTICLES.values())),
    }


def template_workbook() -> bytes:
    # Themes may also be typed as the second level alone: the list suggests without refusing.
    return spreadsheet_template(
        "目录",
        [(header, key) for header, key, _required in COLUMNS],
        _notes(),
        _lists(),
        wide={"title", "summary", "body_html"},
        suggest_only={"theme_id"},
    )
