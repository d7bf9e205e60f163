"""An entry's history as its staff page shows it: audit events in the words staff know ("submitted for attribute
review", not `catalog.submit`), field names and values in words, states and attributes translated. The action
words are also registered for every other page that lists audit events (`ACTION_LABELS`, in `init_app`)."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from disclosure.accounts.models import Agency, Department
from disclosure.catalog.classification import basis_label
from disclosure.catalog.forms import (
    ATTACHMENT_ROLE_LABELS,
    ATTRIBUTE_LABELS,
    DOC_KIND_LABELS,
    ENTRY_TYPE_LABELS,
    FORM_LABELS,
    STATE_LABELS,
    category_text,
)
from disclosure.catalog.models import Entry, Genre, Theme
from disclosure.catalog.timeliness import TIMELINESS_LABELS
from disclosure.extensions import db

ACTION_LABELS = {
    "catalog.create": _l("Drafted"),
    "catalog.update": _l("Draft changed"),
    "catalog.submit": _l("Submitted for attribute review"),
    "catalog.confirm_attribute": _l("Attribute confirmed by the disclosure office"),
    "catalog.return_attribute": _l("Returned by the disclosure office"),
    "catalog.pass_secrecy": _l("Secrecy review passed"),
    "catalog.return_secrecy": _l("Returned by the secrecy reviewer"),
    "catalog.publish": _l("Approved and published"),
    "catalog.record": _l("Approved and recorded in the catalogue (not public)"),
    "catalog.return_approval": _l("Returned by the office head"),
    "catalog.revise": _l("New version started"),
    "catalog.withdraw": _l("Withdrawn"),
    "catalog.abandon": _l("Abandoned"),
    "catalog.import_published": _l("Imported as published"),
    "catalog.import_recorded": _l("Imported as recorded (not public)"),
    "catalog.publish_generated": _l("Generated and published by the system"),
    "catalog.legality_review": _l("Legality review recorded"),
    "catalog.attachment_add": _l("Files added"),
    "catalog.attachment_update": _l("File changed"),
    "catalog.attachment_remove": _l("File removed"),
    "catalog.settings": _l("Catalogue settings changed"),
    "catalog.theme_add": _l("Theme added"),
    "catalog.theme_change": _l("Theme changed"),
    "catalog.theme_delete": _l("Theme deleted"),
    "catalog.genre_add": _l("Genre added"),
    "catalog.genre_change": _l("Genre changed"),
    "catalog.genre_delete": _l("Genre deleted"),
    "catalog.due_recompute": _l("Publication due date recalculated"),
}

FIELD_LABELS = {
    "state": _l("State"),
    "index_number": _l("Index number"),
    "title": _l("Title"),
    "summary": _l("Summary"),
    "made_on": _l("Date made"),
    "changed_on": _l("Date changed"),
    "published_on": lazy_pgettext("catalog", "Published on"),
    "document_number": _l("Document number"),
    "theme_id": _l("Theme"),
    "genre_id": _l("Genre"),
    "category": _l("Statutory category"),
    "doc_kind": _l("Type of document"),
    "entry_type": _l("Kind of entry"),
    "attribute": _l("Disclosure attribute"),
    "attribute_basis": _l("Basis in the Regulations"),
    "attribute_reason": _l("Reasons"),
    "keywords": _l("Keywords"),
    "department_id": _l("Responsible department"),
    "registration_number": _l("Registration number"),
    "in_force_on": _l("In force from"),
    "valid_until": _l("Valid until"),
    "provisional": _l("Provisional or trial"),
    "filed_with": _l("Filed with"),
    "filed_on": lazy_pgettext("catalog", "Filed on"),
    "filing_number": _l("Filing number"),
    "validity": _l("Validity"),
    "interpretation_form": _l("Form of interpretation"),
    "interpreter": _l("Interpreted by"),
    "interpreter_contact": _l("Contact"),
    "publish_with_documents": _l("Published with its documents"),
    "due_on": _l("Due for publication"),
    "files": _l("Files"),
    "attachment_role": _l("Role"),
    "position": _l("Place in the list"),
    "reviewer": _l("Reviewed by"),
    "reviewed_on": _l("Date of the review"),
    "opinion": _l("Opinion"),
    "issuer_ids": _l("Joint issuers"),
}

VALIDITY_LABELS = {"valid": _l("Valid"), "expired": lazy_pgettext("catalog", "Expired"), "repealed": _l("Repealed")}

WORDS = {
    "state": STATE_LABELS,
    "attribute": ATTRIBUTE_LABELS,
    "doc_kind": DOC_KIND_LABELS,
    "entry_type": ENTRY_TYPE_LABELS,
    "interpretation_form": FORM_LABELS,
    "attachment_role": ATTACHMENT_ROLE_LABELS,
    "validity": VALIDITY_LABELS,
}


def shown(key: str, value):
    """One audit value in words."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in WORDS:
        return WORDS[key].get(value, value)
    if key == "category":
        return category_text(value)
    if key == "attribute_basis":
        return basis_label(value)
    if key == "files" and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    model = {"theme_id": Theme, "genre_id": Genre, "department_id": Department}.get(key)
    if model is not None:
        row = db.session.get(model, value)
        return (row.path if isinstance(row, Theme) else row.name) if row is not None else value
    if key == "issuer_ids" and isinstance(value, list):
        return "; ".join(a.full_name for a in (db.session.get(Agency, v) for v in value) if a is not None)
    return value


def entry_history(entry: Entry) -> list[SimpleNamespace]:
    """The entry's audit events, oldest first, shaped for the shared timeline macro (keys and values in words)."""
    out = []
    for ev in entry.audit_events():
        out.append(
            SimpleNamespace(
                occurred_at=ev.occurred_at,
                action=ACTION_LABELS.get(ev.action) or ev.action,
                actor_label=ev.actor_label,
                reason=ev.reason,
                before={str(FIELD_LABELS.get(k, k)): shown(k, v) for k, v in (ev.before or {}).items()},
                after={str(FIELD_LABELS.get(k, k)): shown(k, v) for k, v in (ev.after or {}).items()},
            )
        )
    return out


TEXT_STATUS_LABELS = {
    "pending": _l("Being read"),
    "done": _l("Read"),
    "none": _l("No text in this type of file"),
    "failed": _l("Could not be read (the file is still published)"),
}
REVIEW_STEP_LABELS = {
    "attribute": _l("Disclosure attribute (disclosure office)"),
    "secrecy": _l("Secrecy review (保密审查)"),
    "legality": _l("Legality review (合法性审核)"),
    "approval": _l("Approval (office head)"),
}
REVIEW_DECISION_LABELS = {"passed": _l("Passed"), "returned": _l("Returned")}


def template_globals() -> dict:
    """The words the catalogue's pages use for codes (registered once in `init_app`)."""
    return {
        "catalog_state_label": lambda s: STATE_LABELS.get(s, s),
        "catalog_attribute_label": lambda a: ATTRIBUTE_LABELS.get(a, a),
        "catalog_timeliness_label": lambda t: TIMELINESS_LABELS.get(t, t),
        "catalog_field_value": shown,
        "catalog_text_status_label": lambda s: TEXT_STATUS_LABELS.get(s, s),
        "catalog_review_step_label": lambda s: REVIEW_STEP_LABELS.get(s, s),
        "catalog_review_decision_label": lambda d: REVIEW_DECISION_LABELS.get(d, d),
    }
