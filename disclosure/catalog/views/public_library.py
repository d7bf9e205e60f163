"""The normative-documents library (规范性文件库; issue 11 §2, 郑州 2020 plan §1(2), 条例 Art. 24): every valid 规章
and 行政规范性文件 of an agency (and, for a government, of its departments: the agencies whose parent it is), or of
the whole deployment; filterable by validity, kind and year of publication; each linking to its entry page, its
published attachments downloadable. Expired and repealed documents are shown when asked, annotated with the date
and the document that repealed them (国办发〔2017〕47号)."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import extract, func, or_, select

from disclosure.accounts.models import Agency
from disclosure.catalog import platform
from disclosure.catalog.models import DocKind, Entry, EntryAttachment, EntryType, EntryVersion, Validity
from disclosure.catalog.operations import interpretations
from disclosure.catalog.operations import validity as validity_ops
from disclosure.catalog.views.common import public_bp
from disclosure.catalog.views.public_platform import MAX_YEAR, MIN_YEAR, agency_or_404, page_of
from disclosure.extensions import db
from disclosure.web.access import public
from disclosure.web.params import arg_int

VALIDITY_CHOICES = ("valid", "expired", "repealed", "all")
KINDS = (DocKind.REGULATION.value, DocKind.NORMATIVE.value)


def scope_ids(agency: Agency) -> list[int]:
    """The agency and, for a government, its departments (the agencies whose parent it is)."""
    children = db.session.execute(
        select(Agency.id).where(Agency.parent_id == agency.id, Agency.active.is_(True)).order_by(Agency.id)
    ).scalars()
    return [agency.id, *children]


def library_query(agency_ids: list[int] | None, *, validity: str, kind: str | None, year: int | None):
    """(Entry, EntryVersion) of the public normative documents in scope, newest publication first."""
    query = (
        select(Entry, EntryVersion)
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(
            *platform.public_condition(),
            Entry.entry_type == EntryType.DOCUMENT.value,
            Entry.doc_kind.in_([kind] if kind else KINDS),
        )
    )
    if agency_ids is not None:
        query = query.where(or_(*(platform.issued_by(a) for a in agency_ids)))
    if validity != "all":
        query = query.where(Entry.validity == validity)
    if year is not None:
        query = query.where(extract("year", Entry.first_published_on) == year)
    return query.order_by(Entry.first_published_on.desc(), Entry.id.desc())


def years(agency_ids: list[int] | None) -> list[int]:
    query = (
        select(extract("year", Entry.first_published_on))
        .join(EntryVersion, EntryVersion.id == Entry.published_version_id)
        .where(*platform.public_condition(), Entry.doc_kind.in_(KINDS), Entry.entry_type == EntryType.DOCUMENT.value)
        .distinct()
    )
    if agency_ids is not None:
        query = query.where(or_(*(platform.issued_by(a) for a in agency_ids)))
    return sorted((int(y) for y in db.session.execute(query).scalars() if y is not None), reverse=True)


def attachments_of(versions: list[EntryVersion]) -> dict[int, list[EntryAttachment]]:
    """The files each listed version published, in its order."""
    wanted = {a: v.entry_id for v in versions for a in (v.attachment_ids or [])}
    if not wanted:
        return {}
    rows = db.session.execute(select(EntryAttachment).where(EntryAttachment.id.in_(list(wanted)))).scalars()
    by_id = {a.id: a for a in rows if wanted.get(a.id) == a.entry_id}
    return {v.entry_id: [by_id[a] for a in (v.attachment_ids or []) if a in by_id] for v in versions}


def _library(agency: Agency | None):
    validity = request.args.get("validity", "valid")
    validity = validity if validity in VALIDITY_CHOICES else "valid"
    kind = request.args.get("kind") or None
    kind = kind if kind in KINDS else None
    year = arg_int("year", None, min=MIN_YEAR, max=MAX_YEAR)
    ids = scope_ids(agency) if agency is not None else None
    page = page_of(library_query(ids, validity=validity, kind=kind, year=year))
    entries = [e for e, _v in page.items]
    return render_template(
        "catalog/public/library.html",
        agency=agency,
        departments=[db.session.get(Agency, a) for a in (ids or [])[1:]],
        page=page,
        annotations={e.id: validity_ops.public_validity(e) for e in entries if e.validity != Validity.VALID.value},
        files=attachments_of([v for _e, v in page.items]),
        validity=validity,
        kind=kind,
        year=year,
        years=years(ids),
        total=page.total,
        valid_total=db.session.execute(
            select(func.count()).select_from(
                library_query(ids, validity="valid", kind=None, year=None).order_by(None).subquery()
            )
        ).scalar_one(),
        validity_labels=platform.VALIDITY_LABELS,
    )


@public_bp.route("/library")
@public
def library():
    return _library(None)


@public_bp.route("/<slug>/library")
@public
def agency_library(slug: str):
    return _library(agency_or_404(slug))


@public_bp.app_template_global()
def public_normative(entry: Entry) -> dict:
    """What the public entry page shows of validity and interpretations (its partials read this)."""
    is_document = entry.entry_type == EntryType.DOCUMENT.value
    return {
        "validity": validity_ops.public_validity(entry) if is_document else None,
        "interpretations": interpretations.interpretations_of(entry, public_only=True) if is_document else [],
        "documents": [] if is_document else interpretations.documents_of(entry, public_only=True),
    }
