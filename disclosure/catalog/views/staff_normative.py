"""Staff pages of normative documents (issue 11 §2, §3): a document's validity changes (repeal, amendment) and its
links to interpretations, shown as parts of the entry page (`templates/catalog/staff/_entry_*.html`, which read
`normative_context(entry)`); the normative overview (documents due for evaluation, documents missing an
interpretation, interpretations published late); cleanups (清理) from opening to the published result list.

A refused form is shown again on the entry page with each problem beside its field (the posted forms travel in
`g.normative_forms`, which the partials read)."""

from __future__ import annotations

import datetime as dt

from flask import Flask, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField

import workflows.catalog as wf
from disclosure.accounts.roles import Role
from disclosure.catalog.models import Cleanup, CleanupItem, Entry, EntryLink, EntryType, LinkRelation, Validity
from disclosure.catalog.operations import cleanups, interpretations, validity
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.views.common import ADMINS, EDITORS, READERS, own_agency, staff_bp
from disclosure.catalog.views.staff import entry_page, load_entry
from disclosure.core import signals
from disclosure.core.errors import DomainError, FieldErrors, NotAllowed, field_errors
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.web import nav
from disclosure.web.access import staff_object, staff_required
from disclosure.web.forms import choices, show_errors
from disclosure.web.templating import register_action_labels

DATE = {"type": "date", "placeholder": "YYYY-MM-DD"}
CLEANUP_REVIEWERS = (Role.LEGAL_REVIEWER, Role.OFFICE_HEAD)
CLEANUP_TRIGGERS = {
    "complete": _l("All decided: send for approval"),
    "reopen": _l("Reconsider the decisions"),
    "approve": _l("Approve the decisions"),
    "revoke_approval": _l("Take the approval back"),
    "publish": _l("Publish the result list"),
    "cancel": _l("Cancel the cleanup"),
}
CLEANUP_STATE_LABELS = {
    "open": _l("Open: documents being decided"),
    "decided": _l("Decided: waiting for approval"),
    "approved": _l("Approved: result list to publish"),
    "published": lazy_pgettext("catalog", "Published"),
    "cancelled": _l("Cancelled"),
}
ACTION_LABELS = {
    "catalog.validity_default": _l("Validity period set by default"),
    "catalog.validity_scheduled": _l("Validity change scheduled"),
    "catalog.validity_made": _l("Took effect"),
    "catalog.validity_amended": _l("Amended by a later document"),
    "catalog.validity_repealed": _l("Repealed"),
    "catalog.validity_expired": lazy_pgettext("catalog", "Expired"),
    "catalog.validity_declared_expired": _l("Declared expired by a cleanup"),
    "catalog.validity_continued": _l("Confirmed valid by a cleanup"),
    "catalog.validity_listed_for_amendment": _l("Listed for amendment by a cleanup"),
    "catalog.link_interpretation": _l("Interpretation linked to a document"),
    "catalog.unlink_interpretation": _l("Interpretation unlinked from a document"),
    "cleanup.open": _l("Cleanup opened"),
    "cleanup.decide": _l("Decision on a document"),
    "cleanup.complete": _l("All documents decided"),
    "cleanup.reopen": _l("Decisions reopened"),
    "cleanup.approve": _l("Decisions approved"),
    "cleanup.revoke_approval": _l("Approval taken back"),
    "cleanup.publish": _l("Result list published"),
    "cleanup.cancel": _l("Cleanup cancelled"),
    "cleanup.skipped": _l("Documents changed meanwhile left as they were"),
}
CHANGE_DONE = {"repeal": _l("The repeal was recorded."), "amend": _l("The amendment was recorded.")}


class ValidityForm(FlaskForm):
    by = StringField(_l("Later document (index number or document number)"))
    effective_on = StringField(_l("Takes effect on"), render_kw=DATE)
    reason = TextAreaField(_l("Reason or note"))


class LinkForm(FlaskForm):
    document = StringField(_l("Index number, document number or draft number (#123)"))


class OpenCleanupForm(FlaskForm):
    title = StringField(_l("Title"))
    scope = SelectField(_l("Kind of cleanup"), choices=choices(cleanups.SCOPES.items()), validate_choice=False)


class DecideForm(FlaskForm):
    decision = SelectField(
        _l("Decision"), choices=choices([("", "—"), *cleanups.DECISION_LABELS.items()]), validate_choice=False
    )
    reason = TextAreaField(_l("Reason"))


class CleanupActionForm(FlaskForm):
    comment = TextAreaField(_l("Comment or reason"))
    effective_on = StringField(_l("The decisions take effect on"), render_kw=DATE)


def _date(text: str | None) -> tuple[dt.date | None, str | None]:
    """A date typed in a form, and the message to show beside it when it is not one."""
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, _("Enter a date as YYYY-MM-DD.")


