"""The same row imported again: its entry is updated (a new published version with the row's 发布日期) when the
row says something new, and left alone otherwise."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from disclosure.catalog.importer.attachments import add_attachments
from disclosure.catalog.importer.columns import ParsedRow
from disclosure.catalog.models import CatalogImport, Entry, EntryIssuer, ValidityChange, ValidityEvent
from disclosure.catalog.operations.entries import SNAPSHOT_FIELDS, publish_version, refresh_due
from disclosure.core import audit
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from workflows.catalog import Attribute, States

NOTE = "依原政府信息公开目录重新导入更新。"


def refusal(entry: Entry, values: dict) -> tuple[str, object] | None:
    """Why this entry may not be updated by an import, as (field, message), or None."""
    if entry.state not in (States.PUBLISHED.value, States.RECORDED.value):
        return "title", _l(
            "The entry already in the catalogue is being edited or was withdrawn: change it on its page."
        )
    was_public = entry.attribute == Attribute.PROACTIVE.value
    if was_public != (values["attribute"] == Attribute.PROACTIVE.value):
        return "attribute", _l("An entry's disclosure attribute is changed on its page, not by an import.")
    return None


def update_imported(
    entry: Entry, values: dict, row: ParsedRow, files: list, *, job: CatalogImport, actor, validity: tuple
) -> bool:
    """Apply the row to its entry; False when nothing changed. `validity` is (value, since)."""
    values = dict(values)
    issuer_ids = [int(i) for i in values.pop("issuer_ids")]
    changed = {k: v for k, v in values.items() if getattr(entry, k) != v}
    current_issuers = [i.agency_id for i in entry.issuers if not i.lead]
    known = {(a.title, a.file.size) for a in entry.live_attachments()}
    new_files = [f for f in files if (f[0].rsplit(".", 1)[0][:200], len(f[1])) not in known]
    validity_changed = (entry.validity, entry.validity_since) != validity
    if not (
        changed
        or issuer_ids != current_issuers
        or new_files
        or validity_changed
        or (row.published_on and row.published_on != entry.published_on)
    ):
        return False
    problem = refusal(entry, values)
    if problem is not None:
        raise DomainError(problem[1], field=problem[0])
    before = audit.snapshot(entry, SNAPSHOT_FIELDS)
    for name, value in changed.items():
        setattr(entry, name, value)
    if issuer_ids != current_issuers:
        entry.issuers = [EntryIssuer(agency_id=entry.agency_id, lead=True, position=0)] + [
            EntryIssuer(agency_id=a, lead=False, position=i) for i, a in enumerate(issuer_ids, start=1)
        ]
    refresh_due(entry)
    if validity_changed:
        entry.validity, entry.validity_since = validity
        db.session.add(
            ValidityEvent(
                entry_id=entry.id,
                change=ValidityChange.IMPORTED.value,
                validity=validity[0],
                effective_on=validity[1] or row.published_on,
                created_at=utcnow(),
            )
        )
    if new_files:
        add_attachments([(entry.id, name, data, kind) for name, data, kind in new_files], job, versions={})
        db.session.expire(entry, ["attachments"])
    day = row.published_on or entry.published_on
    publish_version(entry, actor=None, today=day, note=NOTE, published_on=day)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(entry, SNAPSHOT_FIELDS))
    entry.log("catalog.import_update", before=old, after={**new, "import": job.id}, actor=actor)
    return True
