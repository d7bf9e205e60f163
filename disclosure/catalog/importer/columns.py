"""The import file's columns (issue 11 §6) and how each cell becomes an entry's input.

One row per entry; the header row names the columns in Chinese, as old websites' catalogues do. `RowReader` turns
one row into the input of `operations.entries.clean_entry_input` plus the import's own values (the index number,
the publication date, validity, the attachments' names), and reports every problem of the row at once as
(column, message)."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.catalog.classification import CATEGORIES, CATEGORY_ARTICLES
from disclosure.catalog.index_numbers import parse_imported
from disclosure.catalog.models import DocKind, Genre, Theme, Validity
from disclosure.core import spreadsheets
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from workflows.catalog import Attribute

# (header, the entry's field or the import's own key, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("索引号", "index_number", False),
    ("标题", "title", True),
    ("发文机关", "issuers", False),
    ("发文字号", "document_number", False),
    ("成文日期", "made_on", True),
    ("发布日期", "published_on", True),
    ("主题分类", "theme_id", False),
    ("体裁分类", "genre_id", False),
    ("文件类型", "doc_kind", False),
    ("公开方式", "attribute", False),
    ("有效性", "validity", False),
    ("废止日期", "ended_on", False),
    ("内容概述", "summary", False),
    ("正文", "body_html", False),
    ("附件", "attachments", False),
    ("法定主动公开内容", "category", False),
)
HEADERS = {header: key for header, key, _r in COLUMNS}
COLUMN_OF = {key: header for header, key, _r in COLUMNS}
# Fields clean_entry_input reports that stand in another column of the file.
COLUMN_OF.update({"attribute_basis": "公开方式", "attribute_reason": "公开方式", "issuer_ids": "发文机关"})
ERROR_COLUMN, ROW_COLUMN = "错误原因", "原行号"
IGNORED = {ERROR_COLUMN, ROW_COLUMN, "序号"}

DOC_KINDS = {"规章": DocKind.REGULATION, "行政规范性文件": DocKind.NORMATIVE, "规范性文件": DocKind.NORMATIVE}
DOC_KINDS.update({"其他": DocKind.OTHER, "其他公文": DocKind.OTHER})
ATTRIBUTES = {"主动公开": Attribute.PROACTIVE, "依申请公开": Attribute.ON_REQUEST, "不予公开": Attribute.NOT_DISCLOSED}
VALIDITIES = {"有效": Validity.VALID, "失效": Validity.EXPIRED, "废止": Validity.REPEALED}
# The old catalogue does not say why an entry was not disclosed proactively; the entry keeps that fact.
IMPORTED_BASIS = "other"
IMPORTED_REASON = "自原政府信息公开目录导入，原目录未载明不主动公开的依据。"
SEPARATORS = re.compile(r"[；;、，,\n]+")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def sheet_limits() -> dict:
    """The catalogue import's limits on the file (settings `CATALOG_IMPORT_MAX_BYTES`, `…_MAX_ROWS`,
    `…_SYNC_BYTES` …; `core.spreadsheets.limits`)."""
    return spreadsheets.limits("CATALOG_IMPORT")


class HeaderError(DomainError):
    pass


def find_header(rows: list[list]) -> tuple[int, list[str | None], list[str]]:
    """(index of the header row among the first five, the key of each column, the headers as written). The
    header row is the first naming 标题 and at least two other columns."""
    for idx, row in enumerate(rows[:5]):
        texts = ["" if c is None else str(c).strip() for c in row]
        keys = [HEADERS.get(t) for t in texts]
        if "title" in keys and sum(1 for k in keys if k) >= 3:
            missing = [h for h, key, required in COLUMNS if required and key not in keys]
            if missing:
                raise HeaderError(_l("The header row lacks the column(s) %(names)s.", names="、".join(missing)))
            return idx, keys, texts
    raise HeaderError(
        _l("No header row found: the first row must name the columns (索引号, 标题, 成文日期, 发布日期 …).")
    )


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value) -> dt.date | None:
    """A cell as a date: a spreadsheet date, 2016-07-29, 2016/7/29, 2016.7.29, 2016年7月29日 or 20160729.
    ValueError for anything else (an empty cell is None)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise ValueError(text)
    return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def body_html(text: str) -> str:
    """正文 as the old website gave it: HTML is kept (clean_entry_input sanitises it), plain text becomes
    paragraphs, one a line."""
    if not text or _TAG.search(text):
        return text
    return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