def _with_date_error(exc: DomainError, message: str | None) -> DomainError:
    """The operation's problems, the unreadable date's own message beside the date field."""
    return FieldErrors({**field_errors(exc), "effective_on": message}) if message else exc


def find_entry(agency_id: int, text: str) -> Entry | None:
    """An entry named in a form: `#123` (a draft's number, within the agency), an index number or a document
    number in any bracket variant."""
    text = (text or "").strip()
    if text.startswith("#") and text[1:].isdigit() and len(text) < 20:
        entry = db.session.get(Entry, int(text[1:]))
        return entry if entry is not None and agency_id in ops.issuing_agency_ids(entry) else None
    return validity.later_document(agency_id, text)


# --- The entry page's parts ------------------------------------------------------------------------------------


def _links(entry: Entry) -> list[dict]:
    rows = db.session.execute(
        select(EntryLink)
        .where((EntryLink.source_id == entry.id) | (EntryLink.target_id == entry.id))
        .order_by(EntryLink.id)
    ).scalars()
    words = {
        (LinkRelation.REPEALS.value, True): _l("Repeals"),
        (LinkRelation.REPEALS.value, False): _l("Repealed by"),
        (LinkRelation.AMENDS.value, True): _l("Amends"),
        (LinkRelation.AMENDS.value, False): _l("Amended by"),
        (LinkRelation.INTERPRETS.value, True): _l("Interprets"),
        (LinkRelation.INTERPRETS.value, False): _l("Interpretation of this document"),
        (LinkRelation.RELATED.value, True): _l("Related"),
        (LinkRelation.RELATED.value, False): _l("Related"),
    }
    out = []
    for link in rows:
        outgoing = link.source_id == entry.id
        out.append(
            {"link": link, "label": words[(link.relation, outgoing)], "other": link.target if outgoing else link.source}
        )
    return out


@staff_bp.app_template_global()
def normative_context(entry: Entry) -> dict:
    """What the staff partials show about an entry: validity and its history, links, interpretations, the forms
    this user may use (posted ones, with their errors, from `g.normative_forms`)."""
    posted = getattr(g, "normative_forms", {}) or {}
    actors = ops.actors_for(entry, current_user)
    is_document = entry.entry_type == EntryType.DOCUMENT.value
    changeable = (
        is_document
        and wf.OFFICE_HEAD in actors
        and entry.published_version_id is not None
        and entry.withdrawn_at is None
        and entry.validity == Validity.VALID.value
    )
    linkable = bool({wf.CATALOG_EDITOR, wf.OFFICE_HEAD} & actors) and entry.state not in interpretations.CLOSED
    docs = interpretations.documents_of(entry) if not is_document else []
    interps = interpretations.interpretations_of(entry) if is_document else []
    return {
        "history": validity.history(entry),
        "change_labels": validity.CHANGE_LABELS,
        "evaluation_due": validity.evaluation_due_on(entry) if entry.validity == Validity.VALID.value else None,
        "links": _links(entry),
        "changeable": changeable,
        "repeal_form": posted.get("repeal") or (ValidityForm(prefix="repeal", formdata=None) if changeable else None),
        "amend_form": posted.get("amend") or (ValidityForm(prefix="amend", formdata=None) if changeable else None),
        "link_form": posted.get("link") or (LinkForm(prefix="link", formdata=None) if linkable else None),
        "is_document": is_document,
        "policy_document": interpretations.is_policy_document(entry),
        "needs_interpretation": interpretations.needs_interpretation(entry),
        "interpretation_due": interpretations.interpretation_due(entry) if is_document else None,
        "interpretations": [(i, interpretations.lag_working_days(entry, i)) for i in interps],
        "documents": [(d, interpretations.lag_working_days(d, entry)) for d in docs],
        "due_days": ops.settings_for(entry.agency_id).interpretation_due_days,
    }


def _again(entry_id: int, key: str, form, exc: DomainError, default: str | None = None):
    db.session.rollback()
    loose = show_errors(form, exc, default=default)
    g.normative_forms = {key: form}
    return entry_page(load_entry(entry_id), loose=loose, status=400)


@staff_bp.route("/entries/<int:entry_id>/validity/<change>", methods=["POST"])
@staff_required(Role.OFFICE_HEAD)
def change_validity(entry_id: int, change: str):
    """Record a repeal (废止) or an amendment (修改) of this document by a later one."""
    if change not in CHANGE_DONE:
        abort(404)
    entry = load_entry(entry_id)
    form = ValidityForm(prefix=change)
    effective_on, date_error = _date(form.effective_on.data)
    by = find_entry(entry.agency_id, form.by.data)
    operation = validity.repeal if change == "repeal" else validity.amend
    note = {"reason": form.reason.data or ""} if change == "repeal" else {"note": form.reason.data or ""}
    try:
        operation(entry, by=by, effective_on=effective_on, actor=current_user, today=today_china(), **note)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        return _again(entry_id, change, form, _with_date_error(exc, date_error), default="by")
    flash(str(CHANGE_DONE[change]), "success")
    return redirect(url_for(".entry", entry_id=entry.id))


