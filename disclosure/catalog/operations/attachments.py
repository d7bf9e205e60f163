"""An entry's files (issue 11 §1, Attachments): upload on a draft, describe, reorder, remove, and read their text
for the search in the background.

Files are judged by their content (`core.documents.inspect_document`: type, size, polyglots, archive bombs,
encryption, macros) before anything is stored. Attachments are never deleted: a removed one keeps its row and
file (`removed_at`), since a published version names the attachments it published and stays public until the
next publication.

Text extraction runs in the worker after the commit (`tasks.extract_attachment_text`): an upload queues its
attachment's id on the session (`queue_extraction`); once the transaction commits the ids are ready
(`ready_extractions`), and the request's end hands them to the worker. A rolled-back upload queues nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

import workflows.catalog as wf
from disclosure.catalog.models import AttachmentRole, Entry, EntryAttachment, EntryType
from disclosure.catalog.operations.entries import REFUSALS, actors_for, check_version
from disclosure.catalog.search import refresh_search_text
from disclosure.core.documents import inspect_document
from disclosure.core.errors import DomainError, NotAllowed, collect_errors
from disclosure.core.storage import store
from disclosure.core.textextract import READABLE, extract_text
from disclosure.core.timeutil import utcnow
from disclosure.extensions import db
from disclosure.web.params import parse_int
from workflows.catalog import States

TEXT_PENDING = "pending"  # waiting for the worker
TEXT_DONE = "done"  # read; `text` holds it (possibly empty: a scanned PDF)
TEXT_NONE = "none"  # a kind without text to read (images, DOC, XLS, XLSX)
TEXT_FAILED = "failed"  # a readable kind whose text could not be read (damaged, hostile, too slow)

MAX_FILES = 20  # per upload
MAX_POSITION = 9999
TITLE_LIMIT = 200

PENDING_KEY = "catalog_extract_pending"
READY_KEY = "catalog_extract_ready"


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    content_type: str = ""


def _may_edit(entry: Entry, actor) -> None:
    if actor is not None and not ({wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & actors_for(entry, actor)):
        raise NotAllowed(REFUSALS["role"])
    if entry.state != States.DRAFT.value:
        raise DomainError(_l("Files are added, changed or removed while the entry is a draft."))


def _roles_for(entry: Entry) -> set[str]:
    roles = {AttachmentRole.ORIGINAL.value, AttachmentRole.TEXT.value, AttachmentRole.ATTACHMENT.value}
    if entry.entry_type == EntryType.INTERPRETATION.value:
        roles.add(AttachmentRole.MEDIA.value)
    return roles


def _clean_description(entry: Entry, data: Mapping[str, Any], errors) -> dict:
    role = str(data.get("role") or AttachmentRole.ATTACHMENT.value).strip()
    if role not in _roles_for(entry):
        errors.add(_l("Choose a value from the list."), field="role")
    title = str(data.get("title") or "").strip()
    if len(title) > TITLE_LIMIT:
        errors.add(_l("At most %(n)d characters.", n=TITLE_LIMIT), field="title")
    position = None
    raw = data.get("position")
    if raw not in (None, ""):
        position = parse_int(raw, min=0, max=MAX_POSITION)
        if position is None:
            errors.add(_l("Enter a whole number from 0 to %(n)d.", n=MAX_POSITION), field="position")
    return {"role": role, "title": title, "position": position}


def add_attachments(
    entry: Entry, uploads: Iterable[Upload], data: Mapping[str, Any], *, actor, expected_version: int | None = None
) -> list[EntryAttachment]:
    """Store the uploaded files on a draft, all or none: every refused file is named at once (field `files`)."""
    check_version(entry, expected_version)
    _may_edit(entry, actor)
    uploads = [u for u in uploads if u.filename or u.data]
    limit = current_app.config["CATALOG_MAX_ATTACHMENT_BYTES"]
    kinds = []
    with collect_errors() as errors:
        values = _clean_description(entry, data, errors)
        if not uploads:
            errors.add(_l("Choose at least one file."), field="files")
        elif len(uploads) > MAX_FILES:
            errors.add(_l("Upload at most %(n)d files at a time.", n=MAX_FILES), field="files")
        else:
            refused = []
            for upload in uploads:
                try:
                    kinds.append(inspect_document(upload.data, upload.filename, limit, field="files"))
                except DomainError as exc:
                    refused.append(str(exc.message))
            if refused:
                errors.add(" ".join(refused), field="files")
    position = values["position"]
    if position is None:
        last = db.session.execute(
            select(func.max(EntryAttachment.position)).where(EntryAttachment.entry_id == entry.id)
        ).scalar_one()
        position = 0 if last is None else last + 1
    added = []
    for offset, (upload, kind) in enumerate(zip(uploads, kinds, strict=True)):
        stored = store(
            upload.data,
            original_name=upload.filename,
            content_type=kind.content_type,
            agency_id=entry.agency_id,
            uploaded_by_id=getattr(actor, "id", None),
        )
        db.session.flush()
        title = values["title"] if len(uploads) == 1 and values["title"] else ""
        att = EntryAttachment(
            entry_id=entry.id,
            file_id=stored.id,
            role=values["role"],
            title=title or stored.original_name.rsplit(".", 1)[0][:TITLE_LIMIT],
            kind=kind.value,
            position=min(position + offset, MAX_POSITION),
            text_status=TEXT_PENDING if kind.value in READABLE else TEXT_NONE,
            created_at=utcnow(),
        )
        db.session.add(att)
        added.append(att)
    db.session.flush()
    db.session.expire(entry, ["attachments"])
    for att in added:
        if att.text_status == TEXT_PENDING:
            queue_extraction(att.id)
    entry.log(
        "catalog.attachment_add",
        after={
            "files": [f"{a.title} ({a.kind.upper()})" for a in added],
            "attachment_role": values["role"],
        },
        actor=actor,
    )
    return added


def _load(entry: Entry, attachment_id: int) -> EntryAttachment:
    att = db.session.get(EntryAttachment, attachment_id)
    if att is None or att.entry_id != entry.id:
        raise DomainError(_l("This file is not one of the entry's."))
    return att


def update_attachment(entry: Entry, attachment_id: int, data: Mapping[str, Any], *, actor) -> EntryAttachment:
    """Change a file's role, title or place in the list."""
    _may_edit(entry, actor)
    att = _load(entry, attachment_id)
    if att.removed_at is not None:
        raise DomainError(_l("This file was removed."))
    with collect_errors() as errors:
        values = _clean_description(entry, data, errors)
        if not values["title"]:
            errors.add(_l("Enter the file's title."), field="title")
    before = {"title": att.title, "attachment_role": att.role, "position": att.position}
    att.role, att.title = values["role"], values["title"]
    if values["position"] is not None:
        att.position = values["position"]
    after = {"title": att.title, "attachment_role": att.role, "position": att.position}
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        db.session.flush()
        db.session.expire(entry, ["attachments"])
        entry.log(
            "catalog.attachment_update",
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            actor=actor,
        )
    return att


