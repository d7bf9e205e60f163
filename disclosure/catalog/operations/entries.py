"""Catalogue entries: draft, change, review, publish, revise, withdraw (条例 Arts. 19–26; 国办发〔2016〕80号;
保密法 Art. 35 and 实施条例 Art. 42; issue 11 §1).

Each function is one operation: it checks the whole input at once (`collect_errors`), asks `workflows.catalog`
whether the actor may act, changes the rows, and logs one audit event through the entry. The view commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import workflows.catalog as wf
from disclosure.accounts.models import Agency, Department, User
from disclosure.catalog.classification import CATEGORIES, WITHHOLDING_BASES
from disclosure.catalog.index_numbers import allocate, parse_imported
from disclosure.catalog.models import (
    CatalogSettings,
    DocKind,
    Entry,
    EntryIssuer,
    EntryReview,
    EntryType,
    EntryVersion,
    Genre,
    InterpretationForm,
    Theme,
    Validity,
    ValidityChange,
    ValidityEvent,
)
from disclosure.catalog.operations import interpretations  # its after_act follows every step
from disclosure.catalog.search import refresh_search_text
from disclosure.catalog.timeliness import publish_due
from disclosure.core import audit
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.errors import Conflict, DomainError, NotAllowed, collect_errors
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.web.params import parse_id
from disclosure.web.richtext import sanitise_html
from workflows.catalog import Attribute, States, TransitionRefused

SNAPSHOT_FIELDS = (
    "state",
    "index_number",
    "title",
    "summary",
    "made_on",
    "changed_on",
    "published_on",
    "document_number",
    "theme_id",
    "genre_id",
    "category",
    "doc_kind",
    "attribute",
    "attribute_basis",
    "attribute_reason",
    "keywords",
    "department_id",
    "registration_number",
    "in_force_on",
    "valid_until",
    "provisional",
    "filed_with",
    "filed_on",
    "filing_number",
    "validity",
    "interpretation_form",
    "interpreter",
    "interpreter_contact",
    "publish_with_documents",
    "due_on",
)

TEXT_LIMITS = {
    "title": 300,
    "document_number": 80,
    "keywords": 300,
    "registration_number": 80,
    "filed_with": 200,
    "filing_number": 80,
    "interpreter": 200,
    "interpreter_contact": 200,
}

REFUSALS = {
    "state": _l("This action is not possible in the entry's current state."),
    "role": _l("Your role does not allow this action on this entry."),
    "unknown": _l("Unknown action."),
    "basis_when_withheld": _l(
        "An entry disclosed on request or not disclosed needs its basis in the Regulations (国办发〔2016〕80号)."
    ),
    "has_comment": _l("Say why the entry is returned."),
    "has_reason": _l("Give the reason."),
    "legality_review_recorded": _l(
        "A rule or normative document is approved only after its legality review is recorded."
    ),
    "was_published": _l("Only a published entry can be withdrawn; abandon a draft instead."),
    "never_published": _l("A published entry is withdrawn, not abandoned."),
    "is_proactive": _l("Only an entry disclosed proactively is published; record this one in the catalogue."),
    "is_not_proactive": _l("An entry disclosed proactively is published, not only recorded."),
}

CONFLICT = _l(
    "Someone else changed this entry while you were working on it. Nothing was overwritten: review the current "
    "version and try again."
)

# The review step each trigger records (保密实施条例 Art. 42: each item's secrecy review is kept).
REVIEW_STEPS = {
    "confirm_attribute": ("attribute", "passed"),
    "return_attribute": ("attribute", "returned"),
    "pass_secrecy": ("secrecy", "passed"),
    "return_secrecy": ("secrecy", "returned"),
    "publish": ("approval", "passed"),
    "record": ("approval", "passed"),
    "return_approval": ("approval", "returned"),
}


# --- Settings and actors ---------------------------------------------------------------------------------------


# The steps that freeze and publish (or record) a version.
PUBLISHING_TRIGGERS = ("publish", "record", "import_published", "import_recorded", "publish_generated")


def settings_for(agency_id: int) -> CatalogSettings:
    """The agency's catalogue settings (the defaults until an administrator saves them)."""
    row = db.session.get(CatalogSettings, agency_id)
    if row is None:
        row = CatalogSettings(agency_id=agency_id)
        db.session.add(row)
        db.session.flush()  # the column defaults
    return row