@staff_bp.route("/entries/<int:entry_id>/links", methods=["POST"])
@staff_required(*EDITORS)
def add_link(entry_id: int):
    """Link an interpretation and a document (from either page)."""
    entry = load_entry(entry_id)
    form = LinkForm(prefix="link")
    other = find_entry(entry.agency_id, form.document.data)
    try:
        if entry.entry_type == EntryType.INTERPRETATION.value:
            interpretations.link_interpretation(entry, other, actor=current_user)
        elif other is None or other.entry_type != EntryType.INTERPRETATION.value:
            raise DomainError(_l("Name an interpretation entry (its index number or #draft number)."), field="document")
        else:
            interpretations.link_interpretation(other, entry, actor=current_user)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        return _again(entry_id, "link", form, exc, default="document")
    flash(_("The link was added."), "success")
    return redirect(url_for(".entry", entry_id=entry.id))


@staff_bp.route("/entries/<int:entry_id>/links/<int:link_id>/remove", methods=["POST"])
@staff_required(*EDITORS)
def remove_link(entry_id: int, link_id: int):
    entry = load_entry(entry_id)
    link = db.session.get(EntryLink, link_id)
    if link is None or entry.id not in (link.source_id, link.target_id) or link.relation != LinkRelation.INTERPRETS:
        abort(404)
    try:
        interpretations.unlink_interpretation(link.source, link.target, actor=current_user)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    flash(_("The link was removed."), "success")
    return redirect(url_for(".entry", entry_id=entry.id))


# --- The overview -----------------------------------------------------------------------------------------------


@staff_bp.route("/normative")
@staff_required(*READERS)
def normative():
    agency = own_agency()
    today = today_china()
    return render_template(
        "catalog/staff/normative.html",
        today=today,
        evaluation=[(e, validity.evaluation_due_on(e)) for e in validity.due_for_evaluation(agency.id, today)],
        missing=interpretations.missing_interpretations(agency.id, today),
        late=interpretations.late_interpretations(agency.id),
        settings=ops.settings_for(agency.id),
    )


def normative_counts_for(user) -> dict[str, int]:
    """The workbench panel's counts (documents due for evaluation, missing and late interpretations, cleanups under
    way) for the user's agency."""
    today = today_china()
    return {
        "evaluation": len(validity.due_for_evaluation(user.agency_id, today)),
        "missing": len(interpretations.missing_interpretations(user.agency_id, today)),
        "late": len(interpretations.late_interpretations(user.agency_id)),
        "cleanup": 1 if cleanups.active_cleanup(user.agency_id) is not None else 0,
    }


def staff_panel(user):
    """`signals.staff_panels`: the agency's normative documents needing attention."""
    if user.agency_id is None or not user.has_role(*READERS):
        return None
    counts = normative_counts_for(user)
    return (
        _("Normative documents and interpretations"),
        [
            (_("Due for evaluation before expiry"), counts["evaluation"], url_for("catalog.normative") + "#evaluation"),
            (_("Documents missing an interpretation"), counts["missing"], url_for("catalog.normative") + "#missing"),
            (_("Interpretations published late"), counts["late"], url_for("catalog.normative") + "#late"),
            (_("Cleanups under way"), counts["cleanup"], url_for("catalog.cleanups")),
        ],
    )


# --- Cleanups ---------------------------------------------------------------------------------------------------


def _load_cleanup(cleanup_id: int) -> Cleanup:
    return staff_object(db.session.get(Cleanup, cleanup_id))


@staff_bp.route("/cleanups", methods=["GET", "POST"], endpoint="cleanups")
@staff_required(*READERS)
def cleanups_page():
    agency = own_agency()
    form = OpenCleanupForm(formdata=request.form if request.method == "POST" else None)
    loose: list[str] = []
    if request.method == "POST":
        if not current_user.has_role(*ADMINS):
            abort(403)
        try:
            cleanup = cleanups.open_cleanup(
                agency, {"title": form.title.data, "scope": form.scope.data}, actor=current_user
            )
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except DomainError as exc:
            db.session.rollback()
            loose = show_errors(form, exc)
        else:
            flash(_("The cleanup was opened with %(n)d documents.", n=len(cleanup.items)), "success")
            return redirect(url_for(".cleanup", cleanup_id=cleanup.id))
    return render_template(
        "catalog/staff/cleanups.html",
        rows=cleanups.cleanups_of(agency.id),
        form=form if current_user.has_role(*ADMINS) else None,
        loose=loose,
        labels=CLEANUP_STATE_LABELS,
    ), (400 if request.method == "POST" else 200)


