"""The catalogue's JSON API (issue 11 §6), in the OpenAPI document:

- `GET /api/v1/catalog/search?q=&sort=relevance|time&agency=&validity=&page=` (public): the public search;
- `GET /api/v1/catalog/entries/<index number>` (public): one public entry's metadata, attachments and links;
- `POST /api/v1/catalog/entries` (token scope `catalog:write`): an office-automation system pushes a document,
  with its disclosure attribute, as a draft of the token's agency.

The two public endpoints need no token: they live on their own blueprint with the `@public` policy (a token
blueprint answers 401 without one) and are rate-limited per address like the public export of publicity. Errors
have the API's shape, `{"error", "field", "errors": [{"field", "message"}]}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from apiflask import APIBlueprint, Schema
from apiflask.fields import Boolean, Date, Integer, List, Nested, String
from apiflask.scaffold import APIScaffold
from flask import Blueprint, Flask, abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from disclosure.accounts.models import Agency
from disclosure.api import current_token, require_scope, token_auth
from disclosure.catalog import search as search_mod
from disclosure.catalog.models import Entry, EntryAttachment, EntryLink, EntryVersion, Validity
from disclosure.catalog.operations.entries import create_entry
from disclosure.core.errors import DomainError, FieldErrors
from disclosure.extensions import csrf, db, limiter
from disclosure.web.access import public
from disclosure.web.params import parse_id, parse_int

SCOPE = "catalog:write"
PUBLIC_RATE = "60/minute;1000/hour"  # per address: the public API cannot occupy every worker
MAX_QUERY = 200


class PublicAPIBlueprint(APIScaffold, Blueprint):
    """A blueprint whose routes are in the OpenAPI document but need no token (policy `@public`)."""

    def __init__(self, name: str, import_name: str, *, tag: str, url_prefix: str):
        super().__init__(name, import_name, url_prefix=url_prefix)
        self.tag = tag
        self.enable_openapi = True


public_api = PublicAPIBlueprint("catalog_public_api", __name__, tag="Catalogue", url_prefix="/api/v1/catalog")
bp = APIBlueprint("catalog_api", __name__, url_prefix="/api/v1/catalog", tag="Catalogue")


def _public_rate() -> str:
    return current_app.config.get("CATALOG_PUBLIC_API_RATE", PUBLIC_RATE)


# --- Schemas (the OpenAPI document; the views answer with plain dicts) ----------------------------------------


class SearchArgs(Schema):
    q = String(load_default="", metadata={"description": "words, an index number or a document number"})
    sort = String(load_default="relevance", metadata={"description": "relevance or time"})
    agency = String(load_default="", metadata={"description": "an issuing agency's slug or id"})
    validity = String(load_default="", metadata={"description": "valid, expired or repealed"})
    page = Integer(load_default=1, metadata={"description": f"1 to {search_mod.MAX_PAGE}"})


class SearchHitOut(Schema):
    index_number = String()
    title = String()
    document_number = String()
    agency = String()
    published_on = Date()
    validity = String()
    url = String()
    snippet = String(metadata={"description": "HTML: escaped text with the matches in <mark>"})


class SearchOut(Schema):
    total = Integer(metadata={"description": f"matches, counted up to {search_mod.COUNT_CAP}"})
    more = Boolean(metadata={"description": f"more than {search_mod.COUNT_CAP} matches"})
    page = Integer()
    pages = Integer()
    mode = String(metadata={"description": "text, index_number, document_number, all or none"})
    results = List(Nested(SearchHitOut))


class AttachmentOut(Schema):
    title = String()
    kind = String()
    role = String()
    url = String()


class LinkOut(Schema):
    relation = String(metadata={"description": "interprets, amends, repeals or related"})
    direction = String(metadata={"description": "outgoing (this entry → the other) or incoming"})
    index_number = String()
    title = String()
    url = String()


class EntryOut(SearchHitOut):
    issuers = List(String())
    summary = String()
    made_on = Date(allow_none=True)
    theme = String()
    genre = String()
    category = String()
    doc_kind = String()
    entry_type = String()
    keywords = String()
    department = String()
    in_force_on = Date(allow_none=True)
    valid_until = Date(allow_none=True)
    validity_since = Date(allow_none=True)
    withdrawn = Boolean()
    body_html = String()
    attachments = List(Nested(AttachmentOut))
    links = List(Nested(LinkOut))


# The fields a pushed draft may carry, with their JSON types (the operation checks their values).
TEXT_FIELDS = (
    "title",
    "summary",
    "made_on",
    "changed_on",
    "document_number",
    "category",
    "doc_kind",
    "entry_type",
    "attribute",
    "attribute_basis",
    "attribute_reason",
    "keywords",
    "body_html",
    "registration_number",
    "in_force_on",
    "valid_until",
    "filed_with",
    "filed_on",
    "filing_number",
    "interpretation_form",
    "interpreter",
    "interpreter_contact",
)
ID_FIELDS = ("theme_id", "genre_id", "department_id")
FLAG_FIELDS = ("provisional", "publish_with_documents")


class EntryIn(Schema):
    title = String(required=True, metadata={"description": "标题"})
    summary = String(metadata={"description": "内容概述"})
    made_on = String(required=True, metadata={"description": "成文日期, YYYY-MM-DD"})
    changed_on = String()
    document_number = String(metadata={"description": "发文字号, any bracket variant"})
    theme_id = Integer()
    genre_id = Integer()
    department_id = Integer()
    category = String(metadata={"description": "the Art. 20 / 21 category code"})
    doc_kind = String(metadata={"description": "regulation, normative or other"})
    entry_type = String(metadata={"description": "document or interpretation"})
    attribute = String(required=True, metadata={"description": "proactive, on_request or not_disclosed"})
    attribute_basis = String(metadata={"description": "the exemption relied on (on_request / not_disclosed)"})
    attribute_reason = String()
    keywords = String()
    body_html = String(metadata={"description": "rich text, sanitised on save"})
    issuer_ids = List(Integer(), metadata={"description": "joint issuing agencies"})
    registration_number = String()
    in_force_on = String()
    valid_until = String()
    provisional = Boolean()
    filed_with = String()
    filed_on = String()
    filing_number = String()
    interpretation_form = String()
    interpreter = String()
    interpreter_contact = String()
    publish_with_documents = Boolean()


class CreatedOut(Schema):
    id = Integer()
    state = String()
    url = String(metadata={"description": "the draft's staff page"})


RESPONSES_CREATE = {
    201: "the draft was created",
    400: "a field is missing or invalid (every problem listed in errors)",
    401: "missing or invalid token",
    403: "token without the catalog:write scope",
}


# --- Answers ---------------------------------------------------------------------------------------------------


def entry_url(index_number: str) -> str:
    return url_for("catalog_public.entry", index_number=index_number, _external=True)


def _agency_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Agency.id, Agency.full_name).where(Agency.id.in_(ids))).all())


def _hit_dict(entry: Entry, version: EntryVersion, snippet: str, agencies: dict[int, str]) -> dict:
    meta = version.metadata_json or {}
    issuers = meta.get("issuers") or []
    return {
        "index_number": entry.index_number or "",
        "title": version.title,
        "document_number": version.document_number,
        "agency": issuers[0] if issuers else agencies.get(entry.agency_id, ""),
        "published_on": version.published_on,
        "validity": entry.validity,
        "url": entry_url(entry.index_number or ""),
        "snippet": str(snippet),
    }


def _search_query(args) -> search_mod.SearchQuery:
    """The query string, checked at once: every bad parameter is reported in one answer."""
    problems: dict[str, Any] = {}
    q = args.get("q", "")
    if len(q) > MAX_QUERY:
        problems["q"] = _l("At most %(n)d characters.", n=MAX_QUERY)
    sort = args.get("sort", "") or "relevance"
    if sort not in search_mod.SORTS:
        problems["sort"] = _l("Sort by relevance or time.")
    validity = args.get("validity", "")
    if validity and validity not in {v.value for v in Validity}:
        problems["validity"] = _l("Validity is valid, expired or repealed.")
    agency_id = None
    agency_arg = args.get("agency", "").strip()
    if agency_arg:
        agency = (
            db.session.get(Agency, parse_id(agency_arg))
            if parse_id(agency_arg)
            else db.session.execute(select(Agency).where(Agency.slug == agency_arg[:100])).scalar_one_or_none()
        )
        if agency is None:
            problems["agency"] = _l("No such agency.")
        else:
            agency_id = agency.id
    page_arg = args.get("page", "") or "1"
    page = parse_int(page_arg, min=1, max=search_mod.MAX_PAGE)
    if page is None:
        problems["page"] = _l("The page is a number from 1 to %(n)d.", n=search_mod.MAX_PAGE)
    if problems:
        raise FieldErrors(problems)
    return search_mod.SearchQuery(q=q, sort=sort, agency_id=agency_id, validity=validity or None, page=page or 1)


@public_api.get("/search")
@public_api.input(SearchArgs, location="query", arg_name="args", validation=False)
@public_api.output(SearchOut)
@public_api.doc(
    summary="Search the public catalogue",
    description="Words of any length (ranked by relevance or newest first), or an index number or a document "
    "number in any bracket variant (that entry alone).",
    responses={400: "a parameter is invalid (every problem listed in errors)", 429: "too many requests"},
)
@limiter.limit(_public_rate)
@public
def search_entries(args):
    query = _search_query(request.args)
    result = search_mod.search(query)
    agencies = _agency_names({h.entry.agency_id for h in result.hits})
    return {
        "total": result.total,
        "more": result.capped,
        "page": result.page,
        "pages": result.pages,
        "mode": result.mode,
        "results": [_hit_dict(h.entry, h.version, h.snippet, agencies) for h in result.hits],
    }


def _date_or_none(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@public_api.get("/entries/<path:index_number>")
@public_api.output(EntryOut)
@public_api.doc(
    summary="One public catalogue entry",
    description="The entry's published version: the metadata block, the body, attachments with download URLs, "
    "and its links (interpretations, amendments, repeals).",
    responses={404: "no public entry has this index number", 429: "too many requests"},
)
@limiter.limit(_public_rate)
@public
def show_entry(index_number: str):
    entry = db.session.execute(select(Entry).where(Entry.index_number == index_number[:80])).scalar_one_or_none()
    if entry is None or not entry.is_public:
        abort(404, _("No public entry has this index number."))
    version = entry.published_version
    meta = version.metadata_json or {}
    out = _hit_dict(entry, version, "", _agency_names({entry.agency_id}))
    del out["snippet"]
    attachments = []
    if version.attachment_ids:
        rows = {
            a.id: a
            for a in db.session.execute(
                select(EntryAttachment).where(
                    EntryAttachment.id.in_(version.attachment_ids), EntryAttachment.entry_id == entry.id
                )
            ).scalars()
        }
        for attachment_id in version.attachment_ids:
            a = rows.get(attachment_id)
            if a is not None:
                attachments.append(
                    {
                        "title": a.title,
                        "kind": a.kind,
                        "role": a.role,
                        "url": url_for(
                            "catalog_public.attachment",
                            index_number=entry.index_number,
                            attachment_id=a.id,
                            _external=True,
                        ),
                    }
                )
    out.update(
        {
            "issuers": meta.get("issuers") or [],
            "summary": meta.get("summary", ""),
            "made_on": _date_or_none(meta.get("made_on")),
            "theme": meta.get("theme", ""),
            "genre": meta.get("genre", ""),
            "category": meta.get("category", ""),
            "doc_kind": meta.get("doc_kind", ""),
            "entry_type": meta.get("entry_type", ""),
            "keywords": meta.get("keywords", ""),
            "department": meta.get("department", ""),
            "in_force_on": _date_or_none(meta.get("in_force_on")),
            "valid_until": _date_or_none(meta.get("valid_until")),
            "validity_since": entry.validity_since,
            "withdrawn": False,
            "body_html": version.body_html,
            "attachments": attachments,
            "links": _links(entry),
        }
    )
    return out


def _links(entry: Entry) -> list[dict]:
    rows = db.session.execute(
        select(EntryLink).where(or_(EntryLink.source_id == entry.id, EntryLink.target_id == entry.id))
    ).scalars()
    out = []
    for link in rows:
        outgoing = link.source_id == entry.id
        other = link.target if outgoing else link.source
        if other.is_public and other.index_number:
            out.append(
                {
                    "relation": link.relation,
                    "direction": "outgoing" if outgoing else "incoming",
                    "index_number": other.index_number,
                    "title": other.published_version.title,
                    "url": entry_url(other.index_number),
                }
            )
    return out


def _draft_input(body: Any) -> tuple[dict, dict]:
    """The body as the operation's input: only known fields, each of its JSON type; every problem at once (the
    operation's own checks of the remaining fields are added by the caller)."""
    if not isinstance(body, dict):
        raise DomainError(_l("Send the entry as a JSON object."))
    problems: dict[str, Any] = {}
    data: dict[str, Any] = {}
    known = {*TEXT_FIELDS, *ID_FIELDS, *FLAG_FIELDS, "issuer_ids"}
    for name in sorted(set(body) - known):
        problems[str(name)[:60]] = _l("Unknown field.")
    for name in TEXT_FIELDS:
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems[name] = _l("Send text (a JSON string).")
        else:
            data[name] = value
    for name in ID_FIELDS:
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or parse_id(value) is None:
            problems[name] = _l("Send the id as a positive whole number.")
        else:
            data[name] = value
    for name in FLAG_FIELDS:
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, bool):
            problems[name] = _l("Send true or false.")
        else:
            data[name] = value
    issuers = body.get("issuer_ids")
    if issuers is not None:
        if not isinstance(issuers, list) or any(
            isinstance(i, bool) or not isinstance(i, int) or parse_id(i) is None for i in issuers
        ):
            problems["issuer_ids"] = _l("Send the joint issuers as a list of agency ids.")
        else:
            data["issuer_ids"] = issuers
    if not isinstance(body.get("attribute"), str) or not body.get("attribute", "").strip():
        problems.setdefault("attribute", _l("Choose the disclosure attribute: proactive, on_request or not_disclosed."))
    return data, problems


@bp.post("/entries")
@bp.auth_required(token_auth)
@bp.input(EntryIn, arg_name="body", validation=False)  # documents the body; _draft_input reads it strictly
@bp.output(CreatedOut, status_code=201)
@bp.doc(summary="Push a document as a catalogue draft", responses=RESPONSES_CREATE)
@require_scope(SCOPE)
def create(body):
    data, problems = _draft_input(request.get_json(silent=True))
    agency = current_token().agency
    try:
        entry = create_entry(agency, data, actor=None, source="api")
    except FieldErrors as exc:
        raise FieldErrors({**problems, **{k: v for k, v in exc.errors.items() if k not in problems}}) from None
    if problems:
        raise FieldErrors(problems)
    return {
        "id": entry.id,
        "state": entry.state,
        "url": url_for("catalog.entry", entry_id=entry.id, _external=True),
    }, 201


def init_app(app: Flask) -> None:
    app.register_blueprint(public_api)
    app.register_blueprint(bp)
    csrf.exempt(public_api)  # GET only
    csrf.exempt(bp)  # bearer token, no cookie: CSRF does not apply