def issuing_agency_ids(entry: Entry) -> set[int]:
    return {i.agency_id for i in entry.issuers} | {entry.agency_id}


def actors_for(entry: Entry, user: User | None) -> set[str]:
    """The workflow actors this user is on this entry: `system` without a user (imports, the API), otherwise the
    staff roles held in the entry's lead agency."""
    if user is None:
        return {wf.SYSTEM}
    if not user.is_staff or user.agency_id != entry.agency_id:
        return set()
    return {r.value for r in user.roles}


def facts_for(entry: Entry, *, comment: str = "", reason: str = "") -> wf.Facts:
    return wf.Facts(
        attribute=entry.attribute,
        has_basis=bool(entry.attribute_basis) and (entry.attribute_basis != "other" or bool(entry.attribute_reason)),
        has_comment=bool(comment.strip()),
        has_reason=bool(reason.strip()),
        needs_legality_review=DocKind(entry.doc_kind).normative,
        legality_reviewed=legality_review_of(entry) is not None,
        was_published=entry.published_version_id is not None,
    )


def allowed_actions(entry: Entry, user: User | None) -> list[str]:
    """What this user may do now (the entry page offers exactly these; comments and reasons are asked for)."""
    facts = facts_for(entry, comment="-", reason="-")
    return wf.allowed_triggers(entry.state, actors_for(entry, user), facts)


