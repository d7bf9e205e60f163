"""Catalogue entries: input rules, the review path, versions, withdrawal, index numbers (issue 11 §1)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.catalog.models import Entry, EntryReview, EntryVersion
from disclosure.catalog.operations import entries as ops
from disclosure.core.errors import DomainError, FieldErrors, NotAllowed
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from tests.catalog.conftest import entry_input


def test_a_published_entry_has_an_index_number_a_frozen_version_and_search_text(cat, publish_entry):
    entry = publish_entry()
    assert entry.state == "published"
    assert entry.index_number == f"{cat.agency.org_code}/2026-00001"
    assert entry.is_public
    version = db.session.get(EntryVersion, entry.published_version_id)
    assert version.title == entry.title and version.metadata_json["theme"] == "综合政务/政务公开"
    assert "政务" in entry.search_text  # index units: pairs of characters (catalog.search)
    steps = [
        (r.step, r.decision)
        for r in db.session.query(EntryReview).filter_by(entry_id=entry.id).order_by(EntryReview.id)
    ]
    assert steps == [("attribute", "passed"), ("secrecy", "passed"), ("approval", "passed")]
    actions = [e.action for e in entry.audit_events()]
    assert actions == [
        "catalog.create",
        "catalog.submit",
        "catalog.confirm_attribute",
        "catalog.pass_secrecy",
        "catalog.publish",
    ]


def test_serials_follow_each_other_and_a_withdrawn_entry_keeps_its_number(cat, publish_entry):
    first = publish_entry(document_number="")
    ops.act(first, "withdraw", actor=cat.head, reason="内容已过时")
    db.session.commit()
    second = publish_entry(document_number="")
    assert first.index_number.endswith("-00001") and second.index_number.endswith("-00002")
    assert first.state == "withdrawn" and not first.is_public and first.search_text == ""


def test_every_problem_is_reported_at_once(cat):
    with pytest.raises(FieldErrors) as exc:
        ops.create_entry(
            cat.agency,
            entry_input(title="", made_on="2026-13-01", category="nope", attribute="not_disclosed", theme_id="99999"),
            actor=cat.editor,
        )
    assert {"title", "made_on", "category", "attribute_basis", "theme_id"} <= set(exc.value.errors)


def test_a_withheld_attribute_needs_its_basis_and_is_recorded_not_published(cat, publish_entry):
    with pytest.raises(FieldErrors) as exc:
        ops.create_entry(cat.agency, entry_input(attribute="on_request"), actor=cat.editor)
    assert "attribute_basis" in exc.value.errors
    entry = publish_entry(attribute="not_disclosed", attribute_basis="deny_internal")
    assert entry.state == "recorded" and entry.index_number and not entry.is_public and entry.search_text == ""


@pytest.mark.parametrize(
    "variant", ["测政办发﹝2026﹞5号", "测政办发[2026]5号", "测政办发(2026)5号", "测政办发〔2026〕5号"]
)
def test_the_same_document_number_in_any_brackets_is_refused(cat, publish_entry, variant):
    existing = publish_entry()
    with pytest.raises(FieldErrors) as exc:
        ops.create_entry(cat.agency, entry_input(document_number=variant), actor=cat.editor)
    assert existing.index_number in str(exc.value.errors["document_number"])


def test_a_joint_document_is_in_each_issuers_catalogue(cat, publish_entry):
    entry = publish_entry(issuer_ids=[str(cat.other.id)])
    assert {i.agency_id for i in entry.issuers} == {cat.agency.id, cat.other.id}
    assert ops.duplicate_document_number(cat.other.id, entry.document_number_key) == entry


def test_returns_need_a_comment_and_go_back_to_draft(cat):
    entry = ops.create_entry(cat.agency, entry_input(), actor=cat.editor)
    ops.act(entry, "submit", actor=cat.editor)
    ops.act(entry, "confirm_attribute", actor=cat.registrar)
    with pytest.raises(DomainError):
        ops.act(entry, "return_secrecy", actor=cat.secrecy)
    ops.act(entry, "return_secrecy", actor=cat.secrecy, comment="第三段涉及内部事项，请删除")
    assert entry.state == "draft"
    review = db.session.query(EntryReview).filter_by(entry_id=entry.id, step="secrecy").one()
    assert review.decision == "returned" and "内部事项" in review.comment


def test_roles_are_checked(cat):
    entry = ops.create_entry(cat.agency, entry_input(), actor=cat.editor)
    with pytest.raises(NotAllowed):
        ops.act(entry, "submit", actor=cat.secrecy)
    ops.act(entry, "submit", actor=cat.editor)
    with pytest.raises(NotAllowed):
        ops.act(entry, "confirm_attribute", actor=cat.editor)
    with pytest.raises(NotAllowed):
        ops.create_entry(cat.agency, entry_input(), actor=cat.secrecy)


def test_a_normative_document_needs_its_legality_review_before_approval(cat):
    entry = ops.create_entry(cat.agency, entry_input(doc_kind="normative", category="art20_1"), actor=cat.editor)
    for trigger, actor in (("submit", cat.editor), ("confirm_attribute", cat.registrar), ("pass_secrecy", cat.secrecy)):
        ops.act(entry, trigger, actor=actor)
    with pytest.raises(DomainError) as refused:
        ops.act(entry, "publish", actor=cat.head)
    assert refused.value.message is ops.REFUSALS["legality_review_recorded"]
    with pytest.raises(FieldErrors):
        ops.record_legality_review(entry, actor=cat.legal, reviewer_name="", reviewed_on=None, opinion="")
    ops.record_legality_review(
        entry, actor=cat.legal, reviewer_name="王某", reviewed_on=dt.date(2026, 3, 3), opinion="合法"
    )
    ops.act(entry, "publish", actor=cat.head)
    assert entry.state == "published" and entry.validity == "valid"


def test_a_revision_keeps_the_published_version_public_until_the_new_one_is_approved(cat, publish_entry):
    entry = publish_entry()
    first_version = entry.published_version_id
    ops.act(entry, "revise", actor=cat.editor)
    ops.update_entry(
        entry,
        entry_input(title="关于做好2026年政务公开工作的通知（修订）"),
        actor=cat.editor,
        expected_version=entry.version,
    )
    assert entry.is_public and entry.published_version_id == first_version
    assert entry.changed_on == today_china()
    for trigger, actor in (("submit", cat.editor), ("confirm_attribute", cat.registrar), ("pass_secrecy", cat.secrecy)):
        ops.act(entry, trigger, actor=actor)
    ops.act(entry, "publish", actor=cat.head, comment="修订第三条")
    assert entry.revision == 2 and entry.published_version.title.endswith("（修订）")
    assert entry.index_number.endswith("-00001")
    assert [v.revision for v in ops.versions_of(entry)] == [1, 2]


def test_a_draft_is_abandoned_not_withdrawn(cat):
    entry = ops.create_entry(cat.agency, entry_input(), actor=cat.editor)
    with pytest.raises(DomainError):
        ops.act(entry, "withdraw", actor=cat.head, reason="x")
    ops.act(entry, "abandon", actor=cat.editor, reason="重复起草")
    assert entry.state == "abandoned" and entry.index_number is None


def test_art_26_due_date_is_20_working_days_from_making(cat):
    entry = ops.create_entry(cat.agency, entry_input(made_on="2026-01-26"), actor=cat.editor)
    assert entry.due_on == dt.date(2026, 2, 28)  # proactive-china §3: a make-up Saturday
    assert db.session.get(Entry, entry.id).due_on == dt.date(2026, 2, 28)


def test_a_stale_form_is_refused(cat):
    entry = ops.create_entry(cat.agency, entry_input(), actor=cat.editor)
    db.session.commit()
    with pytest.raises(DomainError):
        ops.update_entry(entry, entry_input(), actor=cat.editor, expected_version=entry.version - 1)


def test_a_generated_document_is_published_by_the_system_and_republished_as_a_new_version(cat):
    entry = ops.publish_generated(cat.agency, entry_input(document_number=""), source="guide")
    assert entry.state == "published" and entry.index_number and entry.revision == 1
    again = ops.publish_generated(
        cat.agency, entry_input(document_number="", title="新指南"), existing=entry, source="guide", note="地址变更"
    )
    assert again is entry and entry.revision == 2 and entry.published_version.change_note == "地址变更"
    assert [e.actor_label for e in entry.audit_events()] == ["system"] * len(entry.audit_events())


def test_a_number_an_import_already_holds_is_skipped_not_reused(cat, publish_entry):
    imported = ops.create_entry(cat.agency, entry_input(document_number=""), actor=cat.editor)
    ops.set_imported_index_number(imported, f"{cat.agency.org_code}/2026-00001")
    db.session.commit()
    entry = publish_entry(document_number="")
    assert entry.index_number == f"{cat.agency.org_code}/2026-00002"


@pytest.mark.parametrize("huge", [str(2**63), str(2**64), "-1", "1e3", "\t"])
def test_ids_beyond_a_database_integer_are_refused_beside_their_fields(cat, huge):
    with pytest.raises(FieldErrors) as exc:
        ops.create_entry(
            cat.agency,
            entry_input(theme_id=huge, genre_id=huge, department_id=huge, issuer_ids=[huge]),
            actor=cat.editor,
        )
    assert {"theme_id", "genre_id", "department_id", "issuer_ids"} <= set(exc.value.errors)
