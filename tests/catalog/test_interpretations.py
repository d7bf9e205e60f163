"""Policy interpretations: links, 同步发布, timeliness across holidays, the workbench lists (issue 11 §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations import interpretations as interp
from disclosure.core.errors import FieldErrors, NotAllowed
from disclosure.extensions import db
from tests.catalog.conftest import in_english, interpretation_input, normative_input, publish_as_system

D = dt.date


def _interpretation(cat, **overrides):
    return ops.create_entry(cat.agency, interpretation_input(**overrides), actor=cat.editor)


def test_an_interpretation_links_to_its_documents_both_ways(cat, publish_on):
    doc = publish_on(D(2026, 3, 10))
    second = publish_on(D(2026, 3, 10), document_number="测政规〔2026〕2号")
    entry = _interpretation(cat)
    interp.link_interpretation(entry, doc, actor=cat.editor)
    interp.link_interpretation(entry, second, actor=cat.editor)
    assert interp.documents_of(entry) == [doc, second]
    assert interp.interpretations_of(doc) == [entry]
    assert interp.interpretations_of(doc, public_only=True) == []  # a draft is not public
    assert "catalog.link_interpretation" in [e.action for e in entry.audit_events()]
    interp.unlink_interpretation(entry, second, actor=cat.editor)
    assert interp.documents_of(entry) == [doc]


def test_links_that_make_no_sense_are_refused(cat, publish_on):
    doc = publish_on(D(2026, 3, 10))
    entry = _interpretation(cat)
    other_interp = _interpretation(cat, title="另一篇解读")
    foreign = publish_as_system(cat.other, D(2026, 3, 10), document_number="外政规〔2026〕1号")
    for target, words in (
        (entry, "itself"),
        (other_interp, "not another interpretation"),
        (foreign, "issued jointly"),
        (None, "index number or document number"),
    ):
        with pytest.raises(FieldErrors) as exc:
            interp.link_interpretation(entry, target, actor=cat.editor)
        assert words in in_english(exc.value.errors["document"])
    interp.link_interpretation(entry, doc, actor=cat.editor)
    with pytest.raises(FieldErrors) as exc:
        interp.link_interpretation(entry, doc, actor=cat.editor)
    assert "already linked" in in_english(exc.value.errors["document"])
    with pytest.raises(FieldErrors):
        interp.link_interpretation(doc, entry, actor=cat.editor)  # a document does not interpret
    with pytest.raises(NotAllowed):
        interp.link_interpretation(other_interp, doc, actor=cat.secrecy)


def test_a_joint_issuers_document_may_be_interpreted(cat):
    joint = ops.create_entry(
        cat.other, normative_input(document_number="外政规〔2026〕3号", issuer_ids=[str(cat.agency.id)]), actor=None
    )
    entry = _interpretation(cat)
    interp.link_interpretation(entry, joint, actor=cat.editor)
    assert interp.documents_of(entry) == [joint]


def test_an_interpretation_approved_with_its_document_is_published_with_it(cat, take_to):
    doc = ops.create_entry(cat.agency, normative_input(), actor=cat.editor)
    together = _interpretation(cat, publish_with_documents="on")
    later = _interpretation(cat, title="图解", interpretation_form="graphic")
    for entry in (together, later):
        interp.link_interpretation(entry, doc, actor=cat.editor)
        take_to(entry, "approval")
    take_to(doc, "published", D(2026, 9, 30))
    db.session.commit()
    assert together.state == "published" and together.first_published_on == D(2026, 9, 30)
    assert together.index_number and together.is_public
    assert later.state == "approval"
    assert interp.lag_working_days(doc, together) == 0
    published_by = together.published_version.published_by_id
    assert published_by == cat.head.id == doc.published_version.published_by_id


def test_an_interpretation_of_two_documents_waits_for_the_last(cat, take_to, publish_on):
    first = ops.create_entry(cat.agency, normative_input(), actor=cat.editor)
    second = ops.create_entry(cat.agency, normative_input(document_number="测政规〔2026〕2号"), actor=cat.editor)
    entry = _interpretation(cat, publish_with_documents="on")
    interp.link_interpretation(entry, first, actor=cat.editor)
    interp.link_interpretation(entry, second, actor=cat.editor)
    take_to(entry, "approval")
    take_to(first, "published", D(2026, 5, 6))
    assert entry.state == "approval"
    take_to(second, "published", D(2026, 5, 7))
    assert entry.state == "published" and entry.first_published_on == D(2026, 5, 7)


def test_the_due_date_crosses_the_national_day_holiday(cat, publish_on):
    # 2026-10-01..07 are holidays, 2026-10-10 (Saturday) a make-up working day: 10-08, 10-09, 10-10.
    doc = publish_on(D(2026, 9, 30))
    assert interp.interpretation_due(doc) == D(2026, 10, 10)
    assert interp.missing_interpretations(cat.agency.id, D(2026, 10, 10)) == []
    missing = interp.missing_interpretations(cat.agency.id, D(2026, 10, 12))
    assert [(m.document, m.due_on, m.working_days_late) for m in missing] == [(doc, D(2026, 10, 10), 1)]


@pytest.mark.parametrize(("published", "late", "lag"), [(D(2026, 10, 10), False, 3), (D(2026, 10, 12), True, 4)])
def test_an_interpretation_after_n_working_days_is_late(cat, publish_on, take_to, published, late, lag):
    doc = publish_on(D(2026, 9, 30))
    entry = _interpretation(cat)
    interp.link_interpretation(entry, doc, actor=cat.editor)
    take_to(entry, "published", published)
    assert interp.lag_working_days(doc, entry) == lag
    rows = interp.late_interpretations(cat.agency.id)
    assert [(r.interpretation, r.lag) for r in rows] == ([(entry, lag)] if late else [])
    assert interp.missing_interpretations(cat.agency.id, D(2026, 12, 1)) == []


def test_the_due_days_are_the_agencys_setting(cat, publish_on):
    ops.settings_for(cat.agency.id).interpretation_due_days = 5
    doc = publish_on(D(2026, 4, 30))  # 5-01..05 holidays, 5-09 (Saturday) a working day
    assert interp.interpretation_due(doc) == D(2026, 5, 11)


def test_the_staff_warning_while_a_policy_document_has_no_interpretation(cat, publish_on):
    doc = publish_on(D(2026, 3, 10))
    other = publish_on(D(2026, 3, 10), doc_kind="other", category="art20_15", document_number="测政办〔2026〕3号")
    assert interp.needs_interpretation(doc) and not interp.needs_interpretation(other)
    interp.link_interpretation(_interpretation(cat), doc, actor=cat.editor)
    assert not interp.needs_interpretation(doc)