def remove_attachment(entry: Entry, attachment_id: int, *, actor) -> EntryAttachment:
    """Take a file off the draft. Its row and file stay: a published version may still name it."""
    _may_edit(entry, actor)
    att = _load(entry, attachment_id)
    if att.removed_at is not None:
        raise DomainError(_l("This file was removed already."))
    att.removed_at = utcnow()
    db.session.flush()
    db.session.expire(entry, ["attachments"])
    entry.log("catalog.attachment_remove", before={"files": [f"{att.title} ({att.kind.upper()})"]}, actor=actor)
    return att


# --- Text extraction, after the commit ---------------------------------------------------------------------------


def queue_extraction(attachment_id: int) -> None:
    """Read this attachment's text once the current transaction has committed (see the module's note)."""
    db.session.info.setdefault(PENDING_KEY, []).append(attachment_id)


@event.listens_for(Session, "after_commit")
def _extractions_committed(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if pending:
        session.info.setdefault(READY_KEY, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _extractions_forgotten(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def ready_extractions() -> list[int]:
    """The attachment ids whose uploads have committed and that wait to be handed to the worker (taken once)."""
    return db.session.info.pop(READY_KEY, None) or []


def pending_attachment_ids(limit: int = 500, *, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> list[int]:
    """Attachments still waiting for their text some minutes after their upload (the worker was down, or the queue
    lost the job); the newest ones are left to the job their upload queued."""
    return list(
        db.session.execute(
            select(EntryAttachment.id)
            .where(
                EntryAttachment.text_status == TEXT_PENDING,
                EntryAttachment.removed_at.is_(None),
                EntryAttachment.created_at <= utcnow() - older_than,
            )
            .order_by(EntryAttachment.id)
            .limit(limit)
        ).scalars()
    )


def extract_attachment_text(attachment_id: int, *, timeout: float | None = None) -> str | None:
    """Read one attachment's text (in a resource-limited child process, outside any transaction), store it with
    its status, and refresh the entry's search text when the public sees this file. Commits. Returns the status
    written, or None when there was nothing to do (unknown, removed or already read)."""
    att = db.session.get(EntryAttachment, attachment_id)
    if att is None or att.text_status != TEXT_PENDING:
        db.session.rollback()
        return None
    data, kind = att.file.read_bytes(), att.kind
    db.session.rollback()  # no transaction stays open while the child reads (up to the time limit)
    options = {} if timeout is None else {"timeout": timeout}
    text = extract_text(data, kind, **options)
    status = TEXT_FAILED if text is None else TEXT_DONE
    # Written only while still pending: a second worker, or a retry, never overwrites the first result.
    written = db.session.execute(
        update(EntryAttachment)
        .where(EntryAttachment.id == attachment_id, EntryAttachment.text_status == TEXT_PENDING)
        .values(text=text, text_status=status)
    ).rowcount
    if written:
        entry = db.session.get(Entry, db.session.get(EntryAttachment, attachment_id).entry_id)
        db.session.refresh(entry)
        version = entry.published_version
        if entry.is_public and version is not None and attachment_id in (version.attachment_ids or []):
            _store_search_text(entry)
    db.session.commit()
    return status if written else None


def _store_search_text(entry: Entry) -> None:
    """The entry's search columns rewritten without moving its version (an extraction is not an edit: no one's open
    form becomes stale because a file's text was read)."""
    with db.session.no_autoflush:
        refresh_search_text(entry)
        changed = {a.key: a.value for a in sa_inspect(entry).attrs if a.history.has_changes()}
        if not changed:
            return
        t = Entry.__table__
        db.session.execute(update(t).where(t.c.id == entry.id).values(**changed, updated_at=t.c.updated_at))
        for key, value in changed.items():
            set_committed_value(entry, key, value)
