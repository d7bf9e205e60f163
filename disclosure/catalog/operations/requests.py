"""条例 Art. 44 and Art. 36(1): the catalogue and the requests for information (issue 11 §6).

- Information several applicants asked for may be moved into proactive disclosure: `create_draft_from_request`
  makes it a catalogue draft in one step, pre-filled from the requested item (title, document number, the agency),
  and links it to every request that asked for it (`EntryRequest`). A later request for the same information is
  linked to the same entry instead of drafting it twice, and information the catalogue already holds under the
  same document number (any bracket variant) is linked to that entry.
- A requested item already published is answered as 已主动公开 with the entry: `find_public_entry` looks a public
  entry of the agency up by its index number or document number, and `PublicEntry.location` is the text the reply
  letter quotes (title, index number, public address); `link_answer` records which entry answered the item.

The applications package calls these through the catalogue's door; the catalogue reads the cases it shows through
the applications' door (`requested_cases`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

import workflows.catalog as wf
from disclosure.accounts.models import Agency, User
from disclosure.applications import requested_cases
from disclosure.catalog.models import DocKind, Entry, EntryIssuer, EntryRequest
from disclosure.catalog.operations.entries import create_entry, duplicate_document_number
from disclosure.catalog.operations.guide import public_url
from disclosure.catalog.search import exact_lookup
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import DomainError, NotAllowed
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from workflows.catalog import Attribute, States

# The Art. 20 item information moved into proactive disclosure falls under until the editor chooses better:
# (十五) "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息" — Art. 44 is such a provision.
DEFAULT_CATEGORY = "art20_15"
ENTRY_SOURCE = "request"
TITLE_LIMIT = 300
DOCUMENT_NUMBER_LIMIT = 80


@dataclass(frozen=True)
class RequestRef:
    """One request (its case and the item) that asked for the information."""

    application_id: int
    item_id: int | None
    reference: str = ""


@dataclass(frozen=True)
class DraftResult:
    entry: Entry
    created: bool  # False: the requests were linked to an entry the catalogue already had
    linked: int  # requests newly linked


@dataclass(frozen=True)
class PublicEntry:
    """A public catalogue entry as a reply letter cites it."""

    id: int
    index_number: str
    title: str
    document_number: str
    published_on: dt.date | None
    agency_name: str
    url: str

    @property
    def location(self) -> str:
        """Where the applicant finds it (the letter prints 可以通过以下途径获取：<this>。)."""
        parts = [f"索引号：{self.index_number}"]
        if self.document_number:
            parts.append(f"发文字号：{self.document_number}")
        if self.published_on:
            parts.append(f"发布日期：{self.published_on.year}年{self.published_on.month}月{self.published_on.day}日")
        return f"{self.agency_name}政府信息公开平台《{self.title}》（{'；'.join(parts)}），网址：{self.url}"


@dataclass(frozen=True)
class LinkedEntry:
    """A catalogue entry linked to a request, as the case page and the candidates list show it."""

    entry_id: int
    application_id: int
    item_id: int | None
    title: str
    index_number: str | None
    state: str
    public_url: str | None


# --- Drafting from requests (Art. 44) ---------------------------------------------------------------------------


def _editor(agency: Agency, actor: User) -> None:
    roles = {r.value for r in actor.roles} if actor is not None else set()
    if actor is None or actor.agency_id != agency.id or not ({wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & roles):
        raise NotAllowed(_l("Your role does not allow this action on this entry."))


def _document_number(text: str) -> str:
    """The requested item's document reference when it reads as a document number (a year or serial in it and
    short enough), else nothing: a description such as "2025年的那份通知" is not a number."""
    text = " ".join((text or "").split())
    key = normalise_document_number(text)
    if not key or len(text) > DOCUMENT_NUMBER_LIMIT or not any(c.isdigit() for c in key) or "号" not in key:
        return ""
    return text


def _title(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1] + "…"


def _live(entry: Entry | None) -> bool:
    return entry is not None and entry.state != States.ABANDONED.value


def _already_drafted(agency_id: int, item_ids: list[int]) -> Entry | None:
    """The live entry of this agency a request for the same information is already linked to."""
    if not item_ids:
        return None
    rows = db.session.execute(
        select(Entry)
        .join(EntryRequest, EntryRequest.entry_id == Entry.id)
        .where(
            EntryRequest.item_id.in_(item_ids),
            Entry.agency_id == agency_id,
            Entry.state != States.ABANDONED.value,
        )
        .order_by(Entry.id)
        .limit(1)
    ).scalars()
    return rows.first()


def _link(entry: Entry, refs: Iterable[RequestRef]) -> list[RequestRef]:
    """Link the requests not linked yet (one row per case and entry); returns those newly linked."""
    have = set(
        db.session.execute(select(EntryRequest.application_id).where(EntryRequest.entry_id == entry.id)).scalars()
    )
    added = []
    for ref in refs:
        if ref.application_id in have:
            continue
        have.add(ref.application_id)
        db.session.add(
            EntryRequest(entry_id=entry.id, application_id=ref.application_id, item_id=ref.item_id, created_at=utcnow())
        )
        added.append(ref)
    db.session.flush()
    return added


def _references(refs: Sequence[RequestRef]) -> str:
    return "、".join(r.reference or f"#{r.application_id}" for r in refs)


def _summary(refs: Sequence[RequestRef]) -> str:
    numbers = "、".join(r.reference for r in refs if r.reference)
    text = f"依申请公开转为主动公开（《中华人民共和国政府信息公开条例》第四十四条）：{len(refs)}件申请申请获取此信息"
    return f"{text}（申请编号：{numbers}）。" if numbers else f"{text}。"


def create_draft_from_request(
    agency: Agency,
    actor: User,
    *,
    description: str,
    document_ref: str,
    requests: Sequence[RequestRef],
    today: dt.date | None = None,
) -> DraftResult:
    """Art. 44: a catalogue draft of the information these requests asked for, linked to each of them.

    The draft carries the item's description as its title, its document reference as the document number (when it
    is one), today as the date the information became proactive (the editor corrects it to the 成文日期) and Art. 20
    item (15) as its category; it then follows the catalogue's workflow like any draft. When a request for the same
    information is already linked to a live entry, or the catalogue already has the document number, the requests
    are linked to that entry instead."""
    _editor(agency, actor)
    refs = [r for r in requests if r.application_id]
    if not refs:
        raise DomainError(_l("No request of this agency asks for this information."))
    title = _title(description)
    if not title:
        raise DomainError(_l("The requested information has no description to draft a title from."))
    number = _document_number(document_ref)
    existing = _already_drafted(agency.id, [r.item_id for r in refs if r.item_id])
    if existing is None and number:
        found = duplicate_document_number(agency.id, normalise_document_number(number))
        existing = found if _live(found) else None
    if existing is not None:
        added = _link(existing, refs)
        if added:
            existing.log("catalog.requests_linked", after={"requests": _references(added)}, actor=actor)
        return DraftResult(existing, False, len(added))
    data = {
        "title": title,
        "summary": _summary(refs),
        "made_on": (today or today_china()).isoformat(),
        "document_number": number,
        "category": DEFAULT_CATEGORY,
        "doc_kind": DocKind.OTHER.value,
        "attribute": Attribute.PROACTIVE.value,
    }
    entry = create_entry(agency, data, actor=actor, source=ENTRY_SOURCE)
    added = _link(entry, refs)
    entry.log("catalog.requests_linked", after={"requests": _references(added)}, actor=actor)
    return DraftResult(entry, True, len(added))


# --- Answering with a published entry (Art. 36(1)) -------------------------------------------------------------


def _issued_by(entry: Entry, agency_id: int) -> bool:
    return entry.agency_id == agency_id or any(i.agency_id == agency_id for i in entry.issuers)


def _variants(text: str) -> list[str]:
    """The look-up text as typed and with its width folded and spaces removed (a full-width ／ in an index
    number)."""
    typed = (text or "").strip()
    folded = "".join(unicodedata.normalize("NFKC", typed).split())
    return [typed] if folded == typed else [typed, folded]


def _public_entry(entry: Entry) -> PublicEntry:
    version = entry.published_version
    agency = db.session.get(Agency, entry.agency_id)
    return PublicEntry(
        id=entry.id,
        index_number=entry.index_number or "",
        title=version.title,
        document_number=version.document_number,
        published_on=entry.first_published_on or entry.published_on,
        agency_name=agency.full_name if agency else "",
        url=public_url("catalog_public.entry", index_number=entry.index_number),
    )


def find_public_entry(agency_id: int, text: str) -> PublicEntry:
    """The public entry of this agency's catalogue (lead or joint issuer) with this index number or document number
    in any bracket variant. Raises DomainError (on the field `public_entry`) saying why none can be cited: nothing
    typed, nothing found, or found but not public (依申请公开 / 不予公开, withdrawn, not yet published)."""
    if not (text or "").strip():
        raise DomainError(_l("Enter the index number or document number of the published entry."), field="public_entry")
    if len(text.strip()) > DOCUMENT_NUMBER_LIMIT:
        raise DomainError(_l("At most %(n)d characters.", n=DOCUMENT_NUMBER_LIMIT), field="public_entry")
    for query in _variants(text):
        _mode, found = exact_lookup(query)
        for entry in found:
            if _issued_by(entry, agency_id):
                return _public_entry(entry)
    if _known_but_not_public(agency_id, _variants(text)):
        raise DomainError(
            _l(
                "This entry of the catalogue is not public (disclosed on request, not disclosed, withdrawn or not "
                "published yet): it cannot be cited as already disclosed."
            ),
            field="public_entry",
        )
    raise DomainError(
        _l("No public entry of this agency's catalogue has this index number or document number."),
        field="public_entry",
    )


def _known_but_not_public(agency_id: int, queries: list[str]) -> bool:
    keys = {normalise_document_number(q) for q in queries} - {""}
    issued_here = select(EntryIssuer.entry_id).where(EntryIssuer.agency_id == agency_id)
    clause = Entry.index_number.in_(queries)
    if keys:
        clause = clause | Entry.document_number_key.in_(keys)
    return (
        db.session.execute(
            select(Entry.id)
            .where(clause, (Entry.agency_id == agency_id) | Entry.id.in_(issued_here))
            .where(Entry.state != States.ABANDONED.value)
            .limit(1)
        ).first()
        is not None
    )


def link_answer(application_id: int, item_id: int, entry_id: int | None, *, actor: User | None = None) -> None:
    """Which published entry answered this requested item (已主动公开), or none any more: the item's earlier
    answer links are replaced. Links of drafts made from the requests (Art. 44) stay: the request asked for that
    information whatever the answer."""
    answers = select(Entry.id).where(Entry.source != ENTRY_SOURCE)
    stale = delete(EntryRequest).where(
        EntryRequest.application_id == application_id,
        EntryRequest.item_id == item_id,
        EntryRequest.entry_id.in_(answers),
    )
    if entry_id is not None:
        stale = stale.where(EntryRequest.entry_id != entry_id)
    db.session.execute(stale)
    if entry_id is None:
        return
    entry = db.session.get(Entry, entry_id)
    cases = {c.id: c for c in requested_cases([application_id])}
    added = _link(entry, [RequestRef(application_id, item_id, getattr(cases.get(application_id), "reference", ""))])
    if added:
        entry.log("catalog.request_answered", after={"requests": _references(added)}, actor=actor)


# --- What the pages show ----------------------------------------------------------------------------------------


def linked_entries(
    *, application_ids: Iterable[int] = (), item_ids: Iterable[int] = (), public_only: bool = False
) -> list[LinkedEntry]:
    """The entries linked to these cases or items (the case page, the candidates list), oldest link first."""
    application_ids, item_ids = list(application_ids), list(item_ids)
    if not application_ids and not item_ids:
        return []
    clause = EntryRequest.application_id.in_(application_ids) if application_ids else None
    if item_ids:
        by_item = EntryRequest.item_id.in_(item_ids)
        clause = by_item if clause is None else (clause | by_item)
    rows = db.session.execute(
        select(EntryRequest, Entry)
        .join(Entry, Entry.id == EntryRequest.entry_id)
        .where(clause, Entry.state != States.ABANDONED.value)
        .order_by(EntryRequest.created_at, EntryRequest.entry_id)
    ).all()
    out = []
    for link, entry in rows:
        public = entry.is_public
        if public_only and not public:
            continue
        out.append(
            LinkedEntry(
                entry_id=entry.id,
                application_id=link.application_id,
                item_id=link.item_id,
                title=entry.title,
                index_number=entry.index_number,
                state=entry.state,
                public_url=public_url("catalog_public.entry", index_number=entry.index_number) if public else None,
            )
        )
    return out


def requests_of(entry: Entry) -> list:
    """The cases linked to this entry (the entry's staff page), as the applications' door describes them."""
    ids = list(
        db.session.execute(
            select(EntryRequest.application_id)
            .where(EntryRequest.entry_id == entry.id)
            .order_by(EntryRequest.created_at, EntryRequest.application_id)
        ).scalars()
    )
    found = {c.id: c for c in requested_cases(ids)}
    return [found[i] for i in ids if i in found]
