"""The public search's text: what an entry contributes to the index, kept in the transaction that publishes,
revises, withdraws or changes the validity of the entry, so a withdrawn entry disappears from search the moment
it is withdrawn (issue 11 §5). The query side lives beside it as the search grows."""

from __future__ import annotations

from disclosure.catalog.models import Entry, EntryAttachment
from disclosure.core.textsearch import index_text_fields
from disclosure.extensions import db
from disclosure.web.richtext import html_to_text


def public_words(entry: Entry) -> list[str]:
    """The published version's words: title, numbers, summary, keywords, body, and its attachments' text."""
    version = entry.published_version
    if version is None:
        return []
    meta = version.metadata_json or {}
    words = [
        version.title,
        entry.index_number or "",
        version.document_number,
        meta.get("summary", ""),
        meta.get("keywords", ""),
        html_to_text(version.body_html),
    ]
    if version.attachment_ids:
        rows = db.session.execute(
            db.select(EntryAttachment.title, EntryAttachment.text).where(EntryAttachment.id.in_(version.attachment_ids))
        ).all()
        for title, text in rows:
            words.extend([title, text or ""])
    return words


def refresh_search_text(entry: Entry) -> None:
    """Index the entry while the public may see it; empty it otherwise."""
    entry.search_text = index_text_fields(*public_words(entry)) if entry.is_public else ""