def legality_review_of(entry: Entry) -> EntryReview | None:
    """The legality review recorded for the revision being prepared (合法性审核, 国办发〔2018〕115号)."""
    return db.session.execute(
        select(EntryReview)
        .where(
            EntryReview.entry_id == entry.id,
            EntryReview.revision == entry.revision + 1,
            EntryReview.step == "legality",
            EntryReview.decision == "passed",
        )
        .order_by(EntryReview.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def check_version(entry: Entry, expected: int | None) -> None:
    if expected is not None and int(expected) != entry.version:
        raise Conflict(CONFLICT)


# --- Input -----------------------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _date(data: Mapping[str, Any], name: str, errors) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(_l("Enter a date as YYYY-MM-DD."), field=name)
        return None


def _int_or_none(data: Mapping[str, Any], name: str, errors) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    parsed = parse_id(value if isinstance(value, int) else str(value))
    if parsed is None:  # malformed, or beyond what a database id can be
        errors.add(_l("Choose a value from the list."), field=name)
    return parsed


def _flag(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "y")
    return bool(value)


def clean_entry_input(agency: Agency, data: Mapping[str, Any], *, entry: Entry | None = None) -> dict:
    """Every field of an entry checked at once; FieldErrors lists each problem beside its field."""
    out: dict[str, Any] = {}
    with collect_errors() as errors:
        for name in ("title", "summary", "document_number", "keywords", "attribute_reason", "registration_number"):
            out[name] = _text(data, name)
        for name in ("filed_with", "filing_number", "interpreter", "interpreter_contact"):
            out[name] = _text(data, name)
        for name, limit in TEXT_LIMITS.items():
            if len(out[name]) > limit:
                errors.add(_l("At most %(n)d characters.", n=limit), field=name)
        if not out["title"]:
            errors.add(_l("Enter the title."), field="title")
        out["made_on"] = _date(data, "made_on", errors)
        if out["made_on"] is None and "made_on" not in errors:
            errors.add(_l("Enter the date the information was made (成文日期)."), field="made_on")
        for name in ("in_force_on", "valid_until", "filed_on", "changed_on"):
            out[name] = _date(data, name, errors)

        entry_type = _text(data, "entry_type") or (entry.entry_type if entry else EntryType.DOCUMENT.value)
        if entry_type not in {t.value for t in EntryType}:
            errors.add(_l("Choose a value from the list."), field="entry_type")
        out["entry_type"] = entry_type
        doc_kind = _text(data, "doc_kind") or DocKind.OTHER.value
        if doc_kind not in {k.value for k in DocKind}:
            errors.add(_l("Choose a value from the list."), field="doc_kind")
            doc_kind = DocKind.OTHER.value
        out["doc_kind"] = doc_kind
        category = _text(data, "category")
        if category and category not in CATEGORIES:
            errors.add(_l("Choose a value from the list."), field="category")
        if entry_type == EntryType.DOCUMENT.value and not category:
            errors.add(
                _l("Choose the statutory category (Art. 20 / 21) the information falls under."), field="category"
            )
        if DocKind(doc_kind).normative and category and category != "art20_1":
            errors.add(_l("Rules and normative documents belong to Art. 20 item (1)."), field="category")
        out["category"] = category

        out["theme_id"] = _int_or_none(data, "theme_id", errors)
        if out["theme_id"] is not None:
            theme = db.session.get(Theme, out["theme_id"])
            if theme is None or not theme.active:
                errors.add(_l("Choose a theme from the list."), field="theme_id")
        out["genre_id"] = _int_or_none(data, "genre_id", errors)
        if out["genre_id"] is not None:
            genre = db.session.get(Genre, out["genre_id"])
            if genre is None or not genre.active:
                errors.add(_l("Choose a genre from the list."), field="genre_id")
        out["department_id"] = _int_or_none(data, "department_id", errors)
        if out["department_id"] is not None:
            dept = db.session.get(Department, out["department_id"])
            if dept is None or dept.agency_id != agency.id:
                errors.add(_l("Choose a department of this agency."), field="department_id")

        attribute = _text(data, "attribute") or Attribute.PROACTIVE.value
        if attribute not in {a.value for a in Attribute}:
            errors.add(_l("Choose a value from the list."), field="attribute")
            attribute = Attribute.PROACTIVE.value
        out["attribute"] = attribute
        basis = _text(data, "attribute_basis")
        if attribute == Attribute.PROACTIVE.value:
            basis = ""
        elif not basis:
            errors.add(
                _l("Choose the article of the Regulations this attribute relies on (国办发〔2016〕80号)."),
                field="attribute_basis",
            )
        elif basis not in WITHHOLDING_BASES:
            errors.add(_l("Choose a value from the list."), field="attribute_basis")
        elif basis == "other" and not out["attribute_reason"]:
            errors.add(_l("Write out the basis in the reasons."), field="attribute_reason")
        out["attribute_basis"] = basis

        out["provisional"] = _flag(data, "provisional")
        out["publish_with_documents"] = _flag(data, "publish_with_documents")
        form = _text(data, "interpretation_form")
        if entry_type == EntryType.INTERPRETATION.value:
            if not form:
                errors.add(_l("Choose the form of the interpretation."), field="interpretation_form")
            elif form not in {f.value for f in InterpretationForm}:
                errors.add(_l("Choose a value from the list."), field="interpretation_form")
            if not out["interpreter"]:
                errors.add(_l("Name who interprets the policy (谁起草、谁解读)."), field="interpreter")
        else:
            form = ""
        out["interpretation_form"] = form

        made = out["made_on"]
        if made and made > today_china() + dt.timedelta(days=1):
            errors.add(_l("The date the information was made cannot be in the future."), field="made_on")
        if made and out["in_force_on"] and out["in_force_on"] < made:
            errors.add(_l("A document cannot take effect before it was made."), field="in_force_on")
        start = out["in_force_on"] or made
        if start and out["valid_until"] and out["valid_until"] <= start:
            errors.add(_l("The end of validity must be after the document takes effect."), field="valid_until")
        if made and out["changed_on"] and out["changed_on"] < made:
            errors.add(_l("A change cannot come before the information was made."), field="changed_on")

        body = data.get("body_html") or ""
        out["body_html"] = sanitise_html(str(body))
        out["document_number_key"] = normalise_document_number(out["document_number"])
        if out["document_number_key"]:
            existing = duplicate_document_number(agency.id, out["document_number_key"], exclude=entry)
            if existing is not None:
                errors.add(
                    _l(
                        "This document number is already in the catalogue: %(title)s (%(ref)s).",
                        title=existing.title,
                        ref=existing.index_number or _l("draft #%(id)d", id=existing.id),
                    ),
                    field="document_number",
                )

        issuer_ids = data.get("issuer_ids") or []
        if isinstance(issuer_ids, str):
            issuer_ids = [p for p in issuer_ids.replace("，", ",").split(",") if p.strip()]
        cleaned: list[int] = []
        for raw in issuer_ids:
            agency_id = parse_id(raw if isinstance(raw, int) else str(raw))
            if agency_id is None:
                errors.add(_l("Choose the joint issuers from the list."), field="issuer_ids")
                break
            if agency_id != agency.id and agency_id not in cleaned:
                if db.session.get(Agency, agency_id) is None:
                    errors.add(_l("Choose the joint issuers from the list."), field="issuer_ids")
                    break
                cleaned.append(agency_id)
        out["issuer_ids"] = cleaned
    return out


def duplicate_document_number(agency_id: int, key: str, *, exclude: Entry | None = None) -> Entry | None:
    """The live entry of this agency's catalogue (as lead or joint issuer) with the same document number in any
    bracket variant (core.docnumbers), or None."""
    issued_here = select(EntryIssuer.entry_id).where(EntryIssuer.agency_id == agency_id)
    query = select(Entry).where(
        Entry.document_number_key == key,
        Entry.state != States.ABANDONED.value,
        (Entry.agency_id == agency_id) | Entry.id.in_(issued_here),
    )
    if exclude is not None and exclude.id is not None:
        query = query.where(Entry.id != exclude.id)
    return db.session.execute(query.order_by(Entry.id).limit(1)).scalars().first()


def _apply(entry: Entry, values: dict) -> None:
    issuer_ids = values.pop("issuer_ids")
    for name, value in values.items():
        setattr(entry, name, value)
    entry.issuers = [EntryIssuer(agency_id=entry.agency_id, lead=True, position=0)] + [
        EntryIssuer(agency_id=a, lead=False, position=i) for i, a in enumerate(issuer_ids, start=1)
    ]


def refresh_due(entry: Entry) -> None:
    """Art. 26: 20 working days (the setting) from the day the information was made or last changed."""
    start = entry.changed_on or entry.made_on
    entry.due_on = publish_due(start, settings_for(entry.agency_id).publish_due_days) if start else None


# --- Operations --------------------------------------------------------------------------------------------------


def create_entry(agency: Agency, data: Mapping[str, Any], *, actor: User | None, source: str = "form") -> Entry:
    """A new draft (the attribute is fixed when the document is drafted: 国办发〔2016〕80号 一(一))."""
    if actor is not None and not ({wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & {r.value for r in actor.roles}):
        raise NotAllowed(REFUSALS["role"])
    values = clean_entry_input(agency, data)
    entry = Entry(
        agency_id=agency.id, state=States.DRAFT.value, source=source, created_by_id=getattr(actor, "id", None)
    )
    db.session.add(entry)
    _apply(entry, values)
    refresh_due(entry)
    db.session.flush()
    entry.log("catalog.create", after=audit.snapshot(entry, SNAPSHOT_FIELDS), actor=actor)
    return entry


def update_entry(entry: Entry, data: Mapping[str, Any], *, actor: User | None, expected_version: int | None) -> Entry:
    """Change a draft. Once published, a change starts with `revise` (the published version stays public)."""
    check_version(entry, expected_version)
    if entry.state != States.DRAFT.value:
        raise DomainError(_l("Only a draft can be changed; start a new version of a published entry first."))
    if actor is not None and not ({wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & actors_for(entry, actor)):
        raise NotAllowed(REFUSALS["role"])
    agency = db.session.get(Agency, entry.agency_id)
    values = clean_entry_input(agency, data, entry=entry)
    if entry.published_version_id is not None and values.get("changed_on") is None:
        values["changed_on"] = entry.changed_on or today_china()  # Art. 26: a change restarts the clock
    before = audit.snapshot(entry, SNAPSHOT_FIELDS)
    _apply(entry, values)
    refresh_due(entry)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(entry, SNAPSHOT_FIELDS))
    entry.log("catalog.update", before=old, after=new, actor=actor)
    return entry


def act(
    entry: Entry,
    trigger: str,
    *,
    actor: User | None,
    comment: str = "",
    reason: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Entry:
    """Fire one workflow step. Returns record their comment; publishing takes the index number last."""
    check_version(entry, expected_version)
    today = today or today_china()
    try:
        new_state = wf.fire(
            entry.state, trigger, actors_for(entry, actor), facts_for(entry, comment=comment, reason=reason)
        )
    except TransitionRefused as exc:
        cls = NotAllowed if exc.reason == "role" else DomainError
        raise cls(REFUSALS.get(exc.reason, REFUSALS["state"])) from None
    before = audit.snapshot(entry, SNAPSHOT_FIELDS)
    publishing = trigger in PUBLISHING_TRIGGERS
    # The version is frozen (inserted) before the entry changes, so the entry is written by one UPDATE at the end.
    version = freeze_version(entry, actor=actor, day=today, note=comment.strip()) if publishing else None
    if trigger in REVIEW_STEPS:
        step, decision = REVIEW_STEPS[trigger]
        db.session.add(
            EntryReview(
                entry_id=entry.id,
                revision=entry.revision + 1,
                step=step,
                decision=decision,
                comment=comment.strip(),
                reviewer_name=getattr(actor, "name", "") or "",
                reviewed_on=today,
                actor_id=getattr(actor, "id", None),
                created_at=utcnow(),
            )
        )
    if trigger == "revise":
        entry.changed_on = today
        refresh_due(entry)
    if trigger in ("withdraw",):
        entry.withdrawn_at = utcnow()
        entry.withdrawn_reason = reason.strip()
    entry.state = new_state.value
    if publishing:
        publish_version(entry, actor=actor, today=today, note=comment.strip(), version=version)
    else:
        refresh_search_text(entry)
    db.session.flush()
    after = audit.snapshot(entry, SNAPSHOT_FIELDS)
    old, new = audit.diff(before, after)
    entry.log(f"catalog.{trigger}", before=old, after=new, reason=(reason or comment).strip() or None, actor=actor)
    interpretations.after_act(entry, trigger, actor=actor, today=today)  # validity defaults, 同步发布 (part C)
    return entry


def freeze_version(entry: Entry, *, actor: User | None, day: dt.date, note: str) -> EntryVersion:
    """Insert the entry's next version as it stands (what the public will see), without changing the entry."""
    first = entry.published_version_id is None
    version = EntryVersion(
        entry_id=entry.id,
        revision=entry.revision + 1,
        published_at=utcnow(),
        published_on=day,
        attribute=entry.attribute,
        title=entry.title,
        document_number=entry.document_number,
        body_html=entry.body_html,
        metadata_json=public_metadata(entry),
        attachment_ids=[a.id for a in entry.live_attachments()],
        change_note=note if not first else "",
        published_by_id=getattr(actor, "id", None),
    )
    db.session.add(version)
    db.session.flush()  # its id, for the entry
    return version


def publish_version(
    entry: Entry,
    *,
    actor: User | None,
    today: dt.date,
    note: str,
    published_on: dt.date | None = None,
    version: EntryVersion | None = None,
) -> None:
    """Freeze a version (what the public sees; `version` when `freeze_version` already did), mark validity made,
    index the search text, and take the index number as the last statement before the entry is written: the
    entry's changes (state, version, search columns, index number) go out as one UPDATE at the caller's flush,
    which matters on PostgreSQL, where each UPDATE of an entry is a new row version that every index (the GIN
    indexes of the search vectors included) takes in again, and runs the rollup triggers. The counter row stays
    locked until the commit: gap-free under concurrency."""
    day = published_on or today
    if version is None:
        version = freeze_version(entry, actor=actor, day=day, note=note)
    first = entry.published_version_id is None
    with db.session.no_autoflush:
        entry.revision = version.revision
        entry.published_on = day
        if first:
            entry.first_published_on = day
        entry.published_version_id = version.id
        entry.published_version = version
        if first and DocKind(entry.doc_kind).normative and entry.source != "import":
            entry.validity = Validity.VALID.value
            entry.validity_since = entry.in_force_on or day
            db.session.add(
                ValidityEvent(
                    entry_id=entry.id,
                    change=ValidityChange.MADE.value,
                    validity=Validity.VALID.value,
                    effective_on=entry.validity_since,
                    created_at=utcnow(),
                )
            )
        refresh_search_text(entry)
        if entry.index_number is None:
            take_index_number(entry)


def publish_generated(
    agency: Agency, data: Mapping[str, Any], *, existing: Entry | None = None, source: str, note: str = ""
) -> Entry:
    """Publish, as the system, a document whose content was approved elsewhere or is generated from the agency's
    own data (the disclosure guide, a cleanup's result list, a consultation's adoption feedback). The first call
    creates the entry; later calls with `existing` publish its next version (with `note` as the change note).
    Validated like any entry; the whole path is audited as the system's."""
    if existing is None:
        entry = create_entry(agency, data, actor=None, source=source)
    else:
        entry = existing
        if entry.state in (States.PUBLISHED.value, States.RECORDED.value):
            act(entry, "revise", actor=None)
        update_entry(entry, data, actor=None, expected_version=None)
    return act(entry, "publish_generated", actor=None, comment=note)


def take_index_number(entry: Entry) -> None:
    """索引号 from the agency's series: the year and month of the date the information was made (信息生成年度)."""
    agency = db.session.get(Agency, entry.agency_id)
    settings = settings_for(entry.agency_id)
    while True:
        number, serial = allocate(
            settings.index_format,
            agency_id=agency.id,
            org=agency.org_code,
            year=entry.made_on.year,
            month=entry.made_on.month,
        )
        # An imported entry may already hold this number (its old website used the same series): that serial is
        # taken, so the series stays without gaps and the next one is used.
        if db.session.execute(select(Entry.id).where(Entry.index_number == number)).first() is None:
            break
    entry.index_number, entry.index_year, entry.index_serial = number, entry.made_on.year, serial


def set_imported_index_number(entry: Entry, number: str) -> None:
    """Keep an old website's index number (validated permissively; unique across the deployment)."""
    if parse_imported(number) is None:
        raise DomainError(_l("This is not an index number (e.g. 014119467/2016-00076)."), field="index_number")
    taken = db.session.execute(select(Entry.id).where(Entry.index_number == number)).scalar_one_or_none()
    if taken is not None and taken != entry.id:
        raise DomainError(_l("Another entry already has this index number."), field="index_number")
    entry.index_number = number


# The working copy's fields a version freezes as they are (the rest of its metadata is looked up).
METADATA_FIELDS = (
    "summary",
    "made_on",
    "changed_on",
    "theme_id",
    "genre_id",
    "category",
    "doc_kind",
    "entry_type",
    "keywords",
    "registration_number",
    "in_force_on",
    "valid_until",
    "interpretation_form",
    "interpreter",
    "interpreter_contact",
)


def public_metadata(entry: Entry) -> dict:
    """The metadata block Chinese disclosure pages show, frozen into each version (索引号, 主题分类, 发文机关,
    成文日期, 标题, 发文字号, 发布日期 …); validity is not frozen: it is the entry's current state."""
    issuers = [db.session.get(Agency, i.agency_id) for i in entry.issuers] or [db.session.get(Agency, entry.agency_id)]
    dept = db.session.get(Department, entry.department_id) if entry.department_id else None
    fields = {name: getattr(entry, name) for name in METADATA_FIELDS}
    return version_metadata(fields, theme=entry.theme, genre=entry.genre, issuers=issuers, department=dept)


def version_metadata(fields: Mapping[str, Any], *, theme, genre, issuers: list, department) -> dict:
    """`public_metadata` from the entry's values (`METADATA_FIELDS`) and the rows they name (its theme, genre,
    issuing agencies in order, department), without an `Entry`: the import freezes thousands of versions so."""
    out = {name: fields.get(name) for name in METADATA_FIELDS}
    out.update(
        theme=theme.path if theme else "",
        genre=genre.name if genre else "",
        issuers=[a.full_name for a in issuers if a is not None],
        issuer_ids=[a.id for a in issuers if a is not None],
        department=department.name if department else "",
    )
    return audit.jsonable(out)


def record_legality_review(
    entry: Entry, *, actor: User | None, reviewer_name: str, reviewed_on: dt.date | None, opinion: str
) -> EntryReview:
    """合法性审核 of a 规章 or 行政规范性文件 before its approval (国办发〔2018〕115号): who in the legal department
    reviewed it, when, and the opinion. Recorded by a legal reviewer while the entry is being prepared."""
    if actor is not None and wf.LEGAL_REVIEWER not in actors_for(entry, actor):
        raise NotAllowed(REFUSALS["role"])
    if entry.state not in {s.value for s in wf.EDITING}:
        raise DomainError(REFUSALS["state"])
    if not DocKind(entry.doc_kind).normative:
        raise DomainError(_l("Only rules and normative documents need a legality review."))
    with collect_errors() as errors:
        if not reviewer_name.strip():
            errors.add(_l("Name the reviewer in the legal department."), field="reviewer_name")
        if reviewed_on is None:
            errors.add(_l("Enter the date of the review."), field="reviewed_on")
        elif reviewed_on > today_china():
            errors.add(_l("The review cannot be dated in the future."), field="reviewed_on")
        if not opinion.strip():
            errors.add(_l("Enter the review's opinion."), field="opinion")
    review = EntryReview(
        entry_id=entry.id,
        revision=entry.revision + 1,
        step="legality",
        decision="passed",
        comment=opinion.strip(),
        reviewer_name=reviewer_name.strip()[:200],
        reviewed_on=reviewed_on,
        actor_id=getattr(actor, "id", None),
        created_at=utcnow(),
    )
    db.session.add(review)
    db.session.flush()
    entry.log(
        "catalog.legality_review",
        after={"reviewer": review.reviewer_name, "reviewed_on": reviewed_on, "opinion": review.comment},
        actor=actor,
    )
    return review


def reviews_of(entry: Entry) -> list[EntryReview]:
    return list(
        db.session.execute(
            select(EntryReview).where(EntryReview.entry_id == entry.id).order_by(EntryReview.id)
        ).scalars()
    )


def versions_of(entry: Entry) -> list[EntryVersion]:
    return list(
        db.session.execute(
            select(EntryVersion).where(EntryVersion.entry_id == entry.id).order_by(EntryVersion.revision)
        ).scalars()
    )