def cleanup_page(cleanup: Cleanup, *, posted: dict | None = None, loose: list | None = None, status: int = 200):
    posted = posted or {}
    allowed = cleanups.allowed_actions(cleanup, current_user)
    decide = "decide" in allowed
    return render_template(
        "catalog/staff/cleanup.html",
        cleanup=cleanup,
        labels=CLEANUP_STATE_LABELS,
        scopes=cleanups.SCOPES,
        decisions=cleanups.DECISION_LABELS,
        lists=cleanups.result_lists(cleanup),
        undecided=[i for i in cleanup.items if not i.decision],
        decide_forms={
            i.id: posted.get(i.id)
            or DecideForm(prefix=f"item{i.id}", formdata=None, data={"decision": i.decision, "reason": i.reason})
            for i in cleanup.items
        }
        if decide
        else {},
        actions=[
            (t, CLEANUP_TRIGGERS[t], posted.get(t) or CleanupActionForm(prefix=t, formdata=None))
            for t in allowed
            if t in CLEANUP_TRIGGERS
        ],
        result=db.session.get(Entry, cleanup.result_entry_id) if cleanup.result_entry_id else None,
        history=cleanup.audit_events(),
        loose=loose or [],
    ), status


@staff_bp.route("/cleanups/<int:cleanup_id>")
@staff_required(*READERS)
def cleanup(cleanup_id: int):
    return cleanup_page(_load_cleanup(cleanup_id))


@staff_bp.route("/cleanups/<int:cleanup_id>/items/<int:item_id>", methods=["POST"])
@staff_required(*CLEANUP_REVIEWERS)
def decide_item(cleanup_id: int, item_id: int):
    current = _load_cleanup(cleanup_id)
    item = db.session.get(CleanupItem, item_id)
    if item is None or item.cleanup_id != current.id:
        abort(404)
    form = DecideForm(prefix=f"item{item.id}")
    try:
        cleanups.decide(item, form.decision.data or "", form.reason.data or "", actor=current_user)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        db.session.rollback()
        loose = show_errors(form, exc, default="decision")
        return cleanup_page(_load_cleanup(cleanup_id), posted={item_id: form}, loose=loose, status=400)
    flash(_("The decision was saved."), "success")
    return redirect(url_for(".cleanup", cleanup_id=cleanup_id) + f"#item-{item_id}")


@staff_bp.route("/cleanups/<int:cleanup_id>/act/<trigger>", methods=["POST"])
@staff_required(*READERS)
def cleanup_act(cleanup_id: int, trigger: str):
    current = _load_cleanup(cleanup_id)
    if trigger not in CLEANUP_TRIGGERS:
        abort(404)
    form = CleanupActionForm(prefix=trigger)
    comment = (form.comment.data or "").strip()
    try:
        if trigger == "approve":
            effective_on, date_error = _date(form.effective_on.data)
            if date_error:
                raise DomainError(date_error, field="effective_on")
            cleanups.approve(current, actor=current_user, effective_on=effective_on, today=today_china())
        elif trigger == "publish":
            result = cleanups.publish(current, actor=current_user, today=today_china())
            flash(_("The result list was published as %(number)s.", number=result.index_number), "success")
        elif trigger in ("reopen", "revoke_approval"):
            getattr(cleanups, trigger)(current, actor=current_user, comment=comment)
        elif trigger == "cancel":
            cleanups.cancel(current, actor=current_user, reason=comment)
        else:
            cleanups.complete(current, actor=current_user)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        db.session.rollback()
        default = "effective_on" if trigger == "approve" else ("comment" if trigger != "complete" else None)
        loose = show_errors(form, exc, default=default)
        return cleanup_page(_load_cleanup(cleanup_id), posted={trigger: form}, loose=loose, status=400)
    if trigger != "publish":
        flash(_("Done."), "success")
    return redirect(url_for(".cleanup", cleanup_id=cleanup_id))


def register(app: Flask) -> None:
    """Menu entries and the workbench panel (called once from the package's `init_app`)."""
    nav.register(app, "staff", _l("Normative documents"), "catalog.normative", roles=READERS, order=31)
    nav.register(app, "staff", _l("Cleanups of normative documents"), "catalog.cleanups", roles=READERS, order=32)
    nav.register(app, "public", _l("Normative documents library"), "catalog_public.library", order=21)
    signals.staff_panels.connect(staff_panel)
    register_action_labels(app, ACTION_LABELS)
