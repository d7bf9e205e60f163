"""Archives and libraries (条例 Art. 25; issue 11 §5): an agency's entries published in a period, as one ZIP holding
the attachment files each published version names and an XLSX of their metadata (目录.xlsx), for the national
archives and public libraries.

The files are read from storage one at a time and written into the ZIP on a temporary file (not held in memory
together); spreadsheet cells that would run as formulas are neutralised.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.catalog import platform
from disclosure.catalog.classification import CATEGORY_ARTICLES
from disclosure.catalog.models import Entry, EntryAttachment, EntryVersion
from disclosure.extensions import db

MAX_ENTRIES = 20_000  # one period's export; a larger period is refused with a message (choose a shorter one)
HEADERS = (
    "索引号",
    "标题",
    "发文机关",
    "发文字号",
    "成文日期",
    "发布日期",
    "主题分类",
    "体裁分类",
    "法定主动公开事项",
    "有效性",
    "内容概述",
    "版本",
    "附件",
)
VALIDITY = {"valid": "有效", "expired": "失效", "repealed": "废止"}


def spreadsheet_text(value: object) -> str:
    """A value as cell text that a spreadsheet shows and never runs: text starting with = + - @ (or a tab or
    carriage return before one) is a formula in Excel and LibreOffice (CSV/formula injection), so it is prefixed
    with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.lstrip("\t\r\n ")[:1] in ("=", "+", "-", "@") else text


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def entries_published(agency: Agency, period: Period) -> list[tuple[Entry, EntryVersion]]:
    """The agency's public entries (alone or as joint issuer) whose current version was published in the period,
    in order of publication."""
    query = (
        select(Entry, EntryVersion)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(
            *platform.public_condition(),
            platform.issued_by(agency.id),
            EntryVersion.published_on >= period.start,
            EntryVersion.published_on <= period.end,
        )
        .order_by(EntryVersion.published_on, Entry.id)
        .limit(MAX_ENTRIES + 1)
    )
    return [tuple(r) for r in db.session.execute(query).all()]


def _member_name(number: str, position: int, name: str, used: set[str]) -> str:
    """A ZIP member path from the index number (its "/" becomes "_") and the file's display name, unique."""
    folder = number.replace("/", "_").replace("\\", "_").strip(". ") or "entry"
    base = name.replace("/", "_").replace("\\", "_").strip(". ") or f"file-{position}"
    candidate = f"附件/{folder}/{position:02d}-{base}"
    n = 1
    while candidate in used:
        n += 1
        candidate = f"附件/{folder}/{position:02d}-{n}-{base}"
    used.add(candidate)
    return candidate


def build_archive(agency: Agency, period: Period) -> tuple[bytes, int]:
    """(the ZIP's bytes, the number of entries). Raises ValueError when the period holds more than MAX_ENTRIES."""
    rows = entries_published(agency, period)
    if len(rows) > MAX_ENTRIES:
        raise ValueError("too many entries")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("目录")
    ws.append(list(HEADERS))
    used: set[str] = set()
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for entry, version in rows:
                meta = version.metadata_json or {}
                names = []
                ids = list(version.attachment_ids or [])
                attachments = {
                    a.id: a
                    for a in db.session.execute(
                        select(EntryAttachment).where(EntryAttachment.id.in_(ids), EntryAttachment.entry_id == entry.id)
                    ).scalars()
                }
                for position, att_id in enumerate(ids, start=1):
                    att = attachments.get(att_id)
                    if att is None:
                        continue
                    member = _member_name(entry.index_number or str(entry.id), position, att.file.original_name, used)
                    try:
                        zf.write(att.file.path, member)
                    except FileNotFoundError:
                        continue
                    names.append(member)
                ws.append(
                    [
                        spreadsheet_text(v)
                        for v in (
                            entry.index_number,
                            version.title,
                            "、".join(meta.get("issuers") or []),
                            version.document_number,
                            meta.get("made_on"),
                            version.published_on,
                            meta.get("theme", ""),
                            meta.get("genre", ""),
                            CATEGORY_ARTICLES.get(meta.get("category", ""), ""),
                            VALIDITY.get(entry.validity, entry.validity),
                            meta.get("summary", ""),
                            version.revision,
                            "\n".join(names),
                        )
                    ]
                )
            sheet = io.BytesIO()
            wb.save(sheet)
            zf.writestr("目录.xlsx", sheet.getvalue())
        spool.seek(0)
        return spool.read(), len(rows)
