"""The operation behind the import page: check an upload, store it, create its job, and run it now (a small
file) or hand it to the worker (a large one).

Not exported by the package's door: it queues through `publicity.tasks`, which imports the importer itself.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from disclosure.core.errors import DomainError
from disclosure.core.storage import store
from disclosure.extensions import db
from disclosure.publicity.importer.inspection import inspect_upload, limits
from disclosure.publicity.importer.writing import import_file
from disclosure.publicity.models import ImportJob, PublicityMatter
from disclosure.publicity.tasks import run_import


def start_import(
    agency,
    user,
    *,
    kind: str,
    data: bytes,
    filename: str,
    content_type: str,
    publish: bool,
    matter_id: int | None,
    locale: str,
) -> ImportJob:
    """Store the upload and create its import job for `agency`. A file up to the `sync_bytes` limit is imported
    at once (its DomainError is the caller's, field "file"); a larger one is queued for the worker, which retries
    until this transaction has committed (tasks.run_import). `matter_id`, when given, must be a matter of this
    record type in the agency's catalogue (field "matter")."""
    try:
        inspect_upload(data)
    except DomainError as exc:
        raise DomainError(exc.message, field="file") from None
    if matter_id is not None:
        matter = db.session.get(PublicityMatter, matter_id)
        if matter is None or matter.agency_id != agency.id or matter.kind != kind:
            raise DomainError(_l("Choose a matter of this record type from your catalogue."), field="matter")
    stored = store(
        data,
        original_name=filename or "import",
        content_type=content_type or "",
        agency_id=agency.id,
        uploaded_by_id=user.id,
    )
    db.session.flush()
    job = ImportJob(
        agency_id=agency.id,
        kind=kind,
        file_id=stored.id,
        filename=stored.original_name,
        publish=publish,
        default_matter_id=matter_id,
        created_by_id=user.id,
        locale=locale,
    )
    db.session.add(job)
    db.session.flush()
    if len(data) <= limits()["sync_bytes"]:
        try:
            import_file(job, data)
        except DomainError as exc:
            raise DomainError(exc.message, field="file") from None
    else:
        run_import(job.id)
    return job
