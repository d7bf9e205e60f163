"""Validity as a history: defaults, repeal, amendment, expiry by date, scheduled changes (issue 11 §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.catalog.models import EntryLink, ValidityEvent
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations import validity
from disclosure.core.errors import FieldErrors, NotAllowed
from disclosure.extensions import db
from tests.catalog.conftest import in_english, publish_as_system

D = dt.date


def test_a_normative_document_gets_its_default_validity_period_and_evaluation_date(cat, publish_on):
    entry = publish_on(D(2026, 3, 10), in_force_on="2026-04-01")
    assert entry.valid_until == D(2031, 3, 31)  # 5 years from taking effect, the last valid day
    assert entry.published_version.metadata_json["valid_until"] == "2031-03-31"
    assert validity.evaluation_due_on(entry) == D(2030, 9, 30)  # 6 months before
    assert entry.validity == "valid" and entry.validity_since == D(2026, 4, 1)
    assert "catalog.validity_default" in [e.action for e in entry.audit_events()]


@pytest.mark.parametrize(
    ("overrides", "until"),
    [
        ({"title": "测试市政府信息公开暂行办法"}, D(2028, 3, 9)),
        ({"title": "测试市依申请公开办理规定（试行）", "document_number": "测政规〔2026〕2号"}, D(2028, 3, 9)),
        ({"provisional": "on"}, D(2028, 3, 9)),
        ({}, D(2031, 3, 9)),
    ],
)
def test_provisional_documents_have_the_shorter_period(cat, publish_on, overrides, until):
    assert publish_on(D(2026, 3, 10), **overrides).valid_until == until


def test_the_periods_are_the_agencys_settings_and_a_given_end_is_kept(cat, publish_on):
    ops.settings_for(cat.agency.id).validity_years = 3
    db.session.commit()
    assert publish_on(D(2026, 3, 10)).valid_until == D(2029, 3, 9)
    kept = publish_on(D(2026, 3, 10), document_number="测政规〔2026〕9号", valid_until="2027-01-01")
    assert kept.valid_until == D(2027, 1, 1)
    other = publish_on(D(2026, 3, 10), doc_kind="other", category="art20_15", document_number="测政办〔2026〕3号")
    assert other.valid_until is None


def test_a_repeal_links_both_documents_and_the_repealed_one_stays_public(cat, publish_on):
    old = publish_on(D(2026, 3, 10))
    new = publish_on(D(2026, 6, 1), title="测试市政府信息公开办法", document_number="测政规〔2026〕5号")
    event = validity.repeal(
        old, by=new, effective_on=D(2026, 6, 1), reason="被新办法取代", actor=cat.head, today=D(2026, 6, 1)
    )
    db.session.commit()
    assert event.applied and old.validity == "repealed" and old.validity_since == D(2026, 6, 1)
    link = db.session.execute(db.select(EntryLink).where(EntryLink.target_id == old.id)).scalar_one()
    assert (link.source_id, link.relation) == (new.id, "repeals")
    assert old.is_public and old.search_text  # still found, annotated
    shown = validity.public_validity(old)
    assert (shown.validity, shown.since, shown.cause) == ("repealed", D(2026, 6, 1), new)
    assert "catalog.validity_repealed" in [e.action for e in old.audit_events()]
    assert [e.change for e in validity.history(old)] == ["made", "repealed"]


def test_repeals_are_refused_with_precise_messages(cat, publish_on, make_agency):
    old = publish_on(D(2026, 3, 10))
    draft = ops.create_entry(cat.agency, {**_input("测政规〔2026〕7号"), "title": "草稿"}, actor=cat.editor)
    foreign = publish_as_system(cat.other, D(2026, 4, 1), document_number="外政规〔2026〕1号")
    db.session.commit()
    cases = [
        (draft, D(2026, 6, 1), "by", "published first"),
        (foreign, D(2026, 6, 1), "by", "another agency"),
        (old, D(2026, 6, 1), "by", "itself"),
        (None, D(2026, 6, 1), "by", "index number or document number"),
    ]
    for by, day, field, words in cases:
        with pytest.raises(FieldErrors) as exc:
            validity.repeal(old, by=by, effective_on=day, actor=cat.head, today=D(2026, 6, 1))
        assert words in in_english(exc.value.errors[field])
    later = publish_on(D(2026, 6, 1), document_number="测政规〔2026〕8号")
    with pytest.raises(FieldErrors) as exc:
        validity.repeal(old, by=later, effective_on=D(2026, 3, 1), actor=cat.head, today=D(2026, 6, 1))
    assert "before the document did (2026-03-10)" in in_english(exc.value.errors["effective_on"])
    with pytest.raises(NotAllowed):
        validity.repeal(old, by=later, effective_on=D(2026, 6, 1), actor=cat.editor, today=D(2026, 6, 1))
    validity.repeal(old, by=later, effective_on=D(2026, 6, 1), actor=cat.head, today=D(2026, 6, 1))
    with pytest.raises(FieldErrors) as exc:
        validity.repeal(old, by=later, effective_on=D(2026, 6, 2), actor=cat.head, today=D(2026, 6, 2))
    assert "already repealed (since 2026-06-01)" in in_english(exc.value.errors[None])


def test_a_joint_issuers_document_may_repeal(cat, publish_on):
    old = publish_on(D(2026, 3, 10), issuer_ids=[str(cat.other.id)])
    foreign = publish_as_system(cat.other, D(2026, 5, 1), document_number="外政规〔2026〕2号")
    validity.repeal(old, by=foreign, effective_on=D(2026, 5, 1), actor=cat.head, today=D(2026, 5, 2))
    assert old.validity == "repealed"


def test_a_repeal_dated_ahead_waits_for_the_sweep(cat, publish_on):
    old = publish_on(D(2026, 3, 10))
    new = publish_on(D(2026, 6, 1), document_number="测政规〔2026〕5号")
    event = validity.repeal(old, by=new, effective_on=D(2026, 7, 1), actor=cat.head, today=D(2026, 6, 1))
    assert not event.applied and old.validity == "valid"
    with pytest.raises(FieldErrors) as exc:
        validity.repeal(old, by=new, effective_on=D(2026, 7, 2), actor=cat.head, today=D(2026, 6, 1))
    assert "already scheduled for 2026-07-01" in in_english(exc.value.errors[None])
    assert validity.apply_due_changes(D(2026, 6, 30)) == {"applied": 0, "expired": 0}
    assert validity.apply_due_changes(D(2026, 7, 1)) == {"applied": 1, "expired": 0}
    assert old.validity == "repealed" and old.validity_since == D(2026, 7, 1) and event.applied


def test_an_amendment_keeps_the_document_valid_and_is_recorded_once(cat, publish_on):
    old = publish_on(D(2026, 3, 10))
    change = publish_on(
        D(2026, 6, 1), title="关于修改《测试市政府信息公开管理办法》的决定", document_number="测政规〔2026〕6号"
    )
    validity.amend(old, by=change, effective_on=D(2026, 6, 1), note="修改第五条", actor=cat.head, today=D(2026, 6, 1))
    assert old.validity == "valid" and old.validity_since == D(2026, 3, 10)
    shown = validity.public_validity(old)
    assert (shown.amended_on, shown.amended_by) == (D(2026, 6, 1), change)
    with pytest.raises(FieldErrors) as exc:
        validity.amend(old, by=change, effective_on=D(2026, 6, 1), actor=cat.head, today=D(2026, 6, 1))
    assert "already recorded" in in_english(exc.value.errors["by"])


def test_the_sweep_expires_documents_past_their_period(cat, publish_on):
    entry = publish_on(D(2026, 3, 10), valid_until="2026-11-30")
    assert validity.apply_due_changes(D(2026, 11, 30)) == {"applied": 0, "expired": 0}
    assert validity.apply_due_changes(D(2026, 12, 1)) == {"applied": 0, "expired": 1}
    assert entry.validity == "expired" and entry.validity_since == D(2026, 12, 1)
    event = db.session.execute(db.select(ValidityEvent).where(ValidityEvent.change == "expired")).scalar_one()
    assert event.effective_on == D(2026, 12, 1)
    assert validity.apply_due_changes(D(2026, 12, 2)) == {"applied": 0, "expired": 0}  # once


def test_documents_due_for_evaluation(cat, publish_on):
    soon = publish_on(D(2026, 3, 10), valid_until="2027-03-01")
    publish_on(D(2026, 3, 10), document_number="测政规〔2026〕4号")  # 2031
    assert validity.due_for_evaluation(cat.agency.id, D(2026, 9, 1)) == [soon]
    assert validity.due_for_evaluation(cat.agency.id, D(2026, 8, 31)) == []


def test_the_later_document_is_found_by_index_or_document_number(cat, publish_on):
    entry = publish_on(D(2026, 3, 10))
    assert validity.later_document(cat.agency.id, entry.index_number) == entry
    assert validity.later_document(cat.agency.id, "测政规[2026]1号") == entry
    assert validity.later_document(cat.agency.id, "无此文") is None


def _input(number):
    from tests.catalog.conftest import normative_input

    return normative_input(document_number=number)
