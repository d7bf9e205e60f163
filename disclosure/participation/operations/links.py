"""The catalogue, reached only through its door (`disclosure.catalog`): the draft and final entries a
consultation links to, and the generated documents it publishes (the feedback report, the list of matters)."""

from __future__ import annotations

from flask import url_for

from disclosure.catalog import models as catalog_models
from disclosure.catalog import publish_generated
from disclosure.extensions import db

__all__ = ["catalog_entry", "entry_link", "publish_generated"]


def catalog_entry(ref, agency_id: int):
    """The catalogue entry with this id, when it belongs to the agency (as lead issuer)."""
    try:
        entry_id = int(str(ref).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < entry_id < 2**31:
        return None
    entry = db.session.get(catalog_models.Entry, entry_id)
    if entry is None or entry.agency_id != agency_id:
        return None
    return entry


def entry_link(entry_id: int | None) -> dict | None:
    """{title, url} of a linked entry: the public page once it is published, else no url (staff see the id)."""
    if not entry_id:
        return None
    entry = db.session.get(catalog_models.Entry, entry_id)
    if entry is None:
        return None
    url = None
    if entry.index_number and entry.state == "published":
        url = url_for("catalog_public.entry", index_number=entry.index_number)
    return {"id": entry.id, "title": entry.title, "url": url, "index_number": entry.index_number or ""}