@dataclass
class ParsedRow:
    data: dict  # clean_entry_input's input
    index_number: str = ""
    published_on: dt.date | None = None
    validity: str = ""
    ended_on: dt.date | None = None
    attachments: list[str] = field(default_factory=list)
    errors: list[tuple[str, object]] = field(default_factory=list)  # (column header, message)
    bad_dates: set[str] = field(default_factory=set)

    def refuse(self, key: str, message) -> None:
        self.errors.append((COLUMN_OF.get(key, ""), message))


class RowReader:
    """The lookups a file's rows need (themes, genres, the deployment's agencies), loaded once per import."""

    def __init__(self, agency: Agency):
        self.agency = agency
        self.themes: dict[str, int] = {}
        children: dict[str, list[int]] = {}
        rows = db.session.execute(select(Theme).where(Theme.active.is_(True))).scalars().all()
        by_id = {t.id: t for t in rows}
        for theme in rows:
            parent = by_id.get(theme.parent_id) if theme.parent_id else None
            if theme.parent_id and parent is None:
                continue  # its parent is inactive
            self.themes[f"{parent.name}/{theme.name}" if parent else theme.name] = theme.id
            if parent is not None:
                children.setdefault(theme.name, []).append(theme.id)
        self.second_level = children
        self.genres = {g.name: g.id for g in db.session.execute(select(Genre).where(Genre.active.is_(True))).scalars()}
        self.agencies: dict[str, int] = {}
        for other in db.session.execute(select(Agency).where(Agency.active.is_(True))).scalars():
            self.agencies[other.full_name] = other.id
        self.agencies[agency.full_name] = self.agencies[agency.short_name] = agency.id
        self.categories = {code: code for code in CATEGORIES}
        self.categories.update({article: code for code, article in CATEGORY_ARTICLES.items()})

    def read(self, cells: dict[str, object]) -> ParsedRow:
        """One row's cells by key to the entry's input; every problem recorded on the row."""
        text = {key: text_of(value) for key, value in cells.items()}
        row = ParsedRow(
            data={
                "title": text.get("title", ""),
                "document_number": text.get("document_number", ""),
                "summary": text.get("summary", ""),
                "body_html": body_html(text.get("body_html", "")),
                "entry_type": "document",
            }
        )
        row.index_number = text.get("index_number", "")
        if row.index_number and parse_imported(row.index_number) is None:
            row.refuse("index_number", _l("This is not an index number (e.g. 014119467/2016-00076)."))
        for key in ("made_on", "published_on", "ended_on"):
            try:
                day = parse_date(cells.get(key))
            except ValueError:
                row.refuse(key, _l("Enter a date as YYYY-MM-DD."))
                row.bad_dates.add(key)
                day = None
            if key == "made_on":
                row.data["made_on"] = day
            else:
                setattr(row, key, day)
        if row.published_on is None and "published_on" not in row.bad_dates:
            row.refuse("published_on", _l("Enter the date the information was published (发布日期)."))
        made = row.data["made_on"]
        if made and row.published_on and row.published_on < made:
            row.refuse("published_on", _l("The information cannot be published before it was made."))
        if row.published_on and row.published_on > today_china():
            row.refuse("published_on", _l("The publication date cannot be in the future."))
        self._classify(row, text)
        self._validity(row, text)
        self._issuers(row, text.get("issuers", ""))
        row.attachments = [n.strip() for n in re.split(r"[；;\n]+", text.get("attachments", "")) if n.strip()]
        return row

    def _classify(self, row: ParsedRow, text: dict) -> None:
        theme = text.get("theme_id", "").replace("／", "/").replace(" ", "")
        if theme:
            theme_id = self.themes.get(theme)
            if theme_id is None and "/" not in theme:
                matches = self.second_level.get(theme, [])
                if len(matches) == 1:
                    theme_id = matches[0]
                elif len(matches) > 1:
                    row.refuse(
                        "theme_id",
                        _l("The theme %(name)s exists under several first levels: write it as 一级/二级.", name=theme),
                    )
                    theme = ""
            if theme and theme_id is None:
                row.refuse("theme_id", _l("Unknown theme %(name)s: use a theme of the list (一级/二级).", name=theme))
            row.data["theme_id"] = theme_id
        genre = text.get("genre_id", "")
        if genre:
            if genre not in self.genres:
                row.refuse("genre_id", _l("Unknown genre %(name)s: use a genre of the list.", name=genre))
            row.data["genre_id"] = self.genres.get(genre)
        kind = text.get("doc_kind", "")
        if kind and kind not in DOC_KINDS:
            row.refuse("doc_kind", _l("Write 规章, 行政规范性文件 or 其他."))
        row.data["doc_kind"] = DOC_KINDS.get(kind, DocKind.OTHER).value
        attribute = text.get("attribute", "") or "主动公开"
        if attribute not in ATTRIBUTES:
            row.refuse("attribute", _l("Write 主动公开, 依申请公开 or 不予公开."))
        row.data["attribute"] = ATTRIBUTES.get(attribute, Attribute.PROACTIVE).value
        if row.data["attribute"] != Attribute.PROACTIVE.value:
            row.data["attribute_basis"], row.data["attribute_reason"] = IMPORTED_BASIS, IMPORTED_REASON
        category = text.get("category", "")
        if category:
            code = self.categories.get(category) or next(
                (c for c, label in CATEGORIES.items() if str(label) == category), None
            )
            if code is None:
                row.refuse("category", _l("Unknown statutory category: write its article, e.g. 第二十条第（一）项."))
            row.data["category"] = code or ""
        else:  # the old catalogues rarely say it: rules and normative documents are Art. 20(1), the rest (15)
            row.data["category"] = "art20_1" if DocKind(row.data["doc_kind"]).normative else "art20_15"

    def _validity(self, row: ParsedRow, text: dict) -> None:
        validity = text.get("validity", "")
        if validity and validity not in VALIDITIES:
            row.refuse("validity", _l("Write 有效, 失效 or 废止."))
            return
        row.validity = VALIDITIES.get(validity, Validity.VALID).value if validity else ""
        ended = row.ended_on
        if row.validity in (Validity.EXPIRED.value, Validity.REPEALED.value):
            if ended is None and "ended_on" not in row.bad_dates:
                row.refuse("ended_on", _l("Enter the date the document stopped being valid (废止日期)."))
            made = row.data.get("made_on")
            if ended and made and ended < made:
                row.refuse("ended_on", _l("A document cannot stop being valid before it was made."))
            if ended and ended > today_china():
                row.refuse("ended_on", _l("The date the document stopped being valid cannot be in the future."))
        elif ended is not None:
            row.refuse("ended_on", _l("Only a document that is 失效 or 废止 has this date; empty it or set 有效性."))

    def _issuers(self, row: ParsedRow, cell: str) -> None:
        """发文机关: the importing agency and any agency of the deployment by its full name (a joint document)."""
        ids: list[int] = []
        for name in (n.strip() for n in SEPARATORS.split(cell) if n.strip()):
            agency_id = self.agencies.get(name)
            if agency_id is None:
                row.refuse(
                    "issuers",
                    _l("%(name)s is not an agency of this system: write each issuer's full name.", name=name),
                )
            elif agency_id not in ids:
                ids.append(agency_id)
        row.data["issuer_ids"] = [str(i) for i in ids if i != self.agency.id]
